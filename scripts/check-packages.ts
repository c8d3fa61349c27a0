// Checks every publishable package the way a registry user would meet it: publint (exports,
// files and fields agree with what was built) and are-the-types-wrong (types resolve for ESM and
// CJS consumers under every module resolution). Run after `pnpm run build`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
const failures: string[] = [];

for (const folder of readdirSync(packagesDir).sort()) {
  const dir = join(packagesDir, folder);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    private?: boolean;
  };
  if (manifest.private) continue;
  const packDir = mkdtempSync(join(tmpdir(), 'partcopy-pack-'));
  try {
    run('pnpm', ['exec', 'publint', '--strict', dir], manifest.name, 'publint');
    execFileSync('pnpm', ['pack', '--pack-destination', packDir], { cwd: dir, stdio: 'ignore' });
    const tarball = join(packDir, readdirSync(packDir)[0] as string);
    run('pnpm', ['exec', 'attw', '--format', 'table-flipped', tarball], manifest.name, 'are-the-types-wrong');
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], name: string, what: string): void {
  try {
    execFileSync(command, args, { cwd: root, stdio: 'pipe', encoding: 'utf8' });
    console.log(`ok   ${name}: ${what}`);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    console.log(`FAIL ${name}: ${what}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    failures.push(`${name} (${what})`);
  }
}

if (failures.length > 0) {
  console.error(`\npackage checks failed: ${failures.join(', ')}`);
  process.exit(1);
}
