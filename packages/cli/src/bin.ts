#!/usr/bin/env node
// The entry point checks the Node version before it loads anything else: the CLI and its
// dependencies use APIs of Node 22.12+, and on an older Node they would fail with a confusing
// error or, worse, half work. Nothing but node:v8 (young-generation.ts) is imported statically
// here, so this file runs on any Node.
import { keepYoungGenerationSmall } from './young-generation.js';

const MINIMUM = [22, 12] as const;

function supported(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
}

if (supported(process.versions.node)) {
  // Before anything is loaded: V8 grows its young generation while the SDKs load (see the file).
  keepYoungGenerationSmall();
  // No top-level await: the bin is also built as CommonJS. The compile cache (compile-cache.ts)
  // is turned on before the CLI and the cloud SDKs are loaded, so they are the code it keeps.
  void import('./compile-cache.js')
    .then((cache) => cache.enableCompileCache())
    .catch(() => undefined)
    .then(() => import('./process-main.js'));
} else {
  process.stderr.write(
    `partcopy: Node.js ${process.version} is too old: partcopy needs Node.js ${MINIMUM.join('.')} or newer.\n` +
      'Install a current Node.js (https://nodejs.org, or "nvm install 22" / "fnm install 22") and run partcopy again.\n',
  );
  process.exitCode = 1;
}
