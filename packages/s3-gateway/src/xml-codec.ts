/**
 * S3's XML, written and read with fast-xml-parser. Documents are plain objects: a key is an
 * element, an array is a repeated element, `undefined` leaves the element out.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { GatewayError } from './gateway-error.js';

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});

// Element values stay strings (an ETag or a key that looks like a number must not become one).
// Entities are decoded, numeric references included: Go's encoder (rclone, MinIO clients) writes
// an ETag's quotes as &#34;. Documents with a DOCTYPE are refused before parsing (parseXmlBody),
// so no declared entity is ever expanded.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  isArray: (name) => REPEATED_ELEMENTS.has(name),
});

// Elements that may repeat in the request bodies the gateway reads.
const REPEATED_ELEMENTS = new Set([
  'Part',
  'Object',
  'CORSRule',
  'AllowedMethod',
  'AllowedOrigin',
  'AllowedHeader',
  'ExposeHeader',
]);

/** An XML document with the S3 namespace on its root element. */
export function xmlDocument(root: string, body: Record<string, unknown>): string {
  const content = builder.build({ [root]: { '@_xmlns': S3_NAMESPACE, ...body } }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${content}`;
}

/**
 * An XML document with the S3 namespace whose children keep the order given, each a one-key
 * object: for documents where different elements interleave (ListVersionsResult's Version and
 * DeleteMarker).
 */
export function xmlDocumentInOrder(root: string, children: ReadonlyArray<Record<string, unknown>>): string {
  const content = children.map((child) => builder.build(child) as string).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">${content}</${root}>`;
}

/** An XML document without a namespace (S3's `<Error>`). */
export function plainXmlDocument(root: string, body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: body }) as string}`;
}

/**
 * Parses a request body and returns its root element's content. Anything that is not well-formed
 * XML with that root is `MalformedXML`, as S3 answers it.
 */
export function parseXmlBody(text: string, root: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    if (!isWellFormed(text)) throw new Error('not well-formed');
    parsed = parser.parse(text);
  } catch {
    throw malformedXml();
  }
  const content = (parsed as Record<string, unknown> | undefined)?.[root];
  if (content === undefined || content === null || typeof content !== 'object') throw malformedXml();
  return content as Record<string, unknown>;
}

/** S3's answer to a request body that is not the XML the operation takes. */
export function malformedXml(): GatewayError {
  return new GatewayError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema.',
  );
}

function isWellFormed(text: string): boolean {
  return text.trim() !== '' && !/<!DOCTYPE/i.test(text) && XMLValidator.validate(text) === true;
}
