import { PartCopyError } from '@partcopy/core/provider';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * Checks a bucket name against S3's general-purpose bucket rules: 3 to 63 characters, lower-case
 * letters, digits, dots and hyphens, starting and ending with a letter or digit, no `..`, not an
 * IP address. Those rules also make every valid name a safe single folder name (no `/`, `\`, NUL,
 * `.` or `..`, never hidden), which is why this provider checks them itself: a bucket name is
 * used as a path. Anything else is `InvalidBucketName`.
 */
export function assertBucketName(bucket: string): void {
  if (!isBucketName(bucket)) {
    throw new PartCopyError(
      'InvalidBucketName',
      `The specified bucket is not valid: "${String(bucket).slice(0, 80)}"`,
      {
        bucket: String(bucket).slice(0, 80),
      },
    );
  }
}

/** Does `name` follow S3's bucket naming rules (see {@link assertBucketName})? */
export function isBucketName(name: unknown): name is string {
  return typeof name === 'string' && BUCKET_NAME.test(name) && !name.includes('..') && !IP_ADDRESS.test(name);
}
