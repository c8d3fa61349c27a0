import { randomBytes, randomUUID } from 'node:crypto';
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { requireServerEnv } from '../src/index.ts';

const blockId = (n: number) => Buffer.from(`block-${String(n).padStart(6, '0')}`).toString('base64');

describe('Azurite', () => {
  const env = requireServerEnv('azurite');
  const credential = new StorageSharedKeyCredential(env.PARTCOPY_AZURITE_ACCOUNT, env.PARTCOPY_AZURITE_KEY);
  const service = new BlobServiceClient(env.PARTCOPY_AZURITE_BLOB_ENDPOINT, credential);

  it('accepts the connection string too', async () => {
    const fromString = BlobServiceClient.fromConnectionString(env.PARTCOPY_AZURITE_CONNECTION_STRING);
    expect(fromString.url.replace(/\/$/, '')).toBe(env.PARTCOPY_AZURITE_BLOB_ENDPOINT);
    await fromString.getProperties();
  });

  it('uploads, downloads a range, stages ranges from a SAS URL and commits them', async () => {
    const container = service.getContainerClient(`smoke-${randomUUID().slice(0, 8)}`);
    await container.create();
    const source = randomBytes(256 * 1024);
    const sourceBlob = container.getBlockBlobClient('source');
    await sourceBlob.upload(source, source.length);

    const ranged = await sourceBlob.downloadToBuffer(1000, 24);
    expect(ranged.equals(source.subarray(1000, 1024))).toBe(true);

    const sas = generateBlobSASQueryParameters(
      {
        containerName: container.containerName,
        blobName: 'source',
        permissions: BlobSASPermissions.parse('r'),
        startsOn: new Date(Date.now() - 60_000),
        expiresOn: new Date(Date.now() + 3600_000),
      },
      credential,
    ).toString();
    const sourceUrl = `${sourceBlob.url}?${sas}`;

    const target = container.getBlockBlobClient('target');
    const ranges: [number, number][] = [
      [100, 1000],
      [5000, 70_000],
    ];
    for (const [i, [offset, count]] of ranges.entries()) {
      await target.stageBlockFromURL(blockId(i), sourceUrl, offset, count);
    }
    await target.commitBlockList(ranges.map((_, i) => blockId(i)));

    const got = await target.downloadToBuffer();
    const want = Buffer.concat(ranges.map(([offset, count]) => source.subarray(offset, offset + count)));
    expect(got.equals(want)).toBe(true);
    const blocks = await target.getBlockList('committed');
    expect(blocks.committedBlocks?.map((b) => b.size)).toEqual(ranges.map(([, count]) => count));
  });
});
