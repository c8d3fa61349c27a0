/**
 * The operations added after the first gateway round, asserted with @aws-sdk/client-s3 over one
 * backend: HEAD with a Range, GetObject and HeadObject by partNumber, ACLs as S3 answers them for
 * a bucket with ACLs disabled (owner FULL_CONTROL, canned `private` accepted, anything else
 * AccessControlListNotSupported), and what stays NotImplemented in S3's shape. The same suite
 * runs over memory, a folder, Azurite and fake-gcs-server.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BackendName,
  patternBytes,
  type RunningGateway,
  randomBucket,
  startGateway,
} from './gateway-harness.js';
import { s3Failure } from './sdk-suite.js';

const MiB = 1024 * 1024;
// Stores whose ObjectInfo reports each part's size (`parts`), so one part of several can be read.
const RECORDS_PARTS: readonly BackendName[] = ['memory', 'fs', 'azurite', 'fake-gcs'];

export function sdkFeaturesSuite(backend: BackendName): void {
  describe(`S3 SDK through the gateway, added operations (${backend})`, () => {
    let g: RunningGateway;
    let s3: S3Client;
    let bucket: string;

    beforeAll(async () => {
      g = await startGateway(backend);
      s3 = g.s3;
      bucket = randomBucket();
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    });
    afterAll(async () => {
      await g?.close();
    });

    it('answers HEAD with a Range as 206 with Content-Range, and an unsatisfiable one with 416', async () => {
      const body = patternBytes(1000);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'head-range', Body: body }));
      const closed = await s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: 'head-range', Range: 'bytes=10-19' }),
      );
      expect(closed.$metadata.httpStatusCode).toBe(206);
      expect(closed.ContentRange).toBe('bytes 10-19/1000');
      expect(closed.ContentLength).toBe(10);
      const open = await s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: 'head-range', Range: 'bytes=990-' }),
      );
      expect(open.ContentRange).toBe('bytes 990-999/1000');
      expect(open.ContentLength).toBe(10);
      const suffix = await s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: 'head-range', Range: 'bytes=-100' }),
      );
      expect(suffix.ContentRange).toBe('bytes 900-999/1000');
      const beyond = await s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: 'head-range', Range: 'bytes=900-5000' }),
      );
      expect(beyond.ContentRange).toBe('bytes 900-999/1000');
      expect(
        await s3Failure(
          s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'head-range', Range: 'bytes=1000-1001' })),
        ),
      ).toMatchObject({ status: 416 });
      const whole = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'head-range' }));
      expect(whole.$metadata.httpStatusCode).toBe(200);
      expect(whole.ContentRange).toBeUndefined();
      expect(whole.ContentLength).toBe(1000);
    });

    it('reads part 1 of an object stored in one piece; other parts are InvalidPartNumber', async () => {
      const body = patternBytes(3000, 3);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'one-part', Body: body }));
      if (!g.client.capabilities.multipartEtag) {
        // No part count and no S3 ETag (Azure): the store cannot say the object has one part.
        expect(
          await s3Failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'one-part', PartNumber: 1 }))),
        ).toEqual({
          code: 'NotImplemented',
          status: 501,
        });
        return;
      }
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'one-part', PartNumber: 1 }));
      expect(got.$metadata.httpStatusCode).toBe(206);
      expect(got.ContentRange).toBe('bytes 0-2999/3000');
      expect(await got.Body?.transformToByteArray()).toEqual(body);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'one-part', PartNumber: 1 }));
      expect(head.$metadata.httpStatusCode).toBe(206);
      expect(head.ContentLength).toBe(3000);
      expect(
        await s3Failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'one-part', PartNumber: 2 }))),
      ).toEqual({
        code: 'InvalidPartNumber',
        status: 416,
      });
      expect(
        await s3Failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'one-part', PartNumber: 2 }))),
      ).toMatchObject({ status: 416 });
      expect(
        await s3Failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'one-part', PartNumber: 0 }))),
      ).toEqual({
        code: 'InvalidArgument',
        status: 400,
      });
      expect(
        await s3Failure(
          s3.send(
            new GetObjectCommand({ Bucket: bucket, Key: 'one-part', PartNumber: 1, Range: 'bytes=0-1' }),
          ),
        ),
      ).toEqual({ code: 'InvalidRequest', status: 400 });
    });

    it('serves a part of an object completed from several parts where the store records the parts, else NotImplemented (never a guessed range)', async () => {
      const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'two-parts' }));
      const first = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'two-parts',
          UploadId: upload.UploadId,
          PartNumber: 1,
          Body: patternBytes(5 * MiB),
        }),
      );
      const second = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'two-parts',
          UploadId: upload.UploadId,
          PartNumber: 2,
          Body: patternBytes(10),
        }),
      );
      await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: 'two-parts',
          UploadId: upload.UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: first.ETag },
              { PartNumber: 2, ETag: second.ETag },
            ],
          },
        }),
      );
      if (RECORDS_PARTS.includes(backend)) {
        const part = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'two-parts', PartNumber: 2 }));
        expect([part.$metadata.httpStatusCode, part.ContentRange, part.PartsCount]).toEqual([
          206,
          `bytes ${5 * MiB}-${5 * MiB + 9}/${5 * MiB + 10}`,
          2,
        ]);
        expect(await part.Body?.transformToByteArray()).toEqual(patternBytes(10));
      } else {
        expect(
          await s3Failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'two-parts', PartNumber: 1 }))),
        ).toEqual({
          code: 'NotImplemented',
          status: 501,
        });
      }
      if (g.client.capabilities.multipartEtag) {
        // The part count is known (reported, or the ETag's -2): part 3 does not exist.
        expect(
          await s3Failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'two-parts', PartNumber: 3 }))),
        ).toEqual({
          code: 'InvalidPartNumber',
          status: 416,
        });
      }
    });

    it('answers ACLs as S3 does with ACLs disabled: owner FULL_CONTROL, private accepted, others refused', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'acl', Body: 'x', ACL: 'private' }));
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'acl-owner',
          Body: 'x',
          ACL: 'bucket-owner-full-control',
        }),
      );
      const bucketAcl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
      expect(bucketAcl.Grants).toEqual([
        {
          Grantee: { Type: 'CanonicalUser', ID: 'partcopy', DisplayName: 'partcopy' },
          Permission: 'FULL_CONTROL',
        },
      ]);
      expect(bucketAcl.Owner?.ID).toBe('partcopy');
      const objectAcl = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'acl' }));
      expect(objectAcl.Grants?.map((g) => [g.Grantee?.ID, g.Permission])).toEqual([
        ['partcopy', 'FULL_CONTROL'],
      ]);
      expect(
        await s3Failure(s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'no-such-key' }))),
      ).toEqual({
        code: 'NoSuchKey',
        status: 404,
      });
      await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'acl', ACL: 'private' }));
      await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
      await s3.send(
        new PutObjectAclCommand({
          Bucket: bucket,
          Key: 'acl',
          AccessControlPolicy: { Owner: objectAcl.Owner, Grants: objectAcl.Grants },
        }),
      );
      const refused = { code: 'AccessControlListNotSupported', status: 400 };
      expect(
        await s3Failure(
          s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'public', Body: 'x', ACL: 'public-read' })),
        ),
      ).toEqual(refused);
      expect(
        await s3Failure(s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'acl', ACL: 'public-read' }))),
      ).toEqual(refused);
      expect(
        await s3Failure(
          s3.send(
            new PutObjectAclCommand({
              Bucket: bucket,
              Key: 'acl',
              GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"',
            }),
          ),
        ),
      ).toEqual(refused);
      expect(
        await s3Failure(
          s3.send(
            new CreateMultipartUploadCommand({
              Bucket: bucket,
              Key: 'public-mpu',
              ACL: 'authenticated-read',
            }),
          ),
        ),
      ).toEqual(refused);
      expect(
        await s3Failure(
          s3.send(
            new CopyObjectCommand({
              Bucket: bucket,
              Key: 'public-copy',
              CopySource: `${bucket}/acl`,
              ACL: 'public-read',
            }),
          ),
        ),
      ).toEqual(refused);
      expect(
        await s3Failure(s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }))),
      ).toEqual({
        code: 'InvalidBucketAclWithObjectOwnership',
        status: 400,
      });
      expect(
        await s3Failure(s3.send(new CreateBucketCommand({ Bucket: randomBucket(), ACL: 'public-read' }))),
      ).toEqual({
        code: 'InvalidBucketAclWithObjectOwnership',
        status: 400,
      });
      // Nothing was written by a refused request.
      expect(
        await s3Failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'public' }))),
      ).toMatchObject({ status: 404 });
      expect(
        await s3Failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'public-copy' }))),
      ).toMatchObject({ status: 404 });
    });

    it('answers bucket policies as S3 answers a bucket without one (storing one is NotImplemented) and keeps bucket tags', async () => {
      expect(await s3Failure(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })))).toEqual({
        code: 'NoSuchBucketPolicy',
        status: 404,
      });
      const status = await s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }));
      expect(status.PolicyStatus?.IsPublic).toBe(false);
      const deleted = await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
      expect(deleted.$metadata.httpStatusCode).toBe(204);
      const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
      expect(
        await s3Failure(s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }))),
      ).toEqual({
        code: 'NotImplemented',
        status: 501,
      });
      expect(await s3Failure(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })))).toEqual({
        code: 'NoSuchTagSet',
        status: 404,
      });
      expect(
        (await s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }))).$metadata.httpStatusCode,
      ).toBe(204);
      // Bucket tags are kept in the bucket's gateway configuration document, on every store.
      await s3.send(
        new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }),
      );
      expect((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet).toEqual([
        { Key: 'a', Value: 'b' },
      ]);
      await s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }));
      expect(await s3Failure(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })))).toEqual({
        code: 'NoSuchTagSet',
        status: 404,
      });
      expect(
        await s3Failure(s3.send(new GetBucketPolicyCommand({ Bucket: randomBucket('gw-none-') }))),
      ).toEqual({
        code: 'NoSuchBucket',
        status: 404,
      });
    });

    it('copies tags by x-amz-tagging-directive, independently of the metadata directive', async () => {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'tag-source',
          Body: 'tagged',
          ContentType: 'text/x-source',
          Metadata: { m: 'source' },
          Tagging: 'a=1',
        }),
      );
      const copy = async (
        key: string,
        input: Partial<ConstructorParameters<typeof CopyObjectCommand>[0]>,
      ) => {
        await s3.send(
          new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: `${bucket}/tag-source`, ...input }),
        );
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
        return {
          contentType: head.ContentType,
          metadata: head.Metadata,
          tags: tags.TagSet?.map((t) => `${t.Key}=${t.Value}`),
        };
      };
      // The source's tags as the store reports them: the Azure provider's headObject reports
      // none (it writes blob index tags but does not read them back), so copies carry none.
      const reported = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tag-source' }));
      const tagsRead = (tags: string[]) => (backend === 'azurite' ? [] : tags);
      const sourceTags = reported.TagSet?.map((t) => `${t.Key}=${t.Value}`);
      expect(sourceTags).toEqual(tagsRead(['a=1']));
      expect(await copy('tags-copy-copy', {})).toEqual({
        contentType: 'text/x-source',
        metadata: { m: 'source' },
        tags: sourceTags,
      });
      expect(
        await copy('tags-replace-copy', { MetadataDirective: 'REPLACE', ContentType: 'text/x-new' }),
      ).toEqual({
        contentType: 'text/x-new',
        metadata: {},
        tags: sourceTags,
      });
      expect(await copy('tags-copy-replace', { TaggingDirective: 'REPLACE', Tagging: 'b=2' })).toEqual({
        contentType: 'text/x-source',
        metadata: { m: 'source' },
        tags: tagsRead(['b=2']),
      });
      expect(
        await copy('tags-replace-replace', {
          MetadataDirective: 'REPLACE',
          TaggingDirective: 'REPLACE',
          ContentType: 'text/x-new',
          Tagging: 'c=3',
        }),
      ).toEqual({ contentType: 'text/x-new', metadata: {}, tags: tagsRead(['c=3']) });
      expect(
        await s3Failure(
          s3.send(
            new CopyObjectCommand({
              Bucket: bucket,
              Key: 'tags-bad',
              CopySource: `${bucket}/tag-source`,
              TaggingDirective: 'MERGE' as 'COPY',
            }),
          ),
        ),
      ).toEqual({ code: 'InvalidArgument', status: 400 });
    });

    it('lists a never-versioned bucket\'s objects as "null" latest versions; NotImplemented where the store keeps versions it cannot list', async () => {
      const { versionedSources, versionedBuckets, listObjectVersions } = g.client.capabilities;
      const listing = s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'vers/', MaxKeys: 2 }));
      if ((versionedSources || versionedBuckets) && !listObjectVersions) {
        expect(await s3Failure(listing)).toEqual({ code: 'NotImplemented', status: 501 });
        return;
      }
      await listing;
      for (const key of ['vers/a', 'vers/b', 'vers/c', 'vers/d/e']) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      }
      const first = await s3.send(
        new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'vers/', MaxKeys: 2 }),
      );
      expect(first.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size])).toEqual([
        ['vers/a', 'null', true, 6],
        ['vers/b', 'null', true, 6],
      ]);
      expect([first.IsTruncated, first.NextKeyMarker]).toEqual([true, 'vers/b']);
      const rest = await s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: 'vers/',
          Delimiter: '/',
          KeyMarker: first.NextKeyMarker,
        }),
      );
      expect(rest.Versions?.map((v) => v.Key)).toEqual(['vers/c']);
      expect(rest.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['vers/d/']);
      expect(rest.IsTruncated).toBe(false);
      expect(rest.DeleteMarkers).toBeUndefined();
    });

    it('keeps the tags of x-amz-tagging on CreateMultipartUpload', async () => {
      const upload = await s3.send(
        new CreateMultipartUploadCommand({
          Bucket: bucket,
          Key: 'mpu-tagged',
          Tagging: 'team=media&tier=gold',
        }),
      );
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'mpu-tagged',
          UploadId: upload.UploadId,
          PartNumber: 1,
          Body: 'tagged',
        }),
      );
      await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: 'mpu-tagged',
          UploadId: upload.UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      );
      const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'mpu-tagged' }));
      // The Azure provider does not read blob index tags back (see the tagging-directive test).
      expect(tags.TagSet?.map((t) => `${t.Key}=${t.Value}`)).toEqual(
        backend === 'azurite' ? [] : ['team=media', 'tier=gold'],
      );
    });
  });
}
