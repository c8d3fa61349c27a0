/**
 * Reads a browser POST's multipart/form-data body with busboy: the fields before the file, then
 * the file as a stream handed to `onFile` (S3 ignores fields after the file). Nothing is held
 * whole: fields are small (limited), the file streams.
 */
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { GatewayError } from './gateway-error.js';
import type { GatewayRequest } from './gateway-request.js';

export interface PostedFile {
  /** The file's name as the browser sent it (for `${filename}` in the key). */
  filename: string;
  stream: Readable;
}

/** Fields, their names in lower case, as S3 compares them. */
export type PostFields = ReadonlyMap<string, string>;

// S3 limits the form fields (the policy included) to 20 KB before the file.
const MAX_FIELD_BYTES = 20 * 1024;
const MAX_FIELDS = 1000;

export function readPostForm<T>(
  request: GatewayRequest,
  onFile: (fields: PostFields, file: PostedFile) => Promise<T>,
): Promise<T> {
  const { req } = request;
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fieldSize: MAX_FIELD_BYTES, fields: MAX_FIELDS, files: MAX_FIELDS },
        preservePath: true,
      });
    } catch {
      reject(malformed());
      return;
    }
    const fields = new Map<string, string>();
    const fieldParts: Promise<void>[] = [];
    let handled: Promise<T> | undefined;
    const fail = (error: unknown) => {
      req.unpipe(parser);
      req.resume();
      reject(error);
    };
    parser.on('field', (name, value, info) => {
      if (handled !== undefined) return;
      if (info.valueTruncated) {
        fail(
          new GatewayError(
            'MalformedPOSTRequest',
            `The form field "${name}" is larger than ${MAX_FIELD_BYTES} bytes.`,
          ),
        );
        return;
      }
      fields.set(name.toLowerCase(), value);
    });
    parser.on('file', (name, stream, info) => {
      if (handled !== undefined) {
        stream.resume();
        return;
      }
      // Only the part named `file` is the upload. Clients that send every field as a file part
      // (Python requests' `files=`) still mean fields, and S3 reads them as such.
      if (name.toLowerCase() !== 'file') {
        const part = readFieldPart(name.toLowerCase(), stream, fields);
        part.catch(() => {}); // reported through the file's wait, or moot when no file comes
        fieldParts.push(part);
        return;
      }
      // The field parts before it must be read first: their bytes arrive on later ticks.
      handled = Promise.all(fieldParts).then(() => onFile(fields, { filename: info.filename ?? '', stream }));
      handled.catch((error: unknown) => {
        stream.resume();
        fail(error);
      });
    });
    parser.on('error', () => fail(malformed()));
    parser.on('close', () => {
      if (handled === undefined) {
        reject(
          new GatewayError('InvalidArgument', 'POST requires exactly one file upload per request.', {
            ArgumentName: 'file',
          }),
        );
        return;
      }
      handled.then(resolve, reject);
    });
    req.on('data', (chunk: Buffer) => {
      request.bytes.in += chunk.length;
    });
    req.pipe(parser);
  });
}

// A field sent as a file part: its value is its bytes, at most a field's size.
function readFieldPart(name: string, stream: Readable, fields: Map<string, string>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FIELD_BYTES) chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => {
      if (size > MAX_FIELD_BYTES) {
        reject(
          new GatewayError(
            'MalformedPOSTRequest',
            `The form field "${name}" is larger than ${MAX_FIELD_BYTES} bytes.`,
          ),
        );
        return;
      }
      fields.set(name, Buffer.concat(chunks).toString('utf8'));
      resolve();
    });
  });
}

function malformed(): GatewayError {
  return new GatewayError(
    'MalformedPOSTRequest',
    'The body of your POST request is not well-formed multipart/form-data.',
  );
}
