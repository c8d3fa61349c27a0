/**
 * S3 ACLs through the gateway with @aws-sdk/client-s3 on one backend, with two users (owner and
 * other) and unsigned requests: Object Ownership, canned ACLs and grants, Put/Get Bucket and
 * Object ACL, what each principal may do, the public access block, and that an ACL is kept in the
 * store (a second gateway over it enforces the same). Run on memory and a folder by
 * acls.test.ts, on Azurite and fake-gcs-server by acls-clouds.int.test.ts.
 */
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteObjectCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Gateway, type S3Gateway } from '../../src/index.js';
import {
  ACCESS_KEY,
  type BackendName,
  type RunningGateway,
  randomBucket,
  SECRET_KEY,
  s3ClientFor,
  startGateway,
} from './gateway-harness.js';
import { s3Failure } from './sdk-suite.js';

export const OTHER = { accessKeyId: 'GATEWAYOTHERKEY', secretAccessKey: 'gateway-other-secret-0123456789' };
export const OTHER_ID = 'other-user-id';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const credentials = [
  { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, userId: 'owner-user-id', displayName: 'Owner' },
  { ...OTHER, userId: OTHER_ID, displayName: 'Other', email: 'other@example.com' },
];

/** The ACL tests on one backend (a fresh gateway with two users and ACLs enabled by default). */
export function aclSuite(backend: BackendName): void {
  describe(`S3 ACLs through the gateway (${backend})`, () => {
    let g: RunningGateway;
    let owner: S3Client;
    let other: S3Client;

    beforeAll(async () => {
      g = await startGateway(backend, { credentials, defaultObjectOwnership: 'ObjectWriter' });
      owner = g.s3;
      other = s3ClientFor(g.url, OTHER);
    });
    afterAll(async () => {
      other?.destroy();
      await g?.close();
    });

    const unsigned = (path: string, init: RequestInit = {}) => fetch(`${g.url}${path}`, init);

    async function bucket(acl?: 'public-read' | 'public-read-write' | 'authenticated-read'): Promise<string> {
      const name = randomBucket();
      await owner.send(new CreateBucketCommand({ Bucket: name, ...(acl ? { ACL: acl } : {}) }));
      return name;
    }

    it('names the creator as owner with FULL_CONTROL and the default ownership', async () => {
      const name = await bucket();
      const acl = await owner.send(new GetBucketAclCommand({ Bucket: name }));
      expect(acl.Owner).toEqual({ ID: 'owner-user-id', DisplayName: 'Owner' });
      expect(acl.Grants).toEqual([
        {
          Grantee: { ID: 'owner-user-id', DisplayName: 'Owner', Type: 'CanonicalUser' },
          Permission: 'FULL_CONTROL',
        },
      ]);
      const controls = await owner.send(new GetBucketOwnershipControlsCommand({ Bucket: name }));
      expect(controls.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'ObjectWriter' }]);
    });

    it('keeps a private bucket and object from other users and from unsigned requests', async () => {
      const name = await bucket();
      await owner.send(new PutObjectCommand({ Bucket: name, Key: 'secret', Body: 'mine' }));
      expect(await s3Failure(other.send(new GetObjectCommand({ Bucket: name, Key: 'secret' })))).toEqual({
        code: 'AccessDenied',
        status: 403,
      });
      expect((await s3Failure(other.send(new ListObjectsV2Command({ Bucket: name })))).code).toBe(
        'AccessDenied',
      );
      expect(
        (await s3Failure(other.send(new PutObjectCommand({ Bucket: name, Key: 'x', Body: 'y' })))).code,
      ).toBe('AccessDenied');
      expect((await unsigned(`/${name}/secret`)).status).toBe(403);
    });

    it('serves public-read objects to anyone and public-read buckets listings to anyone', async () => {
      const name = await bucket('public-read');
      await owner.send(
        new PutObjectCommand({ Bucket: name, Key: 'open', Body: 'hello', ACL: 'public-read' }),
      );
      await owner.send(new PutObjectCommand({ Bucket: name, Key: 'closed', Body: 'hidden' }));
      const open = await unsigned(`/${name}/open`);
      expect([open.status, await open.text()]).toEqual([200, 'hello']);
      expect((await unsigned(`/${name}/closed`)).status).toBe(403);
      const listing = await unsigned(`/${name}?list-type=2`);
      expect(listing.status).toBe(200);
      expect(await listing.text()).toContain('<Key>open</Key>');
      // READ on the bucket is no WRITE.
      expect((await unsigned(`/${name}/new`, { method: 'PUT', body: 'x' })).status).toBe(403);
      const acl = await other.send(new GetObjectAclCommand({ Bucket: name, Key: 'open' })).catch((e) => e);
      expect(acl.name).toBe('AccessDenied');
    });

    it('lets anyone write to a public-read-write bucket; the object belongs to its writer', async () => {
      const name = await bucket('public-read-write');
      expect((await unsigned(`/${name}/anon`, { method: 'PUT', body: 'by nobody' })).status).toBe(200);
      await other.send(new PutObjectCommand({ Bucket: name, Key: 'theirs', Body: 'by other' }));
      const theirs = await other.send(new GetObjectAclCommand({ Bucket: name, Key: 'theirs' }));
      expect(theirs.Owner?.ID).toBe(OTHER_ID);
      // The bucket owner may delete it (WRITE on the bucket) but not read it (no grant).
      expect((await s3Failure(owner.send(new GetObjectCommand({ Bucket: name, Key: 'theirs' })))).code).toBe(
        'AccessDenied',
      );
      await owner.send(new DeleteObjectCommand({ Bucket: name, Key: 'theirs' }));
    });

    it('grants by id, e-mail and group through headers and policy documents', async () => {
      const name = await bucket();
      await owner.send(new PutBucketAclCommand({ Bucket: name, GrantRead: `id="${OTHER_ID}"` }));
      const listed = await other.send(new ListObjectsV2Command({ Bucket: name }));
      expect(listed.KeyCount).toBe(0);
      await owner.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'v' }));
      await owner.send(
        new PutObjectAclCommand({
          Bucket: name,
          Key: 'k',
          AccessControlPolicy: {
            Owner: { ID: 'owner-user-id' },
            Grants: [
              {
                Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'other@example.com' },
                Permission: 'READ',
              },
              { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ_ACP' },
            ],
          },
        }),
      );
      const got = await other.send(new GetObjectCommand({ Bucket: name, Key: 'k' }));
      expect(await got.Body?.transformToString()).toBe('v');
      const acl = await (await unsigned(`/${name}/k?acl`)).text();
      expect(acl).toContain(`<ID>${OTHER_ID}</ID>`);
      expect(acl).toContain(ALL_USERS);
      // The ACL is no metadata: HEAD shows none, and the object keeps its content.
      const head = await owner.send(new HeadObjectCommand({ Bucket: name, Key: 'k' }));
      expect(head.Metadata).toEqual({});
      const unresolvable = await s3Failure(
        owner.send(new PutBucketAclCommand({ Bucket: name, GrantRead: 'emailAddress="nobody@example.com"' })),
      );
      expect(unresolvable.code).toBe('UnresolvableGrantByEmailAddress');
      const unknownId = await s3Failure(
        owner.send(new PutBucketAclCommand({ Bucket: name, GrantRead: 'id="_foo"' })),
      );
      expect(unknownId.code).toBe('InvalidArgument');
    });

    it('does not copy the source ACL: a copy is private to its writer', async () => {
      const name = await bucket();
      await owner.send(new PutObjectCommand({ Bucket: name, Key: 'src', Body: 'data', ACL: 'public-read' }));
      await owner.send(new CopyObjectCommand({ Bucket: name, Key: 'dst', CopySource: `${name}/src` }));
      expect((await unsigned(`/${name}/dst`)).status).toBe(403);
      await owner.send(
        new CopyObjectCommand({ Bucket: name, Key: 'dst2', CopySource: `${name}/src`, ACL: 'public-read' }),
      );
      expect(await (await unsigned(`/${name}/dst2`)).text()).toBe('data');
      // A copy onto itself that changes nothing is still refused, as S3 refuses it.
      const itself = await s3Failure(
        owner.send(new CopyObjectCommand({ Bucket: name, Key: 'src', CopySource: `${name}/src` })),
      );
      expect(itself.code).toBe('InvalidRequest');
    });

    it('keeps ACLs disabled under BucketOwnerEnforced, per bucket', async () => {
      const name = randomBucket();
      await owner.send(new CreateBucketCommand({ Bucket: name, ObjectOwnership: 'BucketOwnerEnforced' }));
      const refused = await s3Failure(
        owner.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'v', ACL: 'public-read' })),
      );
      expect(refused.code).toBe('AccessControlListNotSupported');
      await owner.send(
        new PutBucketOwnershipControlsCommand({
          Bucket: name,
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        }),
      );
      await other.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'v' })).catch(() => undefined);
      await owner.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'v', ACL: 'public-read' }));
      expect((await unsigned(`/${name}/k`)).status).toBe(200);
      await owner.send(new DeleteBucketOwnershipControlsCommand({ Bucket: name }));
      const missing = await s3Failure(owner.send(new GetBucketOwnershipControlsCommand({ Bucket: name })));
      expect(missing.code).toBe('OwnershipControlsNotFoundError');
      // Bucket settings are the owner's alone.
      const stranger = await s3Failure(
        other.send(
          new PutBucketOwnershipControlsCommand({
            Bucket: name,
            OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
          }),
        ),
      );
      expect(stranger.code).toBe('AccessDenied');
    });

    it('applies a public access block: public ACLs refused, or ignored', async () => {
      const name = await bucket();
      const none = await s3Failure(owner.send(new GetPublicAccessBlockCommand({ Bucket: name })));
      expect(none.code).toBe('NoSuchPublicAccessBlockConfiguration');
      await owner.send(new PutObjectCommand({ Bucket: name, Key: 'open', Body: 'x', ACL: 'public-read' }));
      expect((await unsigned(`/${name}/open`)).status).toBe(200);
      const block = {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      };
      await owner.send(
        new PutPublicAccessBlockCommand({ Bucket: name, PublicAccessBlockConfiguration: block }),
      );
      const got = await owner.send(new GetPublicAccessBlockCommand({ Bucket: name }));
      expect(got.PublicAccessBlockConfiguration).toEqual(block);
      expect((await unsigned(`/${name}/open`)).status).toBe(403);
      const refused = await s3Failure(
        owner.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x', ACL: 'authenticated-read' })),
      );
      expect(refused).toEqual({ code: 'AccessDenied', status: 403 });
      expect(
        (await s3Failure(owner.send(new PutBucketAclCommand({ Bucket: name, ACL: 'public-read' })))).status,
      ).toBe(403);
      await owner.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x', ACL: 'private' }));
      await owner.send(new DeletePublicAccessBlockCommand({ Bucket: name }));
      expect((await unsigned(`/${name}/open`)).status).toBe(200);
    });

    it('keeps the ACL in the store: a second gateway over it enforces the same', async () => {
      const name = await bucket();
      await owner.send(
        new PutObjectCommand({ Bucket: name, Key: 'open', Body: 'shared', ACL: 'public-read' }),
      );
      await owner.send(new PutObjectCommand({ Bucket: name, Key: 'closed', Body: 'private' }));
      const second: S3Gateway = createS3Gateway({ client: g.client, credentials });
      const url = await second.listen();
      try {
        expect(await (await fetch(`${url}/${name}/open`)).text()).toBe('shared');
        expect((await fetch(`${url}/${name}/closed`)).status).toBe(403);
        const acl = await (await fetch(`${url}/${name}/open?acl`, {})).status;
        expect(acl).toBe(403);
      } finally {
        await second.close(1000);
      }
    });
  });
}
