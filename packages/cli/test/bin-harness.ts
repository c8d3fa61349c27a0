import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The bin and the provider packages are bundled from source with esbuild (tsup's own bundler), so
// these tests need no prior build of any workspace package. Each provider goes into its own
// `node_modules/@partcopy/<name>` next to the bin, as an install would put it: the CLI imports it
// on first use of its scheme, and a bin built without it behaves as an install without it.
const packagesDir = fileURLToPath(new URL('../../', import.meta.url));
const rootDir = join(packagesDir, '..');

interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>;
}

interface ResolveBuild {
  onResolve: (o: { filter: RegExp }, f: (a: { path: string }) => { path: string }) => void;
}

// Workspace packages resolve to their sources (their `dist` may not exist).
const workspaceSources = {
  name: 'workspace-sources',
  setup(build: ResolveBuild) {
    build.onResolve({ filter: /^@partcopy\/[a-z0-9-]+(\/[a-z0-9-]+)?$/ }, (args) => {
      const [, name, entry] = /^@partcopy\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?$/.exec(args.path) ?? [];
      return { path: join(packagesDir, name as string, 'src', `${entry ?? 'index'}.ts`) };
    });
  },
};

// CommonJS dependencies (the cloud SDKs) call require() for Node built-ins.
const requireShim =
  "import { createRequire as __pcCreateRequire } from 'node:module'; const require = __pcCreateRequire(import.meta.url);";

function esbuild(): Esbuild {
  const fromRoot = createRequire(join(rootDir, 'package.json'));
  return createRequire(fromRoot.resolve('tsup'))('esbuild') as Esbuild;
}

async function bundle(entry: string, outfile: string, target = 'node22'): Promise<void> {
  await esbuild().build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target,
    logLevel: 'silent',
    banner: { js: requireShim },
    plugins: [workspaceSources],
  });
}

/** The provider packages a test bin can be installed with. */
export type BundledProvider = 's3' | 'azure' | 'gcs';

export interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  /** Called with the whole stderr so far on every chunk (e.g. to send a signal at some point). */
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
  /** The Node executable (default: the one running the tests). */
  node?: string;
}

/** A temporary install of the `partcopy` executable, and a way to run it as a child process. */
export class BinHarness {
  readonly dir: string;
  readonly bin: string;

  private constructor(dir: string) {
    this.dir = dir;
    this.bin = join(dir, 'partcopy.mjs');
  }

  static async create(providers: readonly BundledProvider[] = []): Promise<BinHarness> {
    const harness = new BinHarness(await mkdtemp(join(tmpdir(), 'partcopy-bin-')));
    await bundle(join(packagesDir, 'cli/src/bin.ts'), harness.bin);
    for (const name of providers)
      await harness.installModule(`@partcopy/${name}`, join(packagesDir, name, 'src/index.ts'));
    return harness;
  }

  /** Bundles `entry` as the package `name` in the bin's node_modules; returns the bundle's path. */
  async installModule(name: string, entry: string): Promise<string> {
    const folder = join(this.dir, 'node_modules', name);
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'package.json'),
      JSON.stringify({ name, type: 'module', main: 'index.mjs' }),
    );
    await bundle(entry, join(folder, 'index.mjs'));
    return join(folder, 'index.mjs');
  }

  /** Runs `partcopy args...` with only PATH, a data folder and `env` in its environment. */
  run(args: string[], options: SpawnOptions = {}): Promise<Spawned> {
    return new Promise((resolve, reject) => {
      const child = spawn(options.node ?? process.execPath, [this.bin, ...args], {
        cwd: this.dir,
        env: {
          PATH: process.env.PATH,
          HOME: this.dir,
          XDG_CONFIG_HOME: join(this.dir, 'config'),
          PARTCOPY_FS_ROOT: join(this.dir, 'data'),
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        options.onStderr?.(stderr, child);
      });
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The workspace's packages folder (for tests that bundle an example provider). */
export const PACKAGES_DIR = packagesDir;
export const ROOT_DIR = rootDir;
