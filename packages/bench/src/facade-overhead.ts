// What the facade costs per call: PartCopyClient.uploadPartCopy over @partcopy/s3 against the
// raw @aws-sdk/client-s3 UploadPartCopyCommand, same S3Client, same upload, same 1 MiB source,
// calls alternated raw, facade, raw, facade ... Both go through the counting proxy so any extra
// request the facade makes shows up.
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { PartCopyClient } from '@partcopy/core';
import { createS3Provider } from '@partcopy/s3';
import { startCountingProxy } from './counting-proxy.ts';
import type { S3Target } from './stores.ts';

export interface FacadeOverhead {
  calls: number;
  rawMs: number[];
  facadeMs: number[];
  /** Per pair: facade minus the raw call just before it. */
  differenceMs: number[];
  rawRequestsPerCall: number;
  facadeRequestsPerCall: number;
}

const WARM_UP = 3;

export async function facadeOverhead(
  minio: S3Target,
  bucket: string,
  calls: number,
): Promise<FacadeOverhead> {
  const proxy = await startCountingProxy(new URL(minio.endpoint));
  const s3 = new S3Client({
    endpoint: proxy.url(),
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey },
  });
  const provider = createS3Provider({ client: s3 });
  const client = new PartCopyClient(provider);
  const key = 'facade-overhead/copy.bin';
  const source = 'facade-overhead/source.bin';
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: source, Body: Buffer.alloc(2 ** 20, 7) }));
  const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const uploadId = upload.UploadId as string;
  let partNumber = 0;
  const raw = async () => {
    const started = performance.now();
    await s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: ++partNumber,
        CopySource: `${bucket}/${source}`,
      }),
    );
    return performance.now() - started;
  };
  const facade = async () => {
    const started = performance.now();
    await client.uploadPartCopy({
      bucket,
      key,
      uploadId,
      partNumber: ++partNumber,
      copySource: { bucket, key: source },
    });
    return performance.now() - started;
  };
  const out: FacadeOverhead = {
    calls,
    rawMs: [],
    facadeMs: [],
    differenceMs: [],
    rawRequestsPerCall: 0,
    facadeRequestsPerCall: 0,
  };
  try {
    for (let i = 0; i < WARM_UP; i++) {
      await raw();
      await facade();
    }
    let rawRequests = 0;
    let facadeRequests = 0;
    for (let i = 0; i < calls; i++) {
      proxy.reset();
      const r = await raw();
      rawRequests += proxy.counts().requests;
      proxy.reset();
      const f = await facade();
      facadeRequests += proxy.counts().requests;
      out.rawMs.push(r);
      out.facadeMs.push(f);
      out.differenceMs.push(f - r);
    }
    out.rawRequestsPerCall = rawRequests / calls;
    out.facadeRequestsPerCall = facadeRequests / calls;
  } finally {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    await provider.close();
    await proxy.close();
  }
  return out;
}
