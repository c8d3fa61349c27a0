import { Storage, type StorageOptions } from '@google-cloud/storage';
import type { CapabilityOverrides } from '@partcopy/core/provider';
import type { ComposeTreeReport } from './gcs-compose-tree.js';
import type { AuthHeaders, FetchLike } from './gcs-json-api.js';

/** Options of {@link createGcsProvider}. Pass a `storage` instance, or configuration to make one. */
export interface GcsProviderOptions {
  /** An existing client: its endpoint, credentials and project are used. */
  storage?: Storage;
  /** Configuration for a new client when `storage` is absent (see `StorageOptions`). */
  projectId?: string;
  credentials?: StorageOptions['credentials'];
  keyFilename?: string;
  /** E.g. `http://127.0.0.1:4443` for fake-gcs-server. Custom endpoints get no auth by default. */
  apiEndpoint?: string;
  /** Any other `StorageOptions`, merged under the fields above. */
  storageOptions?: StorageOptions;

  /** Reserved prefix of staging objects (default `.partcopy/`). Must end with `/`. */
  stagingPrefix?: string;
  /**
   * May ranges GCS cannot copy on the server (anything but a whole source object) stream
   * through this process? Default true. When false such a copy fails with `Unsupported`.
   */
  allowClientStreaming?: boolean;
  /** Smallest part but the last at completion (default 5 MiB, S3's). Lower it for tests only. */
  minPartSize?: number;
  /** Compose calls in flight at once within one tree level (default 16). */
  composeConcurrency?: number;
  /** Deletes in flight at once when cleaning up staging objects (default 32). */
  deleteConcurrency?: number;
  /**
   * Extra attempts for idempotent requests answered 429/5xx (default 0: the PartCopyClient is the
   * one retry owner; raise it only when the provider is used without one).
   */
  retries?: number;
  /** Replaces global `fetch`, e.g. to record requests in tests. */
  fetch?: FetchLike;
  /** Capability overrides layered last. */
  capabilities?: CapabilityOverrides;
  /** Called after each completion with the compose tree's shape and call counts. */
  onComposeTree?: (report: ComposeTreeReport) => void;
}

/** The client from the options: the given instance, or a new one from the configuration. */
export function storageFrom(options: GcsProviderOptions): Storage {
  if (options.storage) return options.storage;
  const config: StorageOptions = { ...options.storageOptions };
  if (options.projectId !== undefined) config.projectId = options.projectId;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  if (options.keyFilename !== undefined) config.keyFilename = options.keyFilename;
  if (options.apiEndpoint !== undefined) config.apiEndpoint = options.apiEndpoint;
  return new Storage(config);
}

/**
 * The authentication the client would use: none for a custom endpoint (an emulator) unless
 * `useAuthWithCustomEndpoint`, as the SDK does; otherwise the client's auth headers (OAuth).
 */
export function authFrom(storage: Storage): AuthHeaders {
  if (storage.customEndpoint && !storage.useAuthWithCustomEndpoint) return async () => ({});
  return async (url) => headersToRecord(await storage.authClient.getRequestHeaders(url));
}

function headersToRecord(headers: unknown): Record<string, string> {
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  return { ...(headers as Record<string, string>) };
}

/** The endpoint without a trailing slash (`https://storage.googleapis.com`). */
export function endpointFrom(storage: Storage): string {
  return storage.apiEndpoint.replace(/\/+$/, '');
}
