/** Successful answers: an XML document, or headers only. */
import type { GatewayRequest } from './gateway-request.js';
import { xmlDocument } from './xml-codec.js';

export function sendXml(
  request: GatewayRequest,
  root: string,
  body: Record<string, unknown>,
  status = 200,
): void {
  sendXmlText(request, xmlDocument(root, body), status);
}

/** Sends an XML document already written. */
export function sendXmlText(request: GatewayRequest, text: string, status = 200): void {
  const { res } = request;
  res.statusCode = status;
  res.setHeader('content-type', 'application/xml');
  res.setHeader('content-length', Buffer.byteLength(text));
  request.bytes.out += Buffer.byteLength(text);
  res.end(text);
}

export function sendEmpty(request: GatewayRequest, status = 200): void {
  request.res.statusCode = status;
  if (status !== 204 && status !== 304) request.res.setHeader('content-length', '0');
  request.res.end();
}

/** S3 writes XML dates as ISO 8601 with milliseconds. */
export function xmlDate(date: Date): string {
  return date.toISOString();
}

/** `encoding-type=url`: keys and prefixes percent-encoded in the answer (slashes kept). */
export function encodeIfAsked(request: GatewayRequest, text: string): string {
  return request.target.query.get('encoding-type') === 'url'
    ? encodeURIComponent(text).replaceAll('%2F', '/')
    : text;
}
