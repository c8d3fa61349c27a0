/** Validation of a bucket default encryption (S3 PutBucketEncryption's rules), once, in the facade. */
import type { BucketEncryption } from '../contract/bucket-encryption.js';
import { PartCopyError } from '../errors/part-copy-error.js';

const METHODS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

/** A known method; a KMS key id only with a KMS method; `bucketKeyEnabled` a boolean. */
export function normaliseBucketEncryption(input: BucketEncryption | undefined): BucketEncryption {
  const method = input?.serverSideEncryption;
  if (typeof method !== 'string' || !METHODS.has(method)) {
    throw new PartCopyError(
      'InvalidArgument',
      'encryption.serverSideEncryption must be AES256, aws:kms or aws:kms:dsse',
    );
  }
  const out: BucketEncryption = { serverSideEncryption: method };
  if (input?.sseKMSKeyId !== undefined) {
    if (!method.startsWith('aws:kms') || typeof input.sseKMSKeyId !== 'string' || input.sseKMSKeyId === '') {
      throw new PartCopyError('InvalidArgument', 'encryption.sseKMSKeyId is a KMS key id, only with aws:kms');
    }
    out.sseKMSKeyId = input.sseKMSKeyId;
  }
  if (input?.bucketKeyEnabled !== undefined) {
    if (typeof input.bucketKeyEnabled !== 'boolean') {
      throw new PartCopyError('InvalidArgument', 'encryption.bucketKeyEnabled must be a boolean');
    }
    out.bucketKeyEnabled = input.bucketKeyEnabled;
  }
  return out;
}
