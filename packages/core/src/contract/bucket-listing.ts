/**
 * The listing of a store's buckets (S3 ListBuckets) in the provider contract: an optional
 * operation behind the capability `listBuckets`.
 */

/** One bucket of the store. */
export interface BucketInfo {
  name: string;
  /** When the bucket was created, where the store says. */
  creationDate?: Date;
}

export interface ListBucketsResult {
  /** Every bucket the provider's credentials reach, in no particular order. */
  buckets: BucketInfo[];
}
