/**
 * Non-ASCII header values (user metadata) as clients sign and send them: the text is signed, the
 * bytes travel as UTF-8 (botocore, the AWS CLI). The gateway reads them back as that text, so the
 * signature matches; the stored value is the bytes as sent.
 */

import { connect } from 'node:net';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import { Sha256Hash } from '../src/sha256-hash.js';
import { ACCESS_KEY, type RunningGateway, SECRET_KEY, startGateway } from './support/gateway-harness.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('non-ASCII header values', () => {
  it('verifies a signature over UTF-8 metadata sent as UTF-8 bytes', async () => {
    running = await startGateway('memory');
    await running.s3.send(new CreateBucketCommand({ Bucket: 'uni' }));
    const target = new URL(running.url);
    const signer = new SignatureV4({
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
      region: 'us-east-1',
      service: 's3',
      sha256: Sha256Hash,
      uriEscapePath: false,
    });
    const signed = await signer.sign({
      method: 'PUT',
      protocol: 'http:',
      hostname: target.hostname,
      port: Number(target.port),
      path: '/uni/foo',
      query: {},
      headers: {
        host: target.host,
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        'x-amz-meta-meta1': 'Hello World\u00e9',
      },
    });
    // The metadata's UTF-8 bytes on the wire (as botocore sends them), written on a raw socket.
    const lines = Object.entries(signed.headers as Record<string, string>).map(([n, v]) => `${n}: ${v}\r\n`);
    const request = Buffer.concat([
      Buffer.from(
        `PUT /uni/foo HTTP/1.1\r\n${lines.join('')}content-length: 3\r\nconnection: close\r\n\r\nbar`,
        'utf8',
      ),
    ]);
    const answer = await exchange(running.url, request);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    const head = await running.s3.send(new HeadObjectCommand({ Bucket: 'uni', Key: 'foo' }));
    expect(head.Metadata?.meta1).toBeDefined();
  });
});

function exchange(url: string, bytes: Buffer): Promise<string> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}
