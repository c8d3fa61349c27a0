// Checks every publishable package the way a registry user would meet it: publint (exports,
// files and fields agree with what was built), are-the-types-wrong (types resolve for ESM and
// CJS consumers under every module resolution) and the licence (the tarball carries the
// repository's Apache-2.0 LICENSE). Run after `pnpm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { publishedPackages, root } from './published-packages.ts';

const failures: string[] = [];
const license = readFileSync(join(root, 'LICENSE'), 'utf8');

for (const { name, dir } of publishedPackages()) {
  const packDir = mkdtempSync(join(tmpdir(), 'partcopy-pack-'));
  try {
    run('pnpm', ['exec', 'publint', '--strict', dir], name, 'publint');
    execFileSync('pnpm', ['pack', '--pack-destination', packDir], { cwd: dir, stdio: 'ignore' });
    const tarball = join(packDir, readdirSync(packDir)[0] as string);
    // node16 profile: every package requires Node >= 22.12 (engines), so the node10 resolution,
    // which cannot see subpath entries such as @partcopy/core/provider, does not apply.
    run(
      'pnpm',
      ['exec', 'attw', '--profile', 'node16', '--format', 'table-flipped', tarball],
      name,
      'are-the-types-wrong',
    );
    checkLicense(tarball, dir, name);
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

// The tarball must carry the root LICENSE. pnpm pack falls back to the workspace root's LICENSE
// when a package has none, npm pack does not, so each package also keeps its own copy.
function checkLicense(tarball: string, dir: string, name: string): void {
  const packed = tarEntry(tarball, 'package/LICENSE');
  const own = existsSync(join(dir, 'LICENSE')) ? readFileSync(join(dir, 'LICENSE'), 'utf8') : undefined;
  const problem =
    packed === undefined
      ? 'the packed tarball has no LICENSE'
      : packed !== license
        ? 'the packed tarball has a LICENSE that differs from the root LICENSE'
        : own !== license
          ? `${relative(root, dir)}/LICENSE is missing or differs from the root LICENSE`
          : undefined;
  if (problem === undefined) {
    console.log(`ok   ${name}: LICENSE`);
    return;
  }
  console.log(`FAIL ${name}: ${problem}; copy the root LICENSE into ${relative(root, dir)}/`);
  failures.push(`${name} (LICENSE)`);
}

function tarEntry(tarball: string, path: string): string | undefined {
  try {
    return execFileSync('tar', ['-xzOf', tarball, path], { encoding: 'utf8', stdio: 'pipe' });
  } catch {
    return undefined;
  }
}

if (failures.length > 0) {
  console.error(`\npackage checks failed: ${failures.join(', ')}`);
  process.exit(1);
}
