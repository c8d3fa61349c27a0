import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from './usage-error.js';

/**
 * The CLI's config file: named remotes (like rclone remotes or aws profiles) and provider
 * packages to load. JSON in `$PARTCOPY_CONFIG`, else `$XDG_CONFIG_HOME/partcopy/config.json`, else
 * `~/.config/partcopy/config.json`; written with mode 0600 (it may hold keys) in a 0700 folder.
 */
export interface CliConfig {
  remotes: Record<string, RemoteConfig>;
  /** Provider packages (or paths) imported at start; their factories' schemes are registered. */
  providers?: string[];
}

/** One remote: a store type and how to reach it. Field names are the JSON keys. */
export interface RemoteConfig {
  /** `s3`, `az`, `gs`, or a scheme a provider package registers. */
  type?: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  forcePathStyle?: boolean;
  connectionString?: string;
  accountName?: string;
  accountKey?: string;
  sasToken?: string;
  sasUrl?: string;
  project?: string;
  keyFile?: string;
  caBundle?: string;
  verifySsl?: boolean;
  /** A provider package or path providing `type` (loaded when the remote is used). */
  providerModule?: string;
  /** Options handed as they are to a third-party provider's factory. */
  options?: Record<string, unknown>;
}

/** Fields that are secrets: never printed by `config list` or `config show`. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'secretAccessKey',
  'sessionToken',
  'connectionString',
  'accountKey',
  'sasToken',
  'sasUrl',
]);

/** The fields `config add` accepts as `key=value`, with their type. */
export const REMOTE_FIELDS: Readonly<Record<string, 'string' | 'boolean'>> = {
  endpoint: 'string',
  region: 'string',
  profile: 'string',
  accessKeyId: 'string',
  secretAccessKey: 'string',
  sessionToken: 'string',
  forcePathStyle: 'boolean',
  connectionString: 'string',
  accountName: 'string',
  accountKey: 'string',
  sasToken: 'string',
  sasUrl: 'string',
  project: 'string',
  keyFile: 'string',
  caBundle: 'string',
  verifySsl: 'boolean',
  providerModule: 'string',
};

/**
 * Where the config file is for the command's environment; undefined when that environment names
 * no home at all (a program running `runCli` with an environment of its own then never reads the
 * user's file by accident).
 */
export function findConfigPath(env: Record<string, string | undefined>): string | undefined {
  if (env.PARTCOPY_CONFIG) return env.PARTCOPY_CONFIG;
  const base = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, '.config') : undefined);
  return base === undefined ? undefined : join(base, 'partcopy', 'config.json');
}

/** The config file's path, for the commands that write it: a usage error when there is none. */
export function configPath(env: Record<string, string | undefined>): string {
  const path = findConfigPath(env);
  if (path === undefined)
    throw new UsageError('no config file location: set HOME, XDG_CONFIG_HOME or PARTCOPY_CONFIG');
  return path;
}

/** Reads the config file; an absent file (or no location) is an empty config. */
export async function readConfig(path: string | undefined): Promise<CliConfig> {
  if (path === undefined) return { remotes: {} };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { remotes: {} };
    throw new UsageError(`cannot read the config file ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`the config file ${path} is not valid JSON; fix it or remove it`);
  }
  const config = (parsed ?? {}) as Partial<CliConfig>;
  if (typeof config !== 'object' || Array.isArray(config))
    throw new UsageError(`the config file ${path} must hold a JSON object`);
  return { ...config, remotes: { ...(config.remotes ?? {}) } };
}

/** Writes the config file with mode 0600 (replacing it atomically). */
export async function writeConfig(path: string, config: CliConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** A remote as `config list`/`config show` print it: secrets replaced by `(set)`. */
export function redactedRemote(remote: RemoteConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(remote)) {
    if (name === 'options' && value && typeof value === 'object')
      out[name] = Object.fromEntries(Object.keys(value).map((key) => [key, '(set)']));
    else out[name] = SECRET_FIELDS.has(name) ? '(set)' : value;
  }
  return out;
}

/** Remote names: lower-case letters, digits and `-`, starting with a letter (they become URL schemes). */
export function checkRemoteName(name: string): void {
  if (!/^[a-z][a-z0-9-]*$/.test(name))
    throw new UsageError(
      `remote name "${name}": use lower-case letters, digits and -, starting with a letter`,
      'config add',
    );
}
