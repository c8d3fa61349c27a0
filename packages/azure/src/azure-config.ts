/**
 * Options and client creation. Users pass a ready BlobServiceClient or plain configuration
 * (connection string, account name + key, a TokenCredential, or a URL carrying a SAS). Either way
 * the provider builds its own pipeline on the same credential and options, with the
 * source-conditions policy added; an injected client's own pipeline is left unchanged.
 */
import {
  AnonymousCredential,
  BlobServiceClient,
  newPipeline,
  type Pipeline,
  type RequestPolicyFactory,
  type StoragePipelineOptions,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { type CapabilityOverrides, MiB, PartCopyError } from '@partcopy/core/provider';
import { sourceConditionsPolicyFactory } from './source-conditions-policy.js';

/** `@azure/core-auth`'s TokenCredential, as the SDK's client declares it (not re-exported). */
export type TokenCredential = Exclude<
  BlobServiceClient['credential'],
  StorageSharedKeyCredential | AnonymousCredential
>;

/** Options of {@link createAzureProvider}: a ready `serviceClient`, or what is needed to make one. */
export interface AzureProviderOptions {
  /** A ready client. Its URL, credential and pipeline options are reused. */
  serviceClient?: BlobServiceClient;
  /** An Azure Storage connection string (AccountKey or SharedAccessSignature form). */
  connectionString?: string;
  /**
   * The account's blob endpoint, e.g. `https://ACCOUNT.blob.core.windows.net` or Azurite's
   * `http://127.0.0.1:10000/devstoreaccount1`. May carry a SAS query. Defaults to the public
   * endpoint of `accountName`.
   */
  url?: string;
  accountName?: string;
  /** Shared key: enables short-lived, read-only, single-blob SAS tokens for copy sources. */
  accountKey?: string;
  /** A Microsoft Entra credential (`@azure/identity`), or a shared key / anonymous credential. */
  credential?: TokenCredential | StorageSharedKeyCredential | AnonymousCredential;
  /** A SAS token (with or without the leading `?`) appended to `url`. */
  sasToken?: string;
  /**
   * Pipeline options (proxy, http client, audience, retry). `retryOptions` defaults to
   * `{ maxTries: 1 }`: the PartCopyClient is the one retry owner.
   */
  pipelineOptions?: StoragePipelineOptions;
  /** Extra request policies (logging, metering, fault injection), run before signing. */
  requestPolicies?: RequestPolicyFactory[];
  /**
   * Largest block one Put Block From URL copies, in bytes. Default 100 MiB, the long-documented
   * limit; newer service versions document up to 4000 MiB (UNCONFIRMED here): raise it when
   * confirmed. Parts larger than this become several blocks.
   */
  maxCopyBlockSize?: number;
  /** Largest block one Put Block uploads from a body (buffered in memory). Default 100 MiB. */
  maxUploadBlockSize?: number;
  /**
   * Largest putObject body sent as one Put Blob; larger bodies go as Put Block requests of
   * `maxUploadBlockSize` and one Put Block List. Default 256 MiB (the limit of older service versions).
   */
  maxSinglePutSize?: number;
  /** Lifetime of the SAS minted for each copy source, in ms. Default 15 minutes. */
  sourceSasLifetimeMs?: number;
  /** Parallel Put Block From URL requests for one part or one completion. Default 4. */
  copyConcurrency?: number;
  /**
   * Access tier of staging blobs. Default: the account's default tier. Set `Hot` when the
   * account defaults to Cool or Cold, which bill early deletion of the short-lived staging blobs.
   */
  stagingTier?: 'Hot' | 'Cool' | 'Cold';
  /** Capability overrides (e.g. for Azurite: `{ versionedSources: false }`). */
  capabilities?: CapabilityOverrides;
}

/** How copy sources are authorised, decided once from the client's credential. */
export type SourceAuthMode = 'shared-key' | 'bearer' | 'sas' | 'anonymous';

/** Options after defaults. */
export interface ResolvedAzureOptions {
  maxCopyBlockSize: number;
  maxUploadBlockSize: number;
  maxSinglePutSize: number;
  sourceSasLifetimeMs: number;
  copyConcurrency: number;
  audience: string | string[];
  stagingTier: 'Hot' | 'Cool' | 'Cold' | undefined;
}

/** Default scope for bearer tokens sent as copy-source authorisation. */
export const STORAGE_SCOPE = 'https://storage.azure.com/.default';

export function resolveOptions(options: AzureProviderOptions): ResolvedAzureOptions {
  const positive = (value: number | undefined, fallback: number, name: string): number => {
    if (value === undefined) return fallback;
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new PartCopyError('InvalidArgument', `azure: ${name} must be a positive integer`);
    return value;
  };
  const maxCopyBlockSize = positive(options.maxCopyBlockSize, 100 * MiB, 'maxCopyBlockSize');
  if (maxCopyBlockSize > 4000 * MiB)
    throw new PartCopyError('InvalidArgument', 'azure: maxCopyBlockSize cannot exceed 4000 MiB');
  return {
    maxCopyBlockSize,
    maxUploadBlockSize: Math.min(
      positive(options.maxUploadBlockSize, 100 * MiB, 'maxUploadBlockSize'),
      4000 * MiB,
    ),
    maxSinglePutSize: Math.min(positive(options.maxSinglePutSize, 256 * MiB, 'maxSinglePutSize'), 5000 * MiB),
    sourceSasLifetimeMs: positive(options.sourceSasLifetimeMs, 15 * 60_000, 'sourceSasLifetimeMs'),
    copyConcurrency: positive(options.copyConcurrency, 4, 'copyConcurrency'),
    audience: options.pipelineOptions?.audience ?? STORAGE_SCOPE,
    stagingTier: options.stagingTier,
  };
}

/** The client the provider uses, and how it authorises copy sources. */
export interface AzureClientSetup {
  serviceClient: BlobServiceClient;
  credential: StorageSharedKeyCredential | AnonymousCredential | TokenCredential;
  sourceAuth: SourceAuthMode;
}

/** Builds the provider's client from the options. */
export function createServiceClient(options: AzureProviderOptions): AzureClientSetup {
  const base = baseClient(options);
  // `pipeline` is protected on the SDK's clients; it is read (never changed) to reuse an injected
  // client's options and policies on a pipeline of our own.
  const basePipeline = (base as unknown as { pipeline: Pipeline }).pipeline;
  const pipelineOptions = { ...(basePipeline.options as StoragePipelineOptions), ...options.pipelineOptions };
  // One retry owner: the PartCopyClient's pipeline retries (and reports) every attempt, so the
  // SDK sends each request once unless the caller configured its retries.
  pipelineOptions.retryOptions ??= { maxTries: 1 };
  const pipeline = newPipeline(base.credential, pipelineOptions);
  pipeline.factories.push(
    ...basePipeline.factories,
    sourceConditionsPolicyFactory,
    ...(options.requestPolicies ?? []),
  );
  const serviceClient = new BlobServiceClient(base.url, pipeline);
  return {
    serviceClient,
    credential: base.credential,
    sourceAuth: sourceAuthMode(base.credential, base.url),
  };
}

function baseClient(options: AzureProviderOptions): BlobServiceClient {
  if (options.serviceClient) return options.serviceClient;
  if (options.connectionString)
    return BlobServiceClient.fromConnectionString(options.connectionString, options.pipelineOptions);
  const url = withSas(options.url ?? defaultUrl(options.accountName), options.sasToken);
  if (options.credential) return new BlobServiceClient(url, options.credential, options.pipelineOptions);
  if (options.accountKey) {
    const accountName = options.accountName ?? accountFromUrl(url);
    return new BlobServiceClient(
      url,
      new StorageSharedKeyCredential(accountName, options.accountKey),
      options.pipelineOptions,
    );
  }
  return new BlobServiceClient(url, new AnonymousCredential(), options.pipelineOptions);
}

function defaultUrl(accountName: string | undefined): string {
  if (!accountName) {
    throw new PartCopyError(
      'InvalidArgument',
      'azure: give a serviceClient, a connectionString, a url or an accountName',
    );
  }
  return `https://${accountName}.blob.core.windows.net`;
}

function withSas(url: string, sasToken: string | undefined): string {
  if (!sasToken) return url;
  const token = sasToken.startsWith('?') ? sasToken.slice(1) : sasToken;
  return `${url}${url.includes('?') ? '&' : '?'}${token}`;
}

// Path-style endpoints (emulators) name the account in the first path segment; public ones in
// the host name.
function accountFromUrl(url: string): string {
  const parsed = new URL(url);
  const first = parsed.pathname.split('/').filter(Boolean)[0];
  if (/^\d+\.\d+\.\d+\.\d+$/.test(parsed.hostname) || parsed.hostname === 'localhost') {
    if (first) return first;
  }
  const host = parsed.hostname.split('.')[0];
  if (!host)
    throw new PartCopyError(
      'InvalidArgument',
      'azure: cannot tell the account name from the url; give accountName',
    );
  return host;
}

/** Decides how copy sources are authorised for a credential and client URL. */
export function sourceAuthMode(credential: unknown, url: string): SourceAuthMode {
  if (credential instanceof StorageSharedKeyCredential) return 'shared-key';
  if (isTokenCredential(credential)) return 'bearer';
  return new URL(url).searchParams.has('sig') ? 'sas' : 'anonymous';
}

function isTokenCredential(value: unknown): value is TokenCredential {
  return typeof (value as TokenCredential | undefined)?.getToken === 'function';
}
