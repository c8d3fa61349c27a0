// An in-process stand-in for Azure's HTTP endpoint, plugged in as the pipeline's http client: it
// records every request exactly as the SDK would send it (after signing) and answers the few
// operations uploadPartCopy needs. Unit tests use it to check what no emulator checks.
import type { HttpOperationResponse, IHttpClient, WebResource } from '@azure/storage-blob';
import { MANIFEST_METADATA_NAME, manifestMetadata } from '../src/upload-manifest.js';

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
}

export interface FakeAzure {
  httpClient: IHttpClient;
  requests: RecordedRequest[];
  /** Requests that copy from a URL (Put Block From URL). */
  copies: () => RecordedRequest[];
  /** Makes Put Block From URL fail with this status, code and message. */
  failCopies: (status: number, code: string, message: string) => void;
}

export const SOURCE_ETAG = '"0x8DEADBEEF000001"';
export const SOURCE_SIZE = 20 * 1024 * 1024;
export const STAGING_COMMITTED_ETAG = '"0xSTAGINGCOMMITTED"';

function headersOf(values: Record<string, string>) {
  const lower = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    toJson: () => ({ ...lower }),
    get: (name: string) => lower[name.toLowerCase()],
    contains: (name: string) => name.toLowerCase() in lower,
    set: (name: string, value: string) => {
      lower[name.toLowerCase()] = value;
    },
  };
}

export function fakeAzure(key = 'dst'): FakeAzure {
  const requests: RecordedRequest[] = [];
  const staged = new Map<string, Array<{ name: string; size: number }>>();
  let copyFailure: { status: number; code: string; message: string } | undefined;
  const manifest = manifestMetadata({ v: 1, key, initiated: new Date(0).toISOString(), settings: {} })[
    MANIFEST_METADATA_NAME
  ] as string;
  const respond = (
    request: WebResource,
    status: number,
    headers: Record<string, string>,
    body?: string,
  ): HttpOperationResponse =>
    ({
      request,
      status,
      headers: headersOf({
        'x-ms-request-id': 'r',
        'x-ms-version': '2026-06-06',
        date: new Date().toUTCString(),
        ...headers,
      }),
      bodyAsText: body,
    }) as unknown as HttpOperationResponse;
  const httpClient: IHttpClient = {
    async sendRequest(request: WebResource) {
      const url = new URL(request.url);
      requests.push({
        method: request.method,
        url,
        headers: request.headers.toJson() as Record<string, string>,
      });
      const staging = decodeURIComponent(url.pathname).includes('/.partcopy/uploads/');
      if (request.method === 'HEAD' && staging) {
        return respond(request, 200, {
          etag: '"0xSTAGING"',
          'last-modified': new Date().toUTCString(),
          'content-length': '0',
          [`x-ms-meta-${MANIFEST_METADATA_NAME}`]: manifest,
        });
      }
      if (request.method === 'HEAD') {
        return respond(request, 200, {
          etag: SOURCE_ETAG,
          'last-modified': new Date(Date.now() - 60_000).toUTCString(),
          'content-length': String(SOURCE_SIZE),
        });
      }
      if (request.method === 'GET' && url.searchParams.get('comp') === 'blocklist') {
        const blocks = (staged.get(url.pathname) ?? [])
          .map((b) => `<Block><Name>${b.name}</Name><Size>${b.size}</Size></Block>`)
          .join('');
        return respond(
          request,
          200,
          { 'content-type': 'application/xml', etag: '"0xSTAGING"' },
          `<?xml version="1.0" encoding="utf-8"?><BlockList><CommittedBlocks/><UncommittedBlocks>${blocks}</UncommittedBlocks></BlockList>`,
        );
      }
      if (request.method === 'PUT' && url.searchParams.get('comp') === 'blocklist') {
        return respond(request, 201, {
          etag: staging ? STAGING_COMMITTED_ETAG : '"0xDESTINATION"',
          'last-modified': new Date().toUTCString(),
        });
      }
      if (request.method === 'DELETE') return respond(request, 202, {});
      // The completion's lease on the staging blob (completion-lease.ts).
      if (request.method === 'PUT' && url.searchParams.get('comp') === 'lease') {
        const action = request.headers.get('x-ms-lease-action');
        return respond(request, action === 'acquire' ? 201 : 200, {
          'x-ms-lease-id':
            request.headers.get('x-ms-proposed-lease-id') ?? request.headers.get('x-ms-lease-id') ?? '',
          'last-modified': new Date().toUTCString(),
        });
      }
      if (request.method === 'PUT' && url.searchParams.get('comp') === 'block') {
        const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.get('x-ms-source-range') ?? '');
        const size = range
          ? Number(range[2]) - Number(range[1]) + 1
          : Number(request.headers.get('content-length') ?? 0);
        const list = staged.get(url.pathname) ?? [];
        list.push({ name: url.searchParams.get('blockid') as string, size });
        staged.set(url.pathname, list);
        if (copyFailure && request.headers.get('x-ms-copy-source') !== undefined) {
          const { status, code, message } = copyFailure;
          return respond(
            request,
            status,
            { 'x-ms-error-code': code, 'content-type': 'application/xml' },
            `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message.replace(/&/g, '&amp;')}</Message></Error>`,
          );
        }
        return respond(request, 201, {});
      }
      return respond(request, 500, { 'x-ms-error-code': 'InternalError' });
    },
  };
  return {
    httpClient,
    requests,
    copies: () => requests.filter((r) => r.headers['x-ms-copy-source'] !== undefined),
    failCopies: (status, code, message) => {
      copyFailure = { status, code, message };
    },
  };
}
