// node watchdog.ts STATE_FILE OWNER_PID OWNER_START_TIME
// Started detached by the vitest global set-up: if the test run dies without its teardown
// (SIGKILL, a killed parent shell), this stops the servers it recorded and removes their folder.
// The normal teardown stops the servers itself and then ends this process.

import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopServers } from './index.ts';
import { procStartTime } from './process.ts';

const [stateFile, ownerPid, ownerStart] = process.argv.slice(2);
if (!stateFile || !ownerPid) {
  console.error('usage: node watchdog.ts STATE_FILE OWNER_PID OWNER_START_TIME');
  process.exit(2);
}
const pid = Number(ownerPid);
const ownerAlive = () => {
  const now = procStartTime(pid);
  return now !== null && (!ownerStart || now === ownerStart);
};

while (ownerAlive() && existsSync(stateFile)) await sleep(1000);
if (existsSync(stateFile)) {
  const results = await stopServers(stateFile);
  console.error(
    `[test-servers watchdog] owner ${pid} is gone; ${results.map((r) => `${r.name} ${r.result}`).join(', ')}`,
  );
}
