/**
 * `startAfter` for a provider that cannot start a listing after a key (capability
 * `listStartAfter` absent): its pages are read from the start of the prefix and the keys at or
 * before `startAfter` dropped, until a page has a later key or the listing ends. The answer is a
 * provider page (its continuation token resumes after it), so callers cannot tell the two apart.
 */
import type {
  ListObjectsRequest,
  ListObjectsResult,
  OperationContext,
  Provider,
} from '../contract/provider-contract.js';
import { compareKeys } from '../semantics/key-order.js';

export async function listAfter(
  provider: Provider,
  request: ListObjectsRequest,
  startAfter: string,
  ctx: OperationContext,
): Promise<ListObjectsResult> {
  let page = await provider.listObjects(request, ctx);
  for (;;) {
    const objects = page.objects.filter((object) => compareKeys(object.key, startAfter) > 0);
    if (objects.length > 0 || !page.isTruncated || page.nextContinuationToken === undefined) {
      return { ...page, objects };
    }
    page = await provider.listObjects({ ...request, continuationToken: page.nextContinuationToken }, ctx);
  }
}
