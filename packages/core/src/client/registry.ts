import { type Provider, SPEC_VERSION } from '../contract/provider-contract.js';
import { PartCopyError } from '../errors/part-copy-error.js';

/** What a provider package exports so URLs with its schemes resolve to it. */
export interface ProviderFactory {
  /** Provider name (`s3`, `memory`, ...). */
  readonly name: string;
  /** URL schemes it handles, without `://` (`s3`, `mem`, `file`, ...). */
  readonly schemes: readonly string[];
  /**
   * Creates a provider. `options` are the caller's (credentials, endpoint, root folder, ...);
   * `env` lets a factory read its documented environment variables (defaults to process.env).
   */
  create(
    options?: Record<string, unknown>,
    env?: Record<string, string | undefined>,
  ): Provider | Promise<Provider>;
}

/** A `scheme://bucket/key` URL split into its parts. Keys are taken raw (no percent-decoding). */
export interface ObjectUrl {
  scheme: string;
  bucket: string;
  /** Empty for a bucket URL (`s3://bucket` or `s3://bucket/`). */
  key: string;
}

const URL_PATTERN = /^([a-z][a-z0-9+.-]*):\/\/([^/]+)(?:\/(.*))?$/i;

/**
 * Splits `scheme://bucket/key`. The key is everything after the first `/` following the
 * bucket, taken literally (like aws-cli's `s3://` paths): spaces, `%`, `?` and `#` stay as typed.
 */
export function parseObjectUrl(url: string): ObjectUrl {
  const match = URL_PATTERN.exec(url);
  if (!match) {
    throw new PartCopyError(
      'InvalidArgument',
      `"${url}" is not a storage URL of the form scheme://bucket/key`,
    );
  }
  return { scheme: (match[1] as string).toLowerCase(), bucket: match[2] as string, key: match[3] ?? '' };
}

/** Formats `scheme://bucket/key`. */
export function formatObjectUrl(url: ObjectUrl): string {
  return `${url.scheme}://${url.bucket}/${url.key}`;
}

/** Maps URL schemes to provider factories. Third-party providers register here like ours. */
export class ProviderRegistry {
  readonly #factories = new Map<string, ProviderFactory>();

  /** Registers a factory under each of its schemes. Re-registering a scheme replaces it. */
  register(factory: ProviderFactory): this {
    for (const scheme of factory.schemes) this.#factories.set(scheme.toLowerCase(), factory);
    return this;
  }

  unregister(scheme: string): boolean {
    return this.#factories.delete(scheme.toLowerCase());
  }

  /** The registered schemes, sorted. */
  schemes(): string[] {
    return [...this.#factories.keys()].sort();
  }

  /** The factory for a scheme; `Unsupported` naming the known schemes when there is none. */
  factory(scheme: string): ProviderFactory {
    const factory = this.#factories.get(scheme.toLowerCase());
    if (!factory) {
      const known = this.schemes().join(', ') || 'none';
      throw new PartCopyError(
        'Unsupported',
        `no provider is registered for "${scheme}://" (registered: ${known})`,
        {
          operation: 'resolve',
        },
      );
    }
    return factory;
  }

  /** Creates the provider for a URL's scheme and checks it implements this contract version. */
  async open(
    urlOrScheme: string,
    options?: Record<string, unknown>,
    env?: Record<string, string | undefined>,
  ): Promise<Provider> {
    const scheme = urlOrScheme.includes('://') ? parseObjectUrl(urlOrScheme).scheme : urlOrScheme;
    const provider = await this.factory(scheme).create(options, env);
    assertSpecVersion(provider);
    return provider;
  }

  /** Resolves `scheme://bucket/key` to a provider and the object it names. */
  async resolve(
    url: string,
    options?: Record<string, unknown>,
    env?: Record<string, string | undefined>,
  ): Promise<{ provider: Provider; ref: ObjectUrl }> {
    const ref = parseObjectUrl(url);
    return { provider: await this.open(ref.scheme, options, env), ref };
  }
}

/** Throws `Unsupported` unless the provider implements contract version {@link SPEC_VERSION}. */
export function assertSpecVersion(provider: Provider): void {
  const version = (provider as { specVersion?: unknown }).specVersion;
  if (version !== SPEC_VERSION) {
    throw new PartCopyError(
      'Unsupported',
      `provider "${provider.name}" implements contract version ${String(version)}, this @partcopy/core supports version ${SPEC_VERSION}`,
      { provider: provider.name },
    );
  }
}
