/**
 * Adds Azure's source-condition headers to Put Block From URL requests.
 *
 * The REST operation accepts `x-ms-source-if-match` and friends, but `stageBlockFromURL` in
 * `@azure/storage-blob` does not expose them. This policy sits in the client's pipeline (before
 * signing, so Shared Key signatures cover the headers) and adds the headers of the current call,
 * which the caller sets with {@link withSourceConditions} through AsyncLocalStorage. Requests
 * without `x-ms-copy-source` are never touched, so the policy is inert for everything else.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  RequestPolicy,
  RequestPolicyFactory,
  RequestPolicyOptions,
  WebResource,
} from '@azure/storage-blob';

/** Source conditions as Azure headers. */
export interface SourceConditionHeaders {
  'x-ms-source-if-match'?: string;
  'x-ms-source-if-none-match'?: string;
  'x-ms-source-if-modified-since'?: string;
  'x-ms-source-if-unmodified-since'?: string;
}

const current = new AsyncLocalStorage<SourceConditionHeaders>();

/** Runs `operation` with source-condition headers added to its copy-from-URL requests. */
export function withSourceConditions<T>(
  headers: SourceConditionHeaders,
  operation: () => Promise<T>,
): Promise<T> {
  return current.run(headers, operation);
}

/** The pipeline factory. One instance serves every client. */
export const sourceConditionsPolicyFactory: RequestPolicyFactory = {
  create(nextPolicy: RequestPolicy, _options: RequestPolicyOptions): RequestPolicy {
    return {
      sendRequest(request: WebResource) {
        const headers = current.getStore();
        if (headers && request.headers.get('x-ms-copy-source') !== undefined) {
          for (const [name, value] of Object.entries(headers)) {
            if (value !== undefined) request.headers.set(name, value);
          }
        }
        return nextPolicy.sendRequest(request);
      },
    };
  },
};
