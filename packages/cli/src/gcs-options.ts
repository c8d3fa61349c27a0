import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { first, parseBoolean } from './option-layers.js';
import type { OptionLayers, ResolvedOptions } from './provider-options.js';
import { refuseTlsFlags } from './tls-options.js';

/** `gs://` options: endpoint, key file, project (from the credentials when no variable names one). */
export function gcsOptions({ flags, env, remote, cwd }: OptionLayers): ResolvedOptions {
  const r = remote?.config ?? {};
  refuseTlsFlags('gs', flags, r);
  const options: Record<string, unknown> = {};
  const endpoint = first(flags.endpoint, r.endpoint);
  if (endpoint) options.apiEndpoint = endpoint;
  const keyFile = first(r.keyFile, env.GOOGLE_APPLICATION_CREDENTIALS);
  if (r.keyFile) options.keyFilename = resolve(cwd, r.keyFile);
  // GOOGLE_CLOUD_PROJECT is read by the factory; otherwise the project named in the
  // credentials file, as gcloud and the SDK's ADC do. An emulator (STORAGE_EMULATOR_HOST, or an
  // endpoint without a key file) has no real projects, but the SDK builds no request without one:
  // it gets a fixed name rather than a failure.
  const emulator = env.STORAGE_EMULATOR_HOST;
  const local = Boolean(emulator || ((endpoint || env.PARTCOPY_GCS_ENDPOINT) && !keyFile));
  const project = first(
    env.PARTCOPY_GCS_PROJECT,
    env.GOOGLE_CLOUD_PROJECT,
    r.project,
    projectOfKeyFile(keyFile, cwd),
    local ? EMULATOR_PROJECT : undefined,
  );
  if (project) options.projectId = project;
  const streaming = env.PARTCOPY_GCS_CLIENT_STREAMING;
  if (streaming) options.allowClientStreaming = parseBoolean(streaming, 'PARTCOPY_GCS_CLIENT_STREAMING');
  return {
    options,
    summary: {
      endpoint: endpoint ?? env.PARTCOPY_GCS_ENDPOINT ?? emulator,
      project,
      credentials: local
        ? 'none (emulator / custom endpoint)'
        : keyFile
          ? `key file ${keyFile}`
          : 'Application Default Credentials',
      remote: remote?.name,
    },
  };
}

/** The project an emulator's buckets are made in when nothing names one. */
export const EMULATOR_PROJECT = 'partcopy-local';

function projectOfKeyFile(path: string | undefined, cwd: string): string | undefined {
  if (!path) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(resolve(cwd, path), 'utf8')) as {
      project_id?: unknown;
      quota_project_id?: unknown;
    };
    const project = parsed.project_id ?? parsed.quota_project_id;
    return typeof project === 'string' ? project : undefined;
  } catch {
    return undefined; // the SDK reports an unreadable key file itself, in its own words
  }
}
