import { spawn } from 'node:child_process';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_VERSION } from '@partcopy/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The bin is bundled from source with esbuild (tsup's own bundler) so this test needs no prior
// build of any workspace package; the cloud providers stay dynamic imports, so the bundle, like
// an install without them, cannot find @partcopy/s3.
const packagesDir = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
let bin: string;

interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partcopy-bin-'));
  bin = join(dir, 'partcopy.mjs');
  const fromRoot = createRequire(join(packagesDir, '..', 'package.json'));
  const esbuild = createRequire(fromRoot.resolve('tsup'))('esbuild') as Esbuild;
  await esbuild.build({
    entryPoints: [join(packagesDir, 'cli/src/bin.ts')],
    outfile: bin,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'silent',
    plugins: [
      {
        name: 'workspace-sources',
        setup(build: {
          onResolve: (o: { filter: RegExp }, f: (a: { path: string }) => { path: string }) => void;
        }) {
          build.onResolve({ filter: /^@partcopy\/(core|fs|memory)$/ }, (args) => ({
            path: join(packagesDir, args.path.slice('@partcopy/'.length), 'src/index.ts'),
          }));
        },
      },
    ],
  });
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function partcopy(
  args: string[],
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, PARTCOPY_FS_ROOT: join(dir, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('the partcopy executable', () => {
  it('prints its version', async () => {
    const run = await partcopy(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${CLI_VERSION}\n` });
  });

  it('says to install @partcopy/s3 for s3:// URLs when it is not installed (exit 5)', async () => {
    const run = await partcopy(['ls', 's3://bucket']);
    expect(run.code).toBe(5);
    expect(run.stderr).toBe('partcopy: Unsupported: install @partcopy/s3 to use s3:// URLs\n');
  });

  it('Ctrl-C (SIGINT) during cp aborts the upload and exits 130', async () => {
    await writeFile(join(dir, 'big.bin'), '');
    await truncate(join(dir, 'big.bin'), 60 * 1024 * 1024); // sparse: cheap to make
    expect((await partcopy(['mb', 'file://demo'])).code).toBe(0);
    expect((await partcopy(['put', 'big.bin', 'file://demo/big.bin'])).code).toBe(0);
    let sent = false;
    const run = await partcopy(
      [
        'cp',
        'file://demo/big.bin',
        'file://demo/copy.bin',
        '--part-size',
        '5MiB',
        '--concurrency',
        '1',
        '--verbose',
      ],
      (stderr, child) => {
        if (!sent && /uploadPartCopy demo\/copy\.bin part 1: response/.test(stderr)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('partcopy: interrupted (RequestAborted');
    expect(run.stderr).toMatch(/abortMultipartUpload demo\/copy\.bin: response/);
    const uploads = await partcopy(['uploads', 'list', 'file://demo', '--json']);
    expect(JSON.parse(uploads.stdout)).toMatchObject({ uploads: [] });
    expect((await partcopy(['head', 'file://demo/copy.bin'])).code).toBe(3);
  }, 300_000);
});
