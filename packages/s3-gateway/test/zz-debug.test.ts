import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { it } from 'vitest';
import { startGateway } from './support/gateway-harness.js';

it('debug', async () => {
  const g = await startGateway('memory', { credentials: [{ accessKeyId: 'AK', secretAccessKey: 'SK' }] });
  const port = new URL(g.url).port;
  try {
    const r = await promisify(execFile)(
      process.env.HOME + '/.cache/partcopy/s3-tests-venv/bin/python',
      [process.env.DEBUG_PY ?? '/tmp/gws-v2b.py', port],
      { encoding: 'utf8' },
    );
    console.log(r.stdout, r.stderr);
  } catch (e) {
    console.log(String((e as { stdout: string }).stdout), String((e as { stderr: string }).stderr));
  }
  console.log(JSON.stringify(g.log, null, 1));
  await g.close();
}, 60000);
