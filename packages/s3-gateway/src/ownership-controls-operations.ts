/**
 * Put/Get/DeleteBucketOwnershipControls: a bucket's Object Ownership, kept in its configuration
 * document (bucket-config-document.ts). BucketOwnerEnforced disables ACLs; ObjectWriter and
 * BucketOwnerPreferred enable them (acl-operations.ts, access-control.ts). Deleting the controls
 * leaves S3's legacy behaviour, ObjectWriter, and GetBucketOwnershipControls then answers
 * OwnershipControlsNotFoundError, as S3 does.
 */
import { bucketAccess } from './access-control.js';
import { isOwnerOnly } from './acl-model.js';
import { OBJECT_OWNERSHIPS, type ObjectOwnership } from './bucket-config-document.js';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import { readSmallBody } from './small-body.js';
import { malformedXml, parseXmlBody } from './xml-codec.js';
import { sendEmpty, sendXml } from './xml-response.js';

/** Recorded when the controls were deleted (the ownership is then ObjectWriter). */
const DELETED = 'ownershipControlsDeleted';

export async function getBucketOwnershipControls(request: GatewayRequest): Promise<void> {
  const access = request.access ?? (await bucketAccess(request, bucketOf(request)));
  if (access.stored?.config[DELETED] === true) {
    throw new GatewayError('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', {
      BucketName: bucketOf(request),
    });
  }
  sendXml(request, 'OwnershipControls', { Rule: { ObjectOwnership: access.ownership } });
}

export async function putBucketOwnershipControls(request: GatewayRequest): Promise<void> {
  const document = parseXmlBody(await readSmallBody(request, 64 * 1024), 'OwnershipControls');
  const rule = document.Rule as { ObjectOwnership?: unknown } | undefined;
  const ownership = rule?.ObjectOwnership as ObjectOwnership;
  if (!OBJECT_OWNERSHIPS.includes(ownership)) {
    throw malformedXml();
  }
  await setOwnership(request, ownership, false);
  sendEmpty(request);
}

export async function deleteBucketOwnershipControls(request: GatewayRequest): Promise<void> {
  await setOwnership(request, 'ObjectWriter', true);
  sendEmpty(request, 204);
}

// Disabling ACLs is refused while the bucket's ACL grants anyone but its owner, as S3 refuses it.
async function setOwnership(
  request: GatewayRequest,
  ownership: ObjectOwnership,
  deleted: boolean,
): Promise<void> {
  const access = request.access ?? (await bucketAccess(request, bucketOf(request)));
  if (ownership === 'BucketOwnerEnforced' && !isOwnerOnly(access.acl.grants, access.owner.id)) {
    throw new GatewayError(
      'InvalidBucketAclWithObjectOwnership',
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    );
  }
  await request.options.bucketConfigs.update(
    bucketOf(request),
    (current) => {
      const { [DELETED]: _deleted, ...rest } = current ?? {};
      return {
        ...rest,
        owner: current?.owner ?? access.owner,
        objectOwnership: ownership,
        ...(deleted ? { [DELETED]: true } : {}),
      };
    },
    request.signal,
  );
}
