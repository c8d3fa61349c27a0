/**
 * The conformance kit against real S3 servers: MinIO over http (everything but SSE-C), MinIO over
 * TLS (the SSE-C group: MinIO refuses customer keys over plain http), and the second S3
 * implementation (moto). Every switched-off check is listed with its reason here and in README.md.
 */
import { runConformance, sseCustomerKeyGroup, wholeObjectCopyGroup } from '@partcopy/conformance';
import { describe, it } from 'vitest';
import type { S3ProviderOptions } from '../src/index.js';
import { minioProvider, minioTlsProvider, s3altProvider } from './support/servers.js';

const runner = { describe, it };

// MinIO answers 204 to aborting an unknown, aborted or completed upload; S3 answers NoSuchUpload.
const minioOptions: S3ProviderOptions = { compatibility: { checkUploadBeforeAbort: true } };

const NO_COPY_SOURCE_VERSION_HEADER =
  'the server does not return x-amz-copy-source-version-id, so the version copied without a versionId is unknown';

runConformance({
  name: 's3 (MinIO, http)',
  runner,
  createProvider: () => minioProvider(minioOptions),
  reopenProvider: () => minioProvider(minioOptions),
  // MinIO refuses SSE-C over plain http; the TLS suite below runs that group.
  // MinIO copies whatever If-Match / If-None-Match say on CopyObject (S3 honours them since 2025).
  // MinIO computes a CopyObject's checksum over the bytes when asked (x-amz-checksum-algorithm),
  // so whole-object copies verify by it; it refuses UploadPartCopy into an upload created with an
  // algorithm ("checksum missing"), so partCopyChecksums stays off (the default off AWS).
  // MinIO refuses SSE-S3 and SSE-KMS (501 "KMS is not configured") unless a KMS is set up, which
  // the test servers do not do: the sse-kms group runs its switched-off check here.
  capabilities: {
    sseCustomerKey: false,
    sseKms: false,
    wholeObjectCopyConditions: false,
    wholeObjectCopyChecksums: true,
  },
  skip: {
    'listing.uploads-prefix':
      'MinIO lists uploads only for a prefix equal to a whole key (prefix "in/" returns none)',
    'versioned-sources.current-version': NO_COPY_SOURCE_VERSION_HEADER,
    'awkward-keys.dot-dot': 'MinIO refuses keys with ".." segments (XMinioInvalidResourceName)',
    'awkward-keys.dot-slash': 'MinIO refuses keys with "." segments (XMinioInvalidResourceName)',
    'awkward-keys.leading-slash': 'MinIO refuses keys starting with "/" (XMinioInvalidObjectName)',
    'awkward-keys.trailing-slash': 'MinIO treats keys ending in "/" as folders and refuses data in them',
    'awkward-keys.double-slash': 'MinIO refuses keys with empty segments ("a//b")',
    'awkward-keys.long-segment':
      'MinIO limits each key segment to 255 bytes (a file name), S3 only the whole key to 1024',
    'awkward-keys.file-and-folder': 'MinIO stores keys as paths: "a" and "a/b" cannot both exist',
    'store.list-objects-pagination': 'MinIO stores keys as paths: "b" and "b/1" cannot both exist',
    'store.list-objects-start-after': 'MinIO stores keys as paths: "b" and "b/1" cannot both exist',
    'bucket-versioning.missing-bucket':
      'MinIO answers PutBucketVersioning on a missing bucket with 200 (S3: 404 NoSuchBucket)',
    'bucket-versioning.suspended-null-version':
      'MinIO answers a delete in a suspended bucket without x-amz-delete-marker (S3: a null delete marker)',
  },
});

// Only the SSE-C group over TLS (MinIO accepts SSE-C only there); the http suite runs the rest.
sseCustomerKeyGroup({
  name: 's3 (MinIO, TLS)',
  runner,
  createProvider: () => minioTlsProvider(minioOptions),
  reopenProvider: () => minioTlsProvider(minioOptions),
});

// The whole-object-copy group over TLS too, for its SSE-C check (the other checks repeat http's).
wholeObjectCopyGroup({
  name: 's3 (MinIO, TLS)',
  runner,
  createProvider: () => minioTlsProvider(minioOptions),
  capabilities: { wholeObjectCopyConditions: false },
});

const MOTO_UNKNOWN_UPLOAD =
  'moto answers an unknown upload id with 500 and an HTML page (S3: 404 NoSuchUpload)';

runConformance({
  name: 's3 (moto)',
  runner,
  createProvider: () => s3altProvider(),
  reopenProvider: () => s3altProvider(),
  capabilities: {
    // moto accepts the four x-amz-copy-source-if-* headers on UploadPartCopy and ignores them.
    copySourceIfMatch: false,
    copySourceIfNoneMatch: false,
    copySourceIfModifiedSince: false,
    copySourceIfUnmodifiedSince: false,
    // moto accepts SSE-C headers but neither encrypts nor checks keys.
    sseCustomerKey: false,
    // moto copies whatever If-Match / If-None-Match say on CopyObject.
    wholeObjectCopyConditions: false,
  },
  skip: {
    'ranges.past-end': 'moto does not validate copy ranges against the source size',
    'ranges.start-past-end': 'moto does not validate copy ranges against the source size',
    'source-hint.past-end-same-error': 'moto does not validate copy ranges against the source size',
    'versioned-sources.current-version': NO_COPY_SOURCE_VERSION_HEADER,
    'no-such-upload.bogus-id-upload-part': MOTO_UNKNOWN_UPLOAD,
    'no-such-upload.bogus-id-upload-part-copy': MOTO_UNKNOWN_UPLOAD,
    'no-such-upload.bogus-id-complete': MOTO_UNKNOWN_UPLOAD,
    'no-such-upload.after-abort-upload-part': MOTO_UNKNOWN_UPLOAD,
    'no-such-upload.after-abort-upload-part-copy': MOTO_UNKNOWN_UPLOAD,
    'no-such-upload.after-abort-complete': MOTO_UNKNOWN_UPLOAD,
    'no-such-upload.after-complete-upload-part': MOTO_UNKNOWN_UPLOAD,
    'no-such-upload.after-complete-upload-part-copy': MOTO_UNKNOWN_UPLOAD,
    'no-such-upload.after-complete-complete':
      'moto completes an already completed upload again (S3: NoSuchUpload)',
    'abort.cross-instance': MOTO_UNKNOWN_UPLOAD,
    'sse-kms.put-and-read':
      'moto answers aws:kms without a key id with no key id (S3 answers the id of its AWS-managed key)',
    'gc.old-removed-young-kept':
      'moto lists every upload as initiated 2010-11-10T20:48:33Z, so no upload is younger than another',
    'bucket-versioning.suspended-null-version':
      'moto drops the versions made while enabled when a suspended bucket writes its null version (S3 keeps them)',
    'bucket-versioning.list-delimiter':
      'moto does not count common prefixes against MaxKeys in ListObjectVersions (S3 does)',
    'store.put-checksum':
      "moto answers HeadObject without x-amz-checksum-type (S3: FULL_OBJECT for a put's checksum)",
    'completion.destination-conditions':
      'moto completes whatever If-Match names on CompleteMultipartUpload (it honours If-None-Match "*")',
    'store.null-version-id':
      'moto answers versionId "null" in a bucket that never had versioning with 400 (S3 serves the object)',
    'store.put-if-none-match-etag':
      'moto reads PutObject If-None-Match only as "*" (S3 documents "*"; MinIO, Ceph and the other stores compare an ETag)',
  },
});
