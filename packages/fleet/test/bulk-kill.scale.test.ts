import { describe, it } from 'vitest';
import { runBulkScenario } from './support/bulk-scenario.js';

describe('a fleet bulk copy at scale with a worker SIGKILLed mid-job', () => {
  it('copies 10,000 objects on Azurite, every one verified; a second run skips them all', async () => {
    await runBulkScenario('azurite', 10_000);
  }, 3_600_000);
});
