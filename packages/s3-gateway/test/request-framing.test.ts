/**
 * Requests whose framing is wrong: a body longer than its Content-Length. The request keeps its
 * own answer; what follows the declared body is no request and closes the connection.
 */
import { connect } from 'node:net';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './support/gateway-harness.js';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Writes raw bytes on one connection and reads everything until the gateway closes it. */
function exchange(url: string, bytes: string): Promise<string> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('a body longer than its Content-Length', () => {
  it("answers the request itself (BadDigest for a checksum of the whole body), not a parser's 400", async () => {
    running = await startGateway('memory', { anonymous: true });
    await running.s3.send(new CreateBucketCommand({ Bucket: 'framing' }));
    // CRC32 of "bar"; only "ba" is the declared body, "r" follows it.
    const answer = await exchange(
      running.url,
      'PUT /framing/foo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nx-amz-checksum-crc32: dv+Mqg==\r\n\r\nbar',
    );
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer).toContain('<Code>BadDigest</Code>');
    expect(answer).not.toContain('CLIENTERROR');
  });
});
