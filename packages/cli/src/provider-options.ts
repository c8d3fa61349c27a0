import { azureOptions } from './azure-options.js';
import type { RemoteConfig } from './config-file.js';
import { gcsOptions } from './gcs-options.js';
import { s3Options } from './s3-options.js';

/**
 * Where a store points and how it authenticates, from three layers: the command's flags, then
 * the environment, then the named remote in the config file (first defined value wins). Each
 * store's credentials then come from its SDK's own providers; nothing here re-implements a chain.
 */
export interface StoreSettings {
  endpoint?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  /** False for `--no-verify-ssl`. */
  verifySsl?: boolean | undefined;
  caBundle?: string | undefined;
}

/** The global flags that configure a store (`--endpoint-url`, `--region`, ...). */
export type FlagSettings = StoreSettings;

export interface OptionLayers {
  flags: FlagSettings;
  env: Record<string, string | undefined>;
  /** The remote a URL named (`minio:bucket/key`), with its name. */
  remote?: { name: string; config: RemoteConfig } | undefined;
  /** Folder relative paths (a CA bundle, a key file) are resolved against. */
  cwd: string;
}

/** Provider options, and what `--debug` may say about them (sources and endpoints, no secrets). */
export interface ResolvedOptions {
  options: Record<string, unknown>;
  summary: Record<string, unknown>;
}

/** The kind of store a provider name or scheme is (`az` and `azure` are Azure). */
export function storeKind(name: string): 's3' | 'azure' | 'gcs' | undefined {
  if (name === 's3') return 's3';
  if (name === 'az' || name === 'azure') return 'azure';
  if (name === 'gs' || name === 'gcs') return 'gcs';
  return undefined;
}

/** The provider options for a store of `kind` (a third-party scheme gets its remote's `options`). */
export async function providerOptions(kind: string, layers: OptionLayers): Promise<ResolvedOptions> {
  const store = storeKind(kind);
  if (store === 's3') return s3Options(layers);
  if (store === 'azure') return azureOptions(layers);
  if (store === 'gcs') return gcsOptions(layers);
  const options = { ...(layers.remote?.config.options ?? {}) };
  return { options, summary: { remote: layers.remote?.name, options: Object.keys(options) } };
}
