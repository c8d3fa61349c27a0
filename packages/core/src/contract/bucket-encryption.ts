/**
 * A bucket's default encryption in the provider contract (S3 PutBucketEncryption /
 * GetBucketEncryption / DeleteBucketEncryption): the store-managed encryption a write gets when
 * it asks for none. Optional operations behind the capability `bucketEncryption`.
 */

/** The default a bucket applies to writes that name no encryption (S3's ApplyServerSideEncryptionByDefault). */
export interface BucketEncryption {
  serverSideEncryption: 'AES256' | 'aws:kms' | 'aws:kms:dsse' | (string & {});
  /** The KMS key of `aws:kms` / `aws:kms:dsse` (S3's KMSMasterKeyID). */
  sseKMSKeyId?: string;
  bucketKeyEnabled?: boolean;
}

export interface PutBucketEncryptionRequest {
  bucket: string;
  encryption: BucketEncryption;
}

/** GetBucketEncryption and DeleteBucketEncryption name only the bucket. */
export interface BucketEncryptionRequest {
  bucket: string;
}

export interface GetBucketEncryptionResult {
  /** Absent for a bucket without a default encryption configuration. */
  encryption?: BucketEncryption;
}
