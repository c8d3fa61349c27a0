// Counts HTTP/1.1 requests in a client's byte stream as it passes, without buffering bodies:
// request heads are parsed, bodies (Content-Length or chunked) are skipped by length.

type State =
  | { kind: 'head' }
  | { kind: 'body'; left: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; left: number }
  | { kind: 'chunk-end' }
  | { kind: 'trailers' };

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

export class RequestCounter {
  requests = 0;
  #state: State = { kind: 'head' };
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    let data = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = Buffer.alloc(0);
    while (data.length > 0) {
      const rest = this.#step(data);
      if (rest === null) {
        this.#pending = data; // an incomplete line or head: wait for more bytes
        return;
      }
      data = rest;
    }
  }

  /** Consumes what it can from `data`; returns the rest, or null when it needs more bytes. */
  #step(data: Buffer): Buffer | null {
    const s = this.#state;
    switch (s.kind) {
      case 'head': {
        const end = data.indexOf(HEAD_END);
        if (end < 0) return null;
        this.requests++;
        this.#state = bodyState(data.subarray(0, end).toString('latin1'));
        return data.subarray(end + HEAD_END.length);
      }
      case 'body':
      case 'chunk-data': {
        const take = Math.min(s.left, data.length);
        const left = s.left - take;
        if (left > 0) this.#state = { kind: s.kind, left };
        else this.#state = s.kind === 'body' ? { kind: 'head' } : { kind: 'chunk-end' };
        return data.subarray(take);
      }
      case 'chunk-end': {
        // The CRLF after a chunk's data.
        if (data.length < 2) return null;
        this.#state = { kind: 'chunk-size' };
        return data.subarray(2);
      }
      case 'chunk-size': {
        const end = data.indexOf(CRLF);
        if (end < 0) return null;
        const size = Number.parseInt(data.subarray(0, end).toString('latin1').split(';')[0] ?? '', 16);
        this.#state = size > 0 ? { kind: 'chunk-data', left: size } : { kind: 'trailers' };
        return data.subarray(end + CRLF.length);
      }
      case 'trailers': {
        const end = data.indexOf(CRLF);
        if (end < 0) return null;
        // An empty line ends the message; any other line is a trailer field.
        if (end === 0) this.#state = { kind: 'head' };
        return data.subarray(end + CRLF.length);
      }
    }
  }
}

function bodyState(head: string): State {
  const lines = head.split('\r\n').slice(1);
  const field = (name: string) =>
    lines
      .find((l) => l.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  if (/chunked/i.test(field('transfer-encoding') ?? '')) return { kind: 'chunk-size' };
  const length = Number(field('content-length') ?? 0);
  return length > 0 ? { kind: 'body', left: length } : { kind: 'head' };
}
