import { describe, it } from 'vitest';
import { runBulkScenario } from './support/bulk-scenario.js';

describe('a fleet bulk copy with a worker SIGKILLed mid-job', () => {
  it('copies 300 objects on Azurite, every one verified; a second run skips them all', async () => {
    await runBulkScenario('azurite', 300);
  }, 240_000);
});
