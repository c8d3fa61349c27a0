#!/usr/bin/env node
// node packages/test-servers/src/cli.ts install|start|stop|env|status [options]
// Progress goes to stderr; `start` and `env` print only `export NAME='value'` lines on stdout,
// so `eval "$(node packages/test-servers/src/cli.ts start)"` sets up a shell.

import { parseArgs } from 'node:util';
import type { ServerName } from './env.ts';
import { SERVER_NAMES } from './env.ts';
import { startServers, stopServers } from './index.ts';
import type { InstallTarget } from './install.ts';
import { INSTALL_TARGETS, installAll } from './install.ts';
import { defaultStateFile } from './paths.ts';
import { isOwnedAlive } from './process.ts';
import { isReachable } from './servers.ts';
import { collectEnv, formatExports, readState } from './state.ts';

const USAGE = `usage: node packages/test-servers/src/cli.ts <command> [options]

commands:
  install [target...]   build/download servers into the cache (${INSTALL_TARGETS.join(', ')}); idempotent
  start                 install if needed, start servers on 127.0.0.1, print export lines
  stop                  stop the servers a start recorded in the state file, remove their temp dir
  env                   print the export lines of the running servers again
  status                show each recorded server, its pid and whether it answers (exit 1 if not all do)

options:
  --state FILE          state file (default $PARTCOPY_SERVERS_STATE or <cache>/servers/run/state.json)
  --only a,b            start only these servers (${SERVER_NAMES.join(', ')})
  --emulator-data WHERE memory (default) or disk: where Azurite and fake-gcs-server keep objects
                        (disk for runs that move many GiB: in memory they fill the machine)
`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      state: { type: 'string' },
      only: { type: 'string' },
      'emulator-data': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.error(USAGE);
    process.exit(command ? 0 : 2);
  }
  const stateFile = values.state ?? defaultStateFile();

  switch (command) {
    case 'install': {
      const targets = (rest.length > 0 ? rest : INSTALL_TARGETS) as InstallTarget[];
      const unknown = targets.filter((t) => !INSTALL_TARGETS.includes(t));
      if (unknown.length > 0) fail(`unknown install target(s): ${unknown.join(', ')}\n\n${USAGE}`);
      const started = Date.now();
      const results = await installAll(targets);
      // One line per target with its time, so a slow cold install shows which server cost it.
      for (const r of results) {
        const how = r.built ? `installed in ${r.seconds.toFixed(0)} s` : 'already in the cache';
        console.error(`[${r.target}] ${how}: ${r.location}`);
      }
      console.error(`install: ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
      return;
    }
    case 'start': {
      const existing = readState(stateFile);
      if (existing) {
        const alive = existing.servers.filter((s) => isOwnedAlive(s.process));
        if (alive.length > 0) {
          fail(
            `servers from an earlier start are still running (state ${stateFile}); ` +
              'run `node packages/test-servers/src/cli.ts stop` first, or pass --state FILE for a second set',
          );
        }
      }
      const only = values.only?.split(',').map((s) => s.trim()) as ServerName[] | undefined;
      const unknown = (only ?? []).filter((n) => !SERVER_NAMES.includes(n));
      if (unknown.length > 0) fail(`unknown server(s): ${unknown.join(', ')}\n\n${USAGE}`);
      const emulatorData = values['emulator-data'] ?? 'memory';
      if (emulatorData !== 'memory' && emulatorData !== 'disk')
        fail(`--emulator-data must be memory or disk (got ${emulatorData})\n\n${USAGE}`);
      const started = Date.now();
      const set = await startServers({ servers: only, stateFile, emulatorData });
      console.error(
        `all servers ready in ${Date.now() - started} ms; state ${stateFile}; logs in ${set.runDir}`,
      );
      console.log(formatExports({ ...set.env, PARTCOPY_SERVERS_STATE: stateFile }));
      return;
    }
    case 'stop': {
      const state = readState(stateFile);
      if (!state) {
        console.error(`nothing to stop: no state file at ${stateFile}`);
        return;
      }
      const results = await stopServers(stateFile);
      for (const r of results) console.error(`[${r.name}] ${r.result}`);
      return;
    }
    case 'env': {
      const state = readState(stateFile);
      if (!state)
        fail(`no servers recorded at ${stateFile}; run \`node packages/test-servers/src/cli.ts start\``);
      console.log(formatExports({ ...collectEnv(state.servers), PARTCOPY_SERVERS_STATE: stateFile }));
      return;
    }
    case 'status': {
      const state = readState(stateFile);
      if (!state) fail(`no servers recorded at ${stateFile}`);
      const env = { ...process.env, ...collectEnv(state.servers) };
      let allOk = true;
      for (const s of state.servers) {
        const alive = isOwnedAlive(s.process);
        const answers = alive && (await isReachable(s.name, env));
        allOk &&= answers;
        console.log(
          `${s.name.padEnd(10)} pid ${String(s.process.pid).padEnd(8)} ${alive ? 'running' : 'not running'}` +
            `${alive ? (answers ? ', answers' : ', NOT answering') : ''}  ports ${JSON.stringify(s.ports)}  log ${s.logFile}`,
        );
      }
      if (!allOk) process.exit(1);
      return;
    }
    default:
      fail(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof AggregateError) {
    console.error(err.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join('\n\n'));
  } else {
    console.error(err instanceof Error ? err.message : String(err));
  }
  process.exit(1);
});
