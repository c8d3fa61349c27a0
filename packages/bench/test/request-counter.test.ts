import { describe, expect, it } from 'vitest';
import { RequestCounter } from '../src/request-counter.ts';

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;

function count(chunks: (string | Buffer)[]): number {
  const counter = new RequestCounter();
  for (const c of chunks) counter.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : c);
  return counter.requests;
}

describe('RequestCounter', () => {
  it('counts requests without bodies and with Content-Length bodies on one connection', () => {
    const body = 'x'.repeat(1000);
    const stream = [
      head(['GET /b/k HTTP/1.1', 'Host: h']),
      head(['PUT /b/k HTTP/1.1', 'Host: h', `Content-Length: ${body.length}`]) + body,
      head(['HEAD /b/k HTTP/1.1', 'Host: h']),
    ].join('');
    expect(count([stream])).toBe(3);
  });

  it('does not take a body that looks like a request head for one', () => {
    const body = head(['GET /fake HTTP/1.1', 'Host: h']);
    const stream = head(['POST /b HTTP/1.1', `content-length: ${body.length}`]) + body;
    expect(count([stream])).toBe(1);
  });

  it('follows chunked bodies with extensions and trailers', () => {
    const stream =
      head(['PUT /b/k HTTP/1.1', 'Transfer-Encoding: chunked']) +
      '5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32: AAAA\r\n\r\n' +
      head(['GET /b/k HTTP/1.1']);
    expect(count([stream])).toBe(2);
  });

  it('gives the same count whatever the chunk boundaries', () => {
    const body = 'y'.repeat(300);
    const stream =
      head(['PUT /a HTTP/1.1', `Content-Length: ${body.length}`]) +
      body +
      head(['PUT /b HTTP/1.1', 'Transfer-Encoding: chunked']) +
      '3\r\nabc\r\n0\r\n\r\n' +
      head(['DELETE /c HTTP/1.1']);
    const bytes = Buffer.from(stream, 'latin1');
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(count(chunks), `chunks of ${size}`).toBe(3);
    }
  });
});
