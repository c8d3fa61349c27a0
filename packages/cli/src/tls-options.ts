import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { resolve } from 'node:path';
import { PartCopyError } from '@partcopy/core';
import type { RemoteConfig } from './config-file.js';
import { first } from './option-layers.js';
import type { FlagSettings } from './provider-options.js';
import { UsageError } from './usage-error.js';

/** An HTTPS agent for `--ca-bundle` / `--no-verify-ssl`, and what `--debug` says about it. */
export interface Tls {
  agent?: Agent;
  summary?: string;
}

/** `--ca-bundle` and `--no-verify-ssl` (flags, then `AWS_CA_BUNDLE`, then the remote) as an HTTPS agent for s3://. */
export function tlsSettings(
  flags: FlagSettings,
  envBundle: string | undefined,
  remote: RemoteConfig,
  cwd: string,
): Tls {
  const verify = first(flags.verifySsl, remote.verifySsl) ?? true;
  const bundle = first(flags.caBundle, envBundle, remote.caBundle);
  if (verify && !bundle) return {};
  let ca: Buffer | undefined;
  if (bundle) {
    try {
      ca = readFileSync(resolve(cwd, bundle));
    } catch (error) {
      throw new UsageError(
        `--ca-bundle: cannot read ${bundle} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  return {
    agent: new Agent({ keepAlive: true, rejectUnauthorized: verify, ...(ca ? { ca } : {}) }),
    summary: verify ? `CA bundle ${bundle}` : 'certificate not verified (--no-verify-ssl)',
  };
}

/** The other stores' SDKs take no agent from here: the TLS flags are refused with what to do instead. */
export function refuseTlsFlags(scheme: string, flags: FlagSettings, remote: RemoteConfig): void {
  if (flags.verifySsl === false || flags.caBundle || remote.caBundle || remote.verifySsl === false) {
    throw new PartCopyError(
      'Unsupported',
      `--ca-bundle and --no-verify-ssl apply to s3:// only; for ${scheme}:// start partcopy with NODE_EXTRA_CA_CERTS=FILE to trust another CA`,
      { operation: 'resolve' },
    );
  }
}
