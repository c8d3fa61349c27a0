// What the facade costs per call: PartCopyClient.uploadPartCopy over @partcopy/s3 against the
// raw @aws-sdk/client-s3 UploadPartCopyCommand, same S3Client, same upload, same 1 MiB source,
// calls alternated raw, facade, raw, facade ... Both go through the counting proxy so any extra
// request the facade makes shows up. Two shapes: with a source range (what `cp` sends) and the
// whole source without one.
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { PartCopyClient } from '@partcopy/core';
import { createS3Provider } from '@partcopy/s3';
import { type CountingProxy, startCountingProxy } from './counting-proxy.ts';
import type { S3Target } from './stores.ts';

export interface FacadeMode {
  rawMs: number[];
  facadeMs: number[];
  /** Per pair: facade minus the raw call just before it. */
  differenceMs: number[];
  rawRequestsPerCall: number;
  facadeRequestsPerCall: number;
}

export interface FacadeOverhead {
  calls: number;
  ranged: FacadeMode;
  whole: FacadeMode;
}

const WARM_UP = 3;
const SOURCE_SIZE = 2 ** 20;

type Timed = () => Promise<number>;

async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

async function alternate(
  proxy: CountingProxy,
  raw: Timed,
  facade: Timed,
  calls: number,
): Promise<FacadeMode> {
  for (let i = 0; i < WARM_UP; i++) {
    await raw();
    await facade();
  }
  const mode: FacadeMode = {
    rawMs: [],
    facadeMs: [],
    differenceMs: [],
    rawRequestsPerCall: 0,
    facadeRequestsPerCall: 0,
  };
  let rawRequests = 0;
  let facadeRequests = 0;
  for (let i = 0; i < calls; i++) {
    proxy.reset();
    const r = await raw();
    rawRequests += proxy.counts().requests;
    proxy.reset();
    const f = await facade();
    facadeRequests += proxy.counts().requests;
    mode.rawMs.push(r);
    mode.facadeMs.push(f);
    mode.differenceMs.push(f - r);
  }
  mode.rawRequestsPerCall = rawRequests / calls;
  mode.facadeRequestsPerCall = facadeRequests / calls;
  return mode;
}

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
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: source, Body: Buffer.alloc(SOURCE_SIZE, 7) }));
  const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const uploadId = upload.UploadId as string;
  let partNumber = 0;
  const range = `bytes=0-${SOURCE_SIZE - 1}`;
  const raw = (ranged: boolean) => () =>
    timed(() =>
      s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: ++partNumber,
          CopySource: `${bucket}/${source}`,
          ...(ranged ? { CopySourceRange: range } : {}),
        }),
      ),
    );
  const facade = (ranged: boolean) => () =>
    timed(() =>
      client.uploadPartCopy({
        bucket,
        key,
        uploadId,
        partNumber: ++partNumber,
        copySource: { bucket, key: source },
        ...(ranged ? { copySourceRange: range } : {}),
      }),
    );
  try {
    const ranged = await alternate(proxy, raw(true), facade(true), calls);
    const whole = await alternate(proxy, raw(false), facade(false), calls);
    return { calls, ranged, whole };
  } finally {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    await provider.close();
    await proxy.close();
  }
}
