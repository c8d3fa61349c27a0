import { createHash } from 'node:crypto';
import { PartCopyError } from '../errors/part-copy-error.js';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * An SSE-C key (AES-256, 32 bytes). The key bytes live in a private field: JSON, `String()`
 * and `util.inspect` show only the algorithm and the key's MD5, so a key never reaches a log,
 * an event or an error message by accident. Providers read the bytes with {@link keyBytes}.
 */
export class SseCustomerKey {
  readonly algorithm = 'AES256' as const;
  /** Base64 MD5 of the key, as S3's `...-customer-key-MD5` header carries it. */
  readonly keyMD5: string;
  readonly #key: Uint8Array;

  private constructor(key: Uint8Array) {
    this.#key = key;
    this.keyMD5 = createHash('md5').update(key).digest('base64');
  }

  /**
   * Builds a key from S3's three fields. `key` is base64 text (as S3 headers carry it) or raw
   * bytes; `keyMD5`, when given, must match. Throws `InvalidArgument` without echoing the key.
   */
  static from(
    algorithm: string | undefined,
    key: string | Uint8Array,
    keyMD5?: string,
    field = 'sseCustomerKey',
  ): SseCustomerKey {
    if (algorithm !== undefined && algorithm !== 'AES256') {
      throw new PartCopyError('InvalidArgument', `${field}: the SSE-C algorithm must be AES256`);
    }
    const bytes = typeof key === 'string' ? Buffer.from(key, 'base64') : Uint8Array.from(key);
    if (bytes.length !== 32) {
      throw new PartCopyError(
        'InvalidArgument',
        `${field}: the SSE-C key must be 256 bits (32 bytes, base64 encoded)`,
      );
    }
    const parsed = new SseCustomerKey(bytes);
    if (keyMD5 !== undefined && keyMD5 !== parsed.keyMD5) {
      throw new PartCopyError('InvalidArgument', `${field}: the key MD5 does not match the key`);
    }
    return parsed;
  }

  /** The raw 32 key bytes (a copy). */
  keyBytes(): Uint8Array {
    return Uint8Array.from(this.#key);
  }

  /** The key as base64, as S3's header carries it. */
  keyBase64(): string {
    return Buffer.from(this.#key).toString('base64');
  }

  /** Base64 SHA-256 of the key (Azure and GCS identify customer keys this way). */
  keySHA256(): string {
    return createHash('sha256').update(this.#key).digest('base64');
  }

  /** Same key? Compares digests, not bytes, so no timing detail of the key leaks. */
  equals(other: SseCustomerKey | undefined): boolean {
    return other !== undefined && other.keyMD5 === this.keyMD5;
  }

  toJSON(): { algorithm: 'AES256'; keyMD5: string } {
    return { algorithm: this.algorithm, keyMD5: this.keyMD5 };
  }

  toString(): string {
    return `SseCustomerKey(AES256, md5=${this.keyMD5})`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}
