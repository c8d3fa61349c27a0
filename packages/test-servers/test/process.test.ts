import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts } from '../src/net.ts';
import { isOwnedAlive, runInstallStep, ServerError, spawnServer, stopOwned } from '../src/process.ts';
import type { ServerDefinition } from '../src/servers.ts';
import { startServer } from '../src/servers.ts';

const dir = mkdtempSync(join(tmpdir(), 'partcopy-test-servers-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('process handling', () => {
  it('reports a missing program with the server and the command', async () => {
    const err = await runInstallStep('minio', ['partcopy-no-such-go', 'install', 'x@v1'], {
      cwd: dir,
      logFile: join(dir, 'install.log'),
      missingHint: 'Install Go.',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as Error).message).toMatch(
      /^\[minio\] cannot install: `partcopy-no-such-go` is not on PATH\. Install Go\./,
    );
    expect((err as Error).message).toContain('command: partcopy-no-such-go install x@v1');
  });

  it('reports a failing install step with its log tail', async () => {
    const err = await runInstallStep(
      'moto',
      [process.execPath, '-e', 'console.log("pip said no"); process.exit(4)'],
      {
        cwd: dir,
        logFile: join(dir, 'install2.log'),
      },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/\[moto\] install step exited with 4.*pip said no/s);
  });

  it('stops the whole process group it started, and nothing once the pid means another process', async () => {
    const proc = await spawnServer({
      server: 'unit',
      // A child of the leader, which must die with the group.
      argv: [
        process.execPath,
        '-e',
        'require("child_process").spawn(process.execPath, ["-e", "setInterval(()=>{},1000)"], {stdio: "inherit"}); setInterval(()=>{},1000)',
      ],
      env: process.env,
      cwd: dir,
      logFile: join(dir, 'group.log'),
    });
    expect(isOwnedAlive(proc)).toBe(true);
    expect(await stopOwned({ ...proc, startTime: 'not-the-same' })).toBe('skipped');
    expect(isOwnedAlive(proc)).toBe(true);
    expect(await stopOwned(proc)).toBe('stopped');
    expect(isOwnedAlive(proc)).toBe(false);
    expect(() => process.kill(-proc.pid, 0)).toThrow();
    expect(await stopOwned(proc)).toBe('gone');
  });

  it('names the server, the command and the log tail when a server dies at start', async () => {
    const def: ServerDefinition = {
      name: 'gcs',
      install: 'fake-gcs-server',
      portCount: 1,
      async prepare(_ctx, cwd) {
        return {
          argv: [
            process.execPath,
            '-e',
            'console.error("listen tcp: address already in use"); process.exit(1)',
          ],
          env: process.env,
          cwd,
          dataDirs: [],
          ports: {},
          healthUrl: 'http://127.0.0.1:1/',
          healthy: () => true,
          vars: {},
        };
      },
    };
    const ports = await freePorts(1);
    const err = await startServer(def, {
      runDir: dir,
      ports,
      minioCredentials: { accessKey: 'a', secretKey: 'b' },
      emulatorData: 'memory',
      log: () => {},
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    const message = (err as Error).message;
    expect(message).toMatch(/^\[gcs\] exited before it became healthy/);
    expect(message).toContain('address already in use');
    expect(message).toContain(`command: ${process.execPath} -e`);
  });

  it('hands out distinct free ports', async () => {
    const ports = await freePorts(5);
    expect(new Set(ports).size).toBe(5);
  });
});
