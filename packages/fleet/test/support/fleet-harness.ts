/**
 * Worker processes for the fleet tests: the child bundled from sources (as the CLI's crash tests
 * bundle theirs), started with its own environment, its output watched line by line so a test
 * waits for evidence (`ready`, `held`) instead of a timer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packagesDir = fileURLToPath(new URL('../../../', import.meta.url));

interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>;
}

export async function bundleWorker(dir: string): Promise<string> {
  const outfile = join(dir, 'fleet-worker-child.mjs');
  const fromRoot = createRequire(join(packagesDir, '..', 'package.json'));
  const esbuild = createRequire(fromRoot.resolve('tsup'))('esbuild') as Esbuild;
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./worker-child.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'silent',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    plugins: [
      {
        name: 'workspace-sources',
        setup(build: {
          onResolve: (o: { filter: RegExp }, f: (a: { path: string }) => { path: string }) => void;
        }) {
          build.onResolve({ filter: /^@partcopy\/[a-z0-9-]+(\/[a-z0-9-]+)?$/ }, (args) => {
            const [, name, entry] = /^@partcopy\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?$/.exec(args.path) ?? [];
            return { path: join(packagesDir, name as string, 'src', `${entry ?? 'index'}.ts`) };
          });
        },
      },
    ],
  });
  return outfile;
}

export class WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  stderr = '';
  readonly #waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(script: string, env: Record<string, string>) {
    const childEnv = { ...process.env, ...env };
    delete childEnv.NODE_OPTIONS;
    this.child = spawn(process.execPath, [script], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        this.#line(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
      }
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** Resolves with the first output line matching `pattern` (already printed or to come). */
  waitFor(pattern: RegExp): Promise<string> {
    const found = this.lines.find((l) => pattern.test(l));
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ pattern, resolve });
      void this.exited.then(({ code, signal }) =>
        reject(
          new Error(`worker exited (${code ?? signal}) before printing ${pattern}; stderr:\n${this.stderr}`),
        ),
      );
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Stops the worker gracefully; SIGKILL if it does not exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  #line(line: string): void {
    this.lines.push(line);
    for (const waiter of [...this.#waiters]) {
      if (waiter.pattern.test(line)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  }
}
