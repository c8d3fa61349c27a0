// A request policy that counts the requests a provider sends, by Azure operation.
import type { RequestPolicy, RequestPolicyFactory, WebResource } from '@azure/storage-blob';

export interface RequestCounter {
  factory: RequestPolicyFactory;
  counts: Map<string, number>;
  total: () => number;
  reset: () => void;
}

/** Names a request after the REST operation it is. */
export function operationOf(request: WebResource): string {
  const url = new URL(request.url);
  const comp = url.searchParams.get('comp');
  if (comp === 'block')
    return request.headers.get('x-ms-copy-source') !== undefined ? 'PutBlockFromURL' : 'PutBlock';
  if (comp === 'blocklist') return request.method === 'PUT' ? 'PutBlockList' : 'GetBlockList';
  if (comp === 'list') return 'ListBlobs';
  return `${request.method} blob`;
}

export function requestCounter(): RequestCounter {
  const counts = new Map<string, number>();
  const factory: RequestPolicyFactory = {
    create(next: RequestPolicy): RequestPolicy {
      return {
        sendRequest(request: WebResource) {
          const name = operationOf(request);
          counts.set(name, (counts.get(name) ?? 0) + 1);
          return next.sendRequest(request);
        },
      };
    },
  };
  return {
    factory,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    reset: () => counts.clear(),
  };
}
