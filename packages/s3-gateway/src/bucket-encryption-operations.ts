/**
 * A bucket's default encryption (S3 PutBucketEncryption, GetBucketEncryption,
 * DeleteBucketEncryption, `?encryption`), kept by the store (capability `bucketEncryption`); a
 * store without it answers NotImplemented through the facade. One rule, as S3 reads the
 * configuration: its first `ApplyServerSideEncryptionByDefault`.
 */
import type { BucketEncryption } from '@partcopy/core';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import type { Route } from './operation-routes.js';
import { readSmallBody } from './small-body.js';
import { malformedXml, parseXmlBody } from './xml-codec.js';
import { sendEmpty, sendXml } from './xml-response.js';

/** The route of a `?encryption` request on a bucket, or undefined for any other request. */
export function bucketEncryptionRoute(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyMap<string, string>,
): Route | undefined {
  if (bucket === undefined || key !== undefined || !query.has('encryption')) return undefined;
  if (method === 'PUT') return { operation: 'PutBucketEncryption', handle: putBucketEncryption };
  if (method === 'GET') return { operation: 'GetBucketEncryption', handle: getBucketEncryption };
  if (method === 'DELETE') return { operation: 'DeleteBucketEncryption', handle: deleteBucketEncryption };
  return undefined;
}

async function putBucketEncryption(request: GatewayRequest): Promise<void> {
  const document = parseXmlBody(await readSmallBody(request, 64 * 1024), 'ServerSideEncryptionConfiguration');
  await request.client.putBucketEncryption({
    bucket: bucketOf(request),
    encryption: encryptionOf(document),
    abortSignal: request.signal,
  });
  sendEmpty(request);
}

async function getBucketEncryption(request: GatewayRequest): Promise<void> {
  const bucket = bucketOf(request);
  const { encryption } = await request.client.getBucketEncryption({ bucket, abortSignal: request.signal });
  if (encryption === undefined) {
    throw new GatewayError(
      'ServerSideEncryptionConfigurationNotFoundError',
      'The server side encryption configuration was not found',
      { BucketName: bucket },
    );
  }
  sendXml(request, 'ServerSideEncryptionConfiguration', {
    Rule: {
      ApplyServerSideEncryptionByDefault: {
        SSEAlgorithm: encryption.serverSideEncryption,
        ...(encryption.sseKMSKeyId === undefined ? {} : { KMSMasterKeyID: encryption.sseKMSKeyId }),
      },
      BucketKeyEnabled: String(encryption.bucketKeyEnabled === true),
    },
  });
}

async function deleteBucketEncryption(request: GatewayRequest): Promise<void> {
  await request.client.deleteBucketEncryption({ bucket: bucketOf(request), abortSignal: request.signal });
  sendEmpty(request, 204);
}

// `<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>…` with an optional KMSMasterKeyID
// and BucketKeyEnabled; anything else is MalformedXML, as S3 answers it.
function encryptionOf(document: Record<string, unknown>): BucketEncryption {
  const rules = document.Rule;
  const rule = (Array.isArray(rules) ? rules[0] : rules) as Record<string, unknown> | undefined;
  const apply = rule?.ApplyServerSideEncryptionByDefault as Record<string, unknown> | undefined;
  const algorithm = apply?.SSEAlgorithm;
  if (typeof algorithm !== 'string') {
    throw malformedXml();
  }
  if (!['AES256', 'aws:kms', 'aws:kms:dsse'].includes(algorithm)) {
    throw new GatewayError('InvalidArgument', 'The encryption method specified is not supported', {
      ArgumentName: 'SSEAlgorithm',
    });
  }
  const keyId = apply?.KMSMasterKeyID;
  if (typeof keyId === 'string' && !algorithm.startsWith('aws:kms')) {
    throw new GatewayError('InvalidArgument', 'a KMSMasterKeyID is allowed only for SSE-KMS.', {
      ArgumentName: 'KMSMasterKeyID',
    });
  }
  return {
    serverSideEncryption: algorithm,
    ...(typeof keyId === 'string' && keyId !== '' ? { sseKMSKeyId: keyId } : {}),
    ...(rule?.BucketKeyEnabled === 'true' ? { bucketKeyEnabled: true } : {}),
  };
}
