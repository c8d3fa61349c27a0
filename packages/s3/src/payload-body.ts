/** Request bodies for PutObject and UploadPart. */
import { Readable } from 'node:stream';
import type { Payload } from '@partcopy/core/provider';

/** In-memory bodies go as bytes (the SDK can checksum and retry them); streams as a Readable. */
export function bodyOf(payload: Payload): Uint8Array | Readable {
  return payload.bytes ?? Readable.from(payload.chunks(), { objectMode: false });
}
