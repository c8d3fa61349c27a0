import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type ObjectUrl,
  PartCopyClient,
  PartCopyError,
  type PartCopyEventListener,
  type ProviderFactory,
  type ProviderRegistry,
  parseObjectUrl,
} from '@partcopy/core';
import { DEFAULT_FS_ROOT, FS_ROOT_ENV } from '@partcopy/fs';
import type { CliConfig, RemoteConfig } from './config-file.js';
import { didYouMean } from './did-you-mean.js';
import type { ErrorSetting } from './error-text.js';
import { type FlagSettings, providerOptions } from './provider-options.js';
import { UsageError } from './usage-error.js';

// The data folder of `file://` URLs and its variable are @partcopy/fs's own; the CLI only adds
// `--data-dir` in front of them.
export { DEFAULT_FS_ROOT as DEFAULT_DATA_DIR, FS_ROOT_ENV } from '@partcopy/fs';

export interface StoreSetOptions {
  registry: ProviderRegistry;
  env: Record<string, string | undefined>;
  cwd: string;
  /** `--data-dir`, when given. */
  dataDir?: string | undefined;
  /** `--endpoint-url`, `--region`, `--profile`, `--no-verify-ssl`, `--ca-bundle`. */
  flags?: FlagSettings;
  /** The config file: its remotes become schemes of their own (`minio://`, `minio:`). */
  config?: CliConfig;
  /** Called with what each store was opened with (no secrets), for `--debug`. */
  onOpen?: (scheme: string, summary: Record<string, unknown>) => void;
}

/**
 * The stores one command talks to: one `PartCopyClient` per URL scheme, created on first use and
 * reused, so `mem://` objects live for the whole command and a copy's source and destination
 * share a provider. Every client's events go to the listeners added with {@link StoreSet.on}.
 */
export class StoreSet {
  readonly #options: StoreSetOptions;
  readonly #clients = new Map<string, Promise<PartCopyClient>>();
  readonly #listeners = new Set<PartCopyEventListener>();
  // Endpoints the stores were opened with, by provider name, for error hints.
  readonly #endpoints = new Map<string, string>();

  constructor(options: StoreSetOptions) {
    this.#options = options;
  }

  /** The providers by scheme this set opens stores from. */
  get registry(): ProviderRegistry {
    return this.#options.registry;
  }

  /** Registers each remote of the config file as a scheme of its own (`minio://`). */
  registerRemotes(): void {
    const { registry, config } = this.#options;
    for (const [name, remote] of Object.entries(config?.remotes ?? {}))
      registry.register(remoteFactory(registry, name, remote));
  }

  /** The remote a scheme names, if it is one. */
  remote(scheme: string): { name: string; config: RemoteConfig } | undefined {
    const remotes = this.#options.config?.remotes ?? {};
    return Object.hasOwn(remotes, scheme)
      ? { name: scheme, config: remotes[scheme] as RemoteConfig }
      : undefined;
  }

  /**
   * An argument in the form `remote:bucket/key` (rclone's) as the URL `remote://bucket/key`;
   * anything else unchanged.
   */
  expandRemote(arg: string): string {
    const match = /^([a-z][a-z0-9-]*):(?!\/\/)(.*)$/.exec(arg);
    if (!match || !this.remote(match[1] as string)) return arg;
    return `${match[1]}://${(match[2] as string).replace(/^\/+/, '')}`;
  }

  /** The data folder for `file://` URLs: `--data-dir`, else `$PARTCOPY_FS_ROOT`, else `./.partcopy-data`. */
  get dataDir(): string {
    const { dataDir, env, cwd } = this.#options;
    return resolve(cwd, dataDir ?? (env[FS_ROOT_ENV] || DEFAULT_FS_ROOT));
  }

  /** Listens to the events of every client, present and future. */
  on(listener: PartCopyEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The client for a URL scheme (`file`, `mem`, `s3`, ...). */
  client(scheme: string): Promise<PartCopyClient> {
    const key = scheme.toLowerCase();
    let client = this.#clients.get(key);
    if (!client) {
      client = this.#open(key);
      this.#clients.set(key, client);
    }
    return client;
  }

  /** Parses `scheme://bucket/key` and opens its store. */
  async resolve(url: string): Promise<{ client: PartCopyClient; ref: ObjectUrl }> {
    const ref = parseUrl(url);
    return { client: await this.client(ref.scheme), ref };
  }

  /**
   * Refuses arguments that look like URLs (`scheme://...`) of a scheme no provider handles before
   * the command starts, so `cp fiel://a/b file://a/c` names the typo (`did you mean "file://"?`)
   * instead of failing as a copy across stores. `Unsupported` (exit 5), as the registry's own
   * refusal of an unknown scheme.
   */
  checkSchemes(args: readonly string[]): void {
    const known = this.#options.registry.schemes();
    for (const arg of args) {
      const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(arg)?.[1]?.toLowerCase();
      if (scheme === undefined || known.includes(scheme)) continue;
      throw new PartCopyError(
        'Unsupported',
        `no provider is registered for "${scheme}://" (registered: ${known.join(', ')})${didYouMean(scheme, known, (c) => `"${c}://"`)}`,
        { operation: 'resolve' },
      );
    }
  }

  /** What error hints may say about the store of a provider (its endpoint). */
  errorSetting(provider: string | undefined): ErrorSetting {
    const endpoint = provider === undefined ? undefined : this.#endpoints.get(provider);
    return endpoint === undefined ? {} : { endpoint };
  }

  /** Closes every client that was opened (sockets, timers). */
  async close(): Promise<void> {
    const clients = await Promise.allSettled(this.#clients.values());
    this.#clients.clear();
    await Promise.allSettled(clients.map((c) => (c.status === 'fulfilled' ? c.value.close() : undefined)));
  }

  async #open(scheme: string): Promise<PartCopyClient> {
    const { registry, env } = this.#options;
    const factory = registry.factory(scheme);
    const options = await this.#providerOptions(factory.name, scheme);
    const endpoint = endpointOf(options);
    if (endpoint) this.#endpoints.set(factory.name, endpoint);
    const provider = await registry.open(scheme, options, env);
    if (endpoint) this.#endpoints.set(provider.name, endpoint);
    try {
      // The client applies PARTCOPY_CAPABILITIES_OFF from the command's environment itself.
      return new PartCopyClient(provider, {
        env,
        onEvent: (event) => {
          for (const listener of this.#listeners) listener(event);
        },
      });
    } catch (error) {
      if (PartCopyError.hasCode(error, 'InvalidArgument')) throw new UsageError(error.message);
      throw error;
    }
  }

  // The local store gets the data folder; the others get what the flags, the environment and
  // their remote say (provider-options.ts), and read their own documented environment variables
  // (their factories get `env`).
  async #providerOptions(name: string, scheme: string): Promise<Record<string, unknown>> {
    if (scheme === 'file' || name === 'fs') {
      const root = this.dataDir;
      await mkdir(root, { recursive: true });
      return { root };
    }
    const remote = this.remote(scheme);
    const { options, summary } = await providerOptions(remote?.config.type ?? name, {
      flags: this.#options.flags ?? {},
      env: this.#options.env,
      remote,
      cwd: this.#options.cwd,
    });
    this.#options.onOpen?.(scheme, summary);
    return options;
  }
}

// A remote is its own scheme: the factory of its type, opened with the remote's settings.
function remoteFactory(registry: ProviderRegistry, name: string, remote: RemoteConfig): ProviderFactory {
  const type = remote.type ?? '';
  return {
    name: type,
    schemes: [name],
    create(options, env) {
      if (!type || type === name)
        throw new PartCopyError('InvalidArgument', `remote "${name}" has no type; add it again with a type`, {
          operation: 'resolve',
        });
      return registry.factory(type).create(options, env);
    },
  };
}

// The endpoint a store's options name, without any query (a SAS) or credentials.
function endpointOf(options: Record<string, unknown>): string | undefined {
  const raw = options.endpoint ?? options.url ?? options.apiEndpoint;
  if (typeof raw !== 'string') return undefined;
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return undefined;
  }
}

/** `parseObjectUrl`, with a usage error for text that is not a URL at all. */
export function parseUrl(url: string): ObjectUrl {
  if (!url.includes('://')) {
    throw new UsageError(
      `"${url}" is not a storage URL; write scheme://bucket/key (for example file://my-bucket/path/to/key)`,
    );
  }
  return parseObjectUrl(url);
}

/** A URL that must name an object: a key is required. */
export function parseObjectRef(url: string): ObjectUrl {
  const ref = parseUrl(url);
  if (!ref.key)
    throw new UsageError(`"${url}" names a bucket; this command needs an object URL scheme://bucket/key`);
  return ref;
}
