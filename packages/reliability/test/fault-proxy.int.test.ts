// The fault injector itself: decisions replay from the seed, each dialect answers in the store's
// format, and Toxiproxy's transport faults reach the client as broken or slow connections.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireServerEnv } from '@partcopy/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAULT_KINDS,
  type FaultKind,
  FaultPlan,
  planFault,
  requestIdentity,
  startFaultProxy,
} from '../src/index.ts';

/** A server that counts requests and answers `ok <n>`. */
function countingServer() {
  let seen = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen++;
      res.end(`ok ${seen}`);
    });
  });
  return { server, seen: () => seen };
}

function get(url: string, path = '/b/k'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'PUT', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end('payload');
  });
}

describe('fault plan', () => {
  it('decides from seed, identity and occurrence only', () => {
    const decisions = (seed: number) => {
      const plan = new FaultPlan({ seed, rate: 0.3 });
      return Array.from({ length: 200 }, (_, i) => plan.decide(`PUT /b/k${i % 50}`).fault ?? '-');
    };
    expect(decisions(7)).toEqual(decisions(7));
    expect(decisions(7)).not.toEqual(decisions(8));
    const injected = decisions(7).filter((d) => d !== '-').length;
    expect(injected).toBeGreaterThan(30);
    expect(injected).toBeLessThan(90);
  });

  it('uses every kind it is given', () => {
    const seen = new Set<FaultKind>();
    for (let i = 0; i < 500; i++) {
      const fault = planFault(1, 1, FAULT_KINDS, `GET /x${i}`, 1);
      if (fault) seen.add(fault);
    }
    expect([...seen].sort()).toEqual([...FAULT_KINDS].sort());
  });

  it('ignores upload ids, block ids and signatures but keeps the part number and the range', () => {
    const a = requestIdentity('PUT', '/b/k?partNumber=2&uploadId=AAAAAAAAAAAAAAAAAAAAAA', {
      'x-amz-copy-source-range': 'bytes=0-9',
    });
    const b = requestIdentity('PUT', '/b/k?partNumber=2&uploadId=BBBBBBBBBBBBBBBBBBBBBBBB', {
      'x-amz-copy-source-range': 'bytes=0-9',
    });
    const c = requestIdentity('PUT', '/b/k?partNumber=3&uploadId=BBBBBBBBBBBBBBBBBBBBBBBB', {
      'x-amz-copy-source-range': 'bytes=0-9',
    });
    const d = requestIdentity('PUT', '/b/.partcopy/uploads/Zx8hQ2vT0pLmN4bK7wR1xx/parts/00001', {});
    const e = requestIdentity('PUT', '/b/.partcopy/uploads/Qq8hQ2vT0pLmN4bK7wR9yy/parts/00001', {});
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(d).toBe(e);
    // Paths keep their shape: the staging folder and the part number stay visible.
    expect(d).toContain('/b/.partcopy/uploads/*/parts/00001');
    const blob = requestIdentity(
      'PUT',
      '/devstoreaccount1/pcf1x0a1b2c3d/.partcopy/uploads/0mx2ccmpy-ab8e073321eed38f23b958cc?comp=block&blockid=QUJDREVGR0hJSktMTU5PUA%3D%3D',
      {},
    );
    expect(blob).toContain('/devstoreaccount1/pcf1x0a1b2c3d/.partcopy/uploads/*?');
    expect(blob).toContain('blockid=*');
  });
});

describe('fault proxy with Toxiproxy', () => {
  const upstream = countingServer();
  let upstreamUrl: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => upstream.server.close(() => resolve())));

  async function withProxy(
    kind: FaultKind,
    dialect: 's3' | 'azure' | 'gcs',
    fn: (url: string) => Promise<void>,
  ) {
    const proxy = await startFaultProxy({
      upstream: upstreamUrl,
      dialect,
      plan: new FaultPlan({ seed: 1, rate: 1, kinds: [kind] }),
      toxiproxyUrl: requireServerEnv('toxiproxy').PARTCOPY_TOXIPROXY_URL,
    });
    try {
      await fn(proxy.url);
      expect(proxy.log.map((entry) => entry.fault)).toContain(kind);
    } finally {
      await proxy.close();
    }
  }

  it.each([
    ['s3', 'throttle', 503, '<Code>SlowDown</Code>'],
    ['s3', 'internal', 500, '<Code>InternalError</Code>'],
    ['azure', 'throttle', 503, '<Code>ServerBusy</Code>'],
    ['gcs', 'throttle', 503, '"code":503'],
    ['gcs', 'plain-500', 500, 'Internal Server Error'],
  ] as const)(
    '%s %s: answers %i in the store’s format without forwarding',
    async (dialect, kind, status, text) => {
      const before = upstream.seen();
      await withProxy(kind, dialect, async (url) => {
        const answer = await get(url);
        expect(answer.status).toBe(status);
        expect(answer.body).toContain(text);
      });
      expect(upstream.seen()).toBe(before);
    },
  );

  it('reset: the client sees a broken connection and the server sees nothing', async () => {
    const before = upstream.seen();
    await withProxy('reset', 's3', async (url) => {
      await expect(get(url)).rejects.toThrow();
    });
    expect(upstream.seen()).toBe(before);
  });

  it('lost answer: the server handled the request, the client sees a broken connection', async () => {
    const before = upstream.seen();
    await withProxy('lost-answer', 's3', async (url) => {
      await expect(get(url)).rejects.toThrow();
    });
    expect(upstream.seen()).toBe(before + 1);
  });

  it.each(['stall', 'slow-body'] as const)('%s: the answer arrives whole', async (kind) => {
    await withProxy(kind, 's3', async (url) => {
      const answer = await get(url);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatch(/^ok \d+$/);
    });
  });
});
