/** Request bodies that are small documents (XML requests), read with a size limit. */
import { GatewayError } from './gateway-error.js';
import type { GatewayRequest } from './gateway-request.js';

/** Reads a body of at most `limit` bytes as UTF-8; a larger one is refused before it is read whole. */
export async function readSmallBody(request: GatewayRequest, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new GatewayError(
        'MalformedXML',
        `The XML you provided was larger than the ${limit} bytes this request allows.`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  request.bytes.in += size;
  return Buffer.concat(chunks).toString('utf8');
}
