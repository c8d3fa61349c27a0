/**
 * S3 Express One Zone directory buckets: `base-name--zone-id--x-s3`. The SDK addresses them
 * virtual-hosted-style at the zonal endpoint and signs UploadPartCopy with IAM credentials (its
 * endpoint rules set `DisableS3ExpressSessionAuth` for that command), so this module only names
 * them and derives the zone for CreateBucket.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/directory-bucket-naming-rules.html
 */

const DIRECTORY_SUFFIX = '--x-s3';
const NAME_PATTERN = /^(.+)--([a-z0-9]+(?:-[a-z0-9]+)+)--x-s3$/;

/** True for a directory bucket name (ends with `--x-s3`). */
export function isDirectoryBucket(bucket: string): boolean {
  return bucket.endsWith(DIRECTORY_SUFFIX);
}

/** Where a directory bucket lives, for CreateBucket's `CreateBucketConfiguration`. */
export interface DirectoryBucketLocation {
  /** Zone id such as `use1-az4` (Availability Zone) or `usw2-lax1-az1` (Local Zone). */
  zoneId: string;
  type: 'AvailabilityZone' | 'LocalZone';
  dataRedundancy: 'SingleAvailabilityZone' | 'SingleLocalZone';
}

/**
 * The zone a directory bucket name carries. Availability Zone ids have two segments
 * (`use1-az4`), Local Zone ids three (`usw2-lax1-az1`).
 */
export function directoryBucketLocation(bucket: string): DirectoryBucketLocation | undefined {
  const match = NAME_PATTERN.exec(bucket);
  if (!match) return undefined;
  const zoneId = match[2] as string;
  const local = zoneId.split('-').length > 2;
  return local
    ? { zoneId, type: 'LocalZone', dataRedundancy: 'SingleLocalZone' }
    : { zoneId, type: 'AvailabilityZone', dataRedundancy: 'SingleAvailabilityZone' };
}
