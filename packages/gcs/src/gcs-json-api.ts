import { abortedError, PartCopyError, redactSecrets, sleep } from '@partcopy/core/provider';
import { type MediaResponse, type MediaTransport, mediaOverFetch } from './media-download.js';

/** The `fetch` shape this package calls; inject one to record or redirect requests. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Supplies the headers that authenticate a request (an OAuth bearer token, or none for emulators). */
export type AuthHeaders = (url: string) => Promise<Record<string, string>>;

/** A GCS JSON API error answer, before it is mapped to a partcopy code. */
export class GcsHttpError extends Error {
  override readonly name = 'GcsHttpError';
  constructor(
    readonly status: number,
    /** `errors[0].reason` of the JSON error body (`notFound`, `conditionNotMet`, ...). */
    readonly reason: string | undefined,
    message: string,
  ) {
    // The server's text becomes the `cause` of partcopy errors: no key or token may survive in it.
    super(redactSecrets(message));
  }
}

/** How a {@link GcsJsonApi} reaches GCS: endpoint, transport, authentication, retries. */
export interface JsonApiOptions {
  /** Scheme, host and port, without a trailing slash: `https://storage.googleapis.com`. */
  endpoint: string;
  fetch: FetchLike;
  /** The transport of streamed uploads (default: `fetch`); see streaming-upload.ts. */
  uploadFetch?: FetchLike;
  /** The transport of media downloads (default: `fetch`); see media-download.ts. */
  download?: MediaTransport;
  auth: AuthHeaders;
  /** Extra attempts for idempotent requests answered 429/5xx or failing on the network. */
  retries: number;
}

/** One request's query, headers, JSON body, signal and whether it may be repeated. */
export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  signal: AbortSignal;
  /** Safe to repeat: GET, DELETE with a generation, writes guarded by a generation precondition. */
  idempotent?: boolean;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * The slice of the GCS JSON API this provider needs, called with `fetch` so every request takes
 * an AbortSignal (the SDK takes none) and sends exactly the parameters we choose: per-source
 * compose preconditions, pinned generations and customer-supplied keys, which the SDK's
 * `combine` does not send.
 */
export class GcsJsonApi {
  readonly #options: JsonApiOptions;
  readonly #download: MediaTransport;

  constructor(options: JsonApiOptions) {
    this.#options = options;
    this.#download = options.download ?? mediaOverFetch(options.fetch);
  }

  get endpoint(): string {
    return this.#options.endpoint;
  }

  /** URL of a JSON API resource path such as `/b/BUCKET/o/NAME`. */
  url(path: string, query: RequestOptions['query'] = {}, base = '/storage/v1'): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) params.set(name, String(value));
    const search = params.toString();
    return `${this.#options.endpoint}${base}${path}${search ? `?${search}` : ''}`;
  }

  /** Sends a request and parses the JSON answer (undefined for an empty one). */
  async json<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const response = await this.send(method, this.url(path, options.query), options);
    const text = await readText(response, options.signal);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Sends a media download (retried like any idempotent request until it answers) and returns its
   * answer; the caller reads or cancels the body.
   */
  async stream(path: string, options: RequestOptions): Promise<MediaResponse> {
    const url = this.url(path, { ...options.query, alt: 'media' });
    return this.#retried({ ...options, idempotent: true }, async () => {
      const auth = await untilAborted(this.#options.auth(url), options.signal);
      let response: MediaResponse;
      try {
        response = await this.#download(url, {
          headers: { ...auth, ...options.headers },
          signal: options.signal,
        });
      } catch (error) {
        if (options.signal.aborted) throw abortedError(options.signal);
        throw error;
      }
      if (response.status >= 200 && response.status < 300) return response;
      throw await toHttpError(response, options.signal);
    });
  }

  /** Sends a streamed upload body to the upload endpoint and parses the object resource it returns. */
  async upload<T>(
    path: string,
    body: ReadableStream<Uint8Array>,
    headers: Record<string, string>,
    options: RequestOptions,
  ): Promise<T> {
    const url = this.url(path, options.query, '/upload/storage/v1');
    const response = await this.#fetchOnce(
      'POST',
      url,
      { ...options, headers: { ...options.headers, ...headers } },
      body,
      this.#options.uploadFetch,
    );
    const text = await readText(response, options.signal);
    return JSON.parse(text) as T;
  }

  /**
   * Sends a request, retrying idempotent ones; throws a `GcsHttpError` (internal: the provider
   * maps it to a PartCopyError) for error answers.
   */
  async send(method: string, url: string, options: RequestOptions): Promise<Response> {
    const body = options.json === undefined ? undefined : JSON.stringify(options.json);
    return this.#retried(options, () => this.#fetchOnce(method, url, options, body));
  }

  async #retried<T>(options: RequestOptions, attemptOnce: () => Promise<T>): Promise<T> {
    const attempts = options.idempotent ? this.#options.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await attemptOnce();
      } catch (error) {
        if (attempt >= attempts || !isTransient(error) || options.signal.aborted) throw error;
        await sleep(100 * 2 ** (attempt - 1), options.signal);
      }
    }
  }

  async #fetchOnce(
    method: string,
    url: string,
    options: RequestOptions,
    body: string | ReadableStream<Uint8Array> | undefined,
    transport: FetchLike = this.#options.fetch,
  ): Promise<Response> {
    // Fetching a token (metadata server, OAuth) takes no signal: stop waiting when it fires.
    const auth = await untilAborted(this.#options.auth(url), options.signal);
    const headers: Record<string, string> = { ...auth, ...options.headers };
    if (typeof body === 'string') headers['content-type'] = 'application/json; charset=UTF-8';
    const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: options.signal };
    if (body !== undefined) init.body = body;
    if (body instanceof ReadableStream) init.duplex = 'half';
    let response: Response;
    try {
      response = await transport(url, init);
    } catch (error) {
      if (options.signal.aborted) throw abortedError(options.signal);
      // A streamed body that failed (short, long, aborted source) surfaces as fetch's cause.
      const cause = (error as { cause?: unknown }).cause;
      if (PartCopyError.isInstance(cause)) throw cause;
      throw error;
    }
    if (response.ok) return response;
    throw await toHttpError(response, options.signal);
  }
}

async function readText(response: { text(): Promise<string> }, signal: AbortSignal): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (signal.aborted) throw abortedError(signal);
    throw error;
  }
}

async function toHttpError(
  response: { status: number; statusText: string; text(): Promise<string> },
  signal: AbortSignal,
): Promise<GcsHttpError> {
  const text = await readText(response, signal).catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string; errors?: Array<{ reason?: string }> } };
    const reason = parsed.error?.errors?.[0]?.reason;
    return new GcsHttpError(response.status, reason, parsed.error?.message ?? text);
  } catch {
    // XML (the media endpoint's 416) or plain text.
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    const message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1] ?? text.trim();
    return new GcsHttpError(response.status, code, message || response.statusText);
  }
}

function isTransient(error: unknown): boolean {
  if (error instanceof GcsHttpError) return RETRY_STATUSES.has(error.status);
  // fetch's network failures are TypeErrors ("fetch failed"); partcopy errors (aborts) are not.
  return error instanceof TypeError;
}

/** `work`, or `RequestAborted` as soon as the signal fires (the work itself is left to finish). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortedError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** `/b/BUCKET/o/NAME` with both parts percent-encoded (object names may hold `/`, `?`, `#`). */
export function objectPath(bucket: string, name: string): string {
  return `/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(name)}`;
}

/** `/b/BUCKET`. */
export function bucketPath(bucket: string): string {
  return `/b/${encodeURIComponent(bucket)}`;
}
