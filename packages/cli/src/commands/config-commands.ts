/**
 * `partcopy config add|list|show|remove`: named remotes in the config file (see config-file.ts).
 * Secrets are written to the file (mode 0600) and never printed.
 */
import type { CommandContext, CommandSpec } from '../command.js';
import {
  type CliConfig,
  checkRemoteName,
  configPath,
  REMOTE_FIELDS,
  type RemoteConfig,
  readConfig,
  redactedRemote,
  writeConfig,
} from '../config-file.js';
import { formatTable } from '../output.js';
import { UsageError } from '../usage-error.js';

const BUILT_IN_SCHEMES = new Set(['s3', 'az', 'gs', 'gcs', 'file', 'mem']);

export const configAddCommand: CommandSpec = {
  name: 'config add',
  summary: 'add (or replace) a named remote in the config file',
  usage: 'NAME TYPE [key=value ...] [options]',
  description: [
    'Saves a remote NAME of TYPE (s3, az, gs, or a scheme of a provider package) in the config file,',
    'with the global --endpoint-url, --region, --profile, --ca-bundle and --no-verify-ssl given here, and',
    `key=value settings: ${Object.keys(REMOTE_FIELDS).join(', ')}.`,
    'Use it as NAME:bucket/key or NAME://bucket/key. The file is written with mode 0600.',
    'A value of - is read from standard input, to keep a secret out of the shell history.',
  ],
  positionals: { min: 2, max: 1000 },
  options: {},
  examples: [
    'partcopy config add minio s3 --endpoint-url http://127.0.0.1:9000 accessKeyId=minio secretAccessKey=minio123',
    'partcopy config add prod s3 --profile prod --region eu-west-1',
    'partcopy config add blobs az accountName=myaccount        # Entra ID sign-in (DefaultAzureCredential)',
    'partcopy config add lake gs keyFile=/secure/lake.json',
    'pass show minio | partcopy config add minio s3 --endpoint-url http://127.0.0.1:9000 accessKeyId=minio secretAccessKey=-',
  ],
  async run(ctx) {
    const name = ctx.positional(0);
    const type = ctx.positional(1).replace(/:\/\/$/, '');
    checkRemoteName(name);
    if (BUILT_IN_SCHEMES.has(name))
      throw new UsageError(`"${name}" is a built-in scheme; pick another remote name`, ctx.command);
    const remote: RemoteConfig = { type, ...flagFields(ctx) };
    for (const pair of ctx.positionals.slice(2)) Object.assign(remote, parseField(pair, ctx.command));
    await readSecretFromStdin(ctx, remote);
    const path = configPath(ctx.io.env);
    const config = await readConfig(path);
    config.remotes[name] = remote;
    await writeConfig(path, config);
    return {
      result: { name, path, remote: redactedRemote(remote) },
      human: [`saved remote ${name} (${type}) in ${path}`],
    };
  },
};

export const configListCommand: CommandSpec = {
  name: 'config list',
  summary: 'list the remotes in the config file (no secrets)',
  usage: '[options]',
  positionals: { min: 0, max: 0 },
  options: {},
  async run(ctx) {
    const path = configPath(ctx.io.env);
    const config = await readConfig(path);
    const remotes = Object.entries(config.remotes).map(([name, remote]) => ({
      name,
      type: remote.type,
      endpoint: remote.endpoint,
      region: remote.region,
      profile: remote.profile,
    }));
    const rows = remotes.map((r) => [r.name, r.type ?? '', r.endpoint ?? r.profile ?? '']);
    return {
      result: { path, remotes, providers: config.providers ?? [] },
      human:
        rows.length === 0 ? [`no remotes in ${path}`] : formatTable([['NAME', 'TYPE', 'WHERE'], ...rows]),
    };
  },
};

export const configShowCommand: CommandSpec = {
  name: 'config show',
  summary: 'show one remote; secrets are shown as (set)',
  usage: 'NAME [options]',
  positionals: { min: 1, max: 1 },
  options: {},
  async run(ctx) {
    const { config, name } = await existing(ctx);
    const shown = redactedRemote(config.remotes[name] as RemoteConfig);
    return { result: { name, ...shown } };
  },
};

export const configRemoveCommand: CommandSpec = {
  name: 'config remove',
  summary: 'remove a remote from the config file',
  usage: 'NAME [options]',
  positionals: { min: 1, max: 1 },
  options: {},
  async run(ctx) {
    const { config, name, path } = await existing(ctx);
    delete config.remotes[name];
    await writeConfig(path, config);
    return { result: { name, removed: true }, human: [`removed remote ${name}`] };
  },
};

async function existing(ctx: CommandContext): Promise<{ config: CliConfig; name: string; path: string }> {
  const name = ctx.positional(0);
  const path = configPath(ctx.io.env);
  const config = await readConfig(path);
  if (!Object.hasOwn(config.remotes, name)) {
    const known = Object.keys(config.remotes);
    throw new UsageError(
      `no remote "${name}" in ${path}${known.length ? ` (remotes: ${known.join(', ')})` : ''}`,
      ctx.command,
    );
  }
  return { config, name, path };
}

// The global store flags given to `config add` are saved with the remote.
function flagFields(ctx: CommandContext): RemoteConfig {
  const out: RemoteConfig = {};
  const endpoint = ctx.string('endpoint-url');
  const region = ctx.string('region');
  const profile = ctx.string('profile');
  const caBundle = ctx.string('ca-bundle');
  if (endpoint) out.endpoint = endpoint;
  if (region) out.region = region;
  if (profile) out.profile = profile;
  if (caBundle) out.caBundle = caBundle;
  if (ctx.flag('no-verify-ssl')) out.verifySsl = false;
  return out;
}

// One setting given as `-` takes its value from standard input (trailing newline removed).
async function readSecretFromStdin(ctx: CommandContext, remote: RemoteConfig): Promise<void> {
  const fields = Object.entries(remote).filter(([, value]) => value === '-');
  if (fields.length === 0) return;
  if (fields.length > 1)
    throw new UsageError('only one setting can be read from standard input (-)', ctx.command);
  let text = '';
  for await (const chunk of ctx.io.stdin)
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  const value = text.replace(/\r?\n$/, '');
  if (!value) throw new UsageError(`${fields[0]?.[0]}=-: standard input was empty`, ctx.command);
  Object.assign(remote, { [fields[0]?.[0] as string]: value });
}

function parseField(pair: string, command: string): RemoteConfig {
  const eq = pair.indexOf('=');
  const key = eq > 0 ? pair.slice(0, eq) : pair;
  const type = REMOTE_FIELDS[key];
  if (eq <= 0 || type === undefined)
    throw new UsageError(
      `"${key}" is not a remote setting; use key=value with one of: ${Object.keys(REMOTE_FIELDS).join(', ')}`,
      command,
    );
  const value = pair.slice(eq + 1);
  if (type === 'string') return { [key]: value };
  if (!/^(true|false)$/.test(value)) throw new UsageError(`${key} must be true or false`, command);
  return { [key]: value === 'true' };
}
