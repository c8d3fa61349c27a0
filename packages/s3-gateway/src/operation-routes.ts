/**
 * Which S3 operation a request is, from its method, bucket, key, query and headers, as S3's
 * REST API defines them. Anything else is NotImplemented (a known sub-resource the gateway does
 * not serve) or MethodNotAllowed.
 */

import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from './acl-operations.js';
import { bucketEncryptionRoute } from './bucket-encryption-operations.js';
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  headBucket,
  listBuckets,
} from './bucket-operations.js';
import {
  deleteBucketPolicy,
  getBucketPolicy,
  getBucketPolicyStatus,
  putBucketPolicy,
} from './bucket-policy-operations.js';
import { deleteBucketTagging, getBucketTagging, putBucketTagging } from './bucket-tagging-operations.js';
import { bucketCorsRoute } from './cors-operations.js';
import { GatewayError } from './gateway-error.js';
import type { GatewayRequest } from './gateway-request.js';
import { getObjectAttributes } from './get-object-attributes.js';
import { listObjectsV1, listObjectsV2 } from './list-objects.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
  uploadPartCopy,
} from './multipart-operations.js';
import { objectLockRoute } from './object-lock-operations.js';
import { getObject, getObjectTagging, headObject } from './object-reads.js';
import { copyObject, deleteObject, deleteObjects, putObject } from './object-writes.js';
import {
  deleteBucketOwnershipControls,
  getBucketOwnershipControls,
  putBucketOwnershipControls,
} from './ownership-controls-operations.js';
import { postObject } from './post-object.js';
import { publicAccessBlockRoute } from './public-access-block.js';
import {
  getBucketVersioning,
  listObjectVersions,
  putBucketVersioning,
  withDeleteMarkerHeaders,
} from './versioning-operations.js';

export interface Route {
  /** The S3 operation name (logs, metrics). */
  operation: string;
  handle(request: GatewayRequest): Promise<void>;
}

// Sub-resources of S3's API this gateway does not serve: NotImplemented, never a silent GET.
const UNSERVED = [
  'acl', // GET and PUT are served by aclRoute; any other method is not
  'accelerate',
  'analytics',
  'attributes',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'logging',
  'metadataConfiguration',
  'metrics',
  'notification',
  'object-lock',
  'policy',
  'policyStatus',
  'renameObject',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'session',
  'tagging',
  'torrent',
  'versions',
  'website',
];

const route = (operation: string, handle: (request: GatewayRequest) => Promise<void>): Route => ({
  operation,
  handle,
});

export function routeRequest(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyMap<string, string>,
  hasCopySource: boolean,
): Route {
  // GetObjectTagging reads the tags the object was written with (aws-cli asks before copying);
  // changing tags needs an operation the store contract does not have.
  if (method === 'GET' && key !== undefined && query.has('tagging'))
    return route('GetObjectTagging', getObjectTagging);
  if (method === 'GET' && key !== undefined && query.has('attributes'))
    return route('GetObjectAttributes', getObjectAttributes);
  const acl = aclRoute(method, bucket, key, query) ?? bucketSubresourceRoute(method, bucket, key, query);
  if (acl !== undefined) return acl;
  const lock =
    objectLockRoute(method, bucket, key, query) ??
    bucketEncryptionRoute(method, bucket, key, query) ??
    bucketCorsRoute(method, bucket, key, query) ??
    publicAccessBlockRoute(method, bucket, key, query);
  if (lock !== undefined) return lock;
  const unserved = UNSERVED.find((name) => query.has(name));
  if (unserved !== undefined) throw notImplemented(`the "${unserved}" sub-resource`);
  if (bucket === undefined) {
    if (method === 'GET') return route('ListBuckets', listBuckets);
    throw methodNotAllowed(method);
  }
  return key === undefined ? bucketRoute(method, query) : objectRoute(method, query, hasCopySource);
}

// Bucket and object ACLs (acl-operations.ts).
function aclRoute(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyMap<string, string>,
): Route | undefined {
  if (bucket === undefined || !query.has('acl')) return undefined;
  if (method === 'GET')
    return key === undefined ? route('GetBucketAcl', getBucketAcl) : route('GetObjectAcl', getObjectAcl);
  if (method === 'PUT')
    return key === undefined ? route('PutBucketAcl', putBucketAcl) : route('PutObjectAcl', putObjectAcl);
  return undefined;
}

// A bucket has no policy (bucket-policy-operations.ts); its tags (bucket-tagging-operations.ts);
// its versions (versioning-operations.ts); its Object Ownership (ownership-controls-operations.ts).
function bucketSubresourceRoute(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyMap<string, string>,
): Route | undefined {
  if (bucket === undefined || key !== undefined) return undefined;
  if (query.has('versions') && method === 'GET') return route('ListObjectVersions', listObjectVersions);
  if (query.has('tagging')) {
    if (method === 'GET') return route('GetBucketTagging', getBucketTagging);
    if (method === 'PUT') return route('PutBucketTagging', putBucketTagging);
    if (method === 'DELETE') return route('DeleteBucketTagging', deleteBucketTagging);
  }
  if (query.has('ownershipControls')) {
    if (method === 'GET') return route('GetBucketOwnershipControls', getBucketOwnershipControls);
    if (method === 'PUT') return route('PutBucketOwnershipControls', putBucketOwnershipControls);
    if (method === 'DELETE') return route('DeleteBucketOwnershipControls', deleteBucketOwnershipControls);
  }
  if (query.has('policyStatus') && method === 'GET')
    return route('GetBucketPolicyStatus', getBucketPolicyStatus);
  if (!query.has('policy')) return undefined;
  if (method === 'GET') return route('GetBucketPolicy', getBucketPolicy);
  if (method === 'PUT') return route('PutBucketPolicy', putBucketPolicy);
  if (method === 'DELETE') return route('DeleteBucketPolicy', deleteBucketPolicy);
  return undefined;
}

function bucketRoute(method: string, query: ReadonlyMap<string, string>): Route {
  switch (method) {
    case 'GET':
      if (query.has('uploads')) return route('ListMultipartUploads', listMultipartUploads);
      if (query.has('location')) return route('GetBucketLocation', getBucketLocation);
      if (query.has('versioning')) return route('GetBucketVersioning', getBucketVersioning);
      if (query.get('list-type') === '2') return route('ListObjectsV2', listObjectsV2);
      return route('ListObjects', listObjectsV1);
    case 'HEAD':
      return route('HeadBucket', headBucket);
    case 'PUT':
      if (query.has('versioning')) return route('PutBucketVersioning', putBucketVersioning);
      if (query.size > 0) throw notImplemented(`PUT on the bucket with ?${[...query.keys()].join('&')}`);
      return route('CreateBucket', createBucket);
    case 'DELETE':
      return route('DeleteBucket', deleteBucket);
    case 'POST':
      if (query.has('delete')) return route('DeleteObjects', deleteObjects);
      if (query.size === 0) return route('PostObject', postObject);
      throw notImplemented(`POST on the bucket with ?${[...query.keys()].join('&')}`);
    default:
      throw methodNotAllowed(method);
  }
}

function objectRoute(method: string, query: ReadonlyMap<string, string>, hasCopySource: boolean): Route {
  const upload = query.has('uploadId');
  switch (method) {
    case 'GET':
      return upload ? route('ListParts', listParts) : route('GetObject', withDeleteMarkerHeaders(getObject));
    case 'HEAD':
      return route('HeadObject', withDeleteMarkerHeaders(headObject));
    case 'PUT':
      if (upload || query.has('partNumber')) {
        return hasCopySource ? route('UploadPartCopy', uploadPartCopy) : route('UploadPart', uploadPart);
      }
      return hasCopySource ? route('CopyObject', copyObject) : route('PutObject', putObject);
    case 'POST':
      if (query.has('uploads')) return route('CreateMultipartUpload', createMultipartUpload);
      if (upload) return route('CompleteMultipartUpload', completeMultipartUpload);
      throw notImplemented('POST on an object without ?uploads or ?uploadId');
    case 'DELETE':
      return upload
        ? route('AbortMultipartUpload', abortMultipartUpload)
        : route('DeleteObject', deleteObject);
    default:
      throw methodNotAllowed(method);
  }
}

function notImplemented(what: string): GatewayError {
  return new GatewayError(
    'NotImplemented',
    `A header or query you provided implies functionality that is not implemented: ${what}.`,
  );
}

function methodNotAllowed(method: string): GatewayError {
  return new GatewayError('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
    Method: method,
    ResourceType: 'OBJECT',
  });
}
