import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Asks the kernel for `count` distinct free loopback ports. All listeners stay open until every
 * port is known, so the same port is never handed out twice within one call.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const s = createServer();
      servers.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => resolve());
      });
      ports.push((s.address() as AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

export interface ProbeOptions {
  /** PEM file to trust for https URLs. */
  caFile?: string;
  timeoutMs?: number;
}

/** One GET; resolves to the HTTP status, or null when nothing answered. */
export function probe(url: string, options: ProbeOptions = {}): Promise<number | null> {
  return new Promise((resolve) => {
    const timeout = options.timeoutMs ?? 2000;
    const onResponse = (res: http.IncomingMessage) => {
      res.resume();
      resolve(res.statusCode ?? null);
    };
    let u: URL;
    let ca: Buffer | undefined;
    try {
      u = new URL(url);
      ca = options.caFile ? readFileSync(options.caFile) : undefined;
    } catch {
      resolve(null);
      return;
    }
    const req =
      u.protocol === 'https:'
        ? https.get(u, { timeout, ca, agent: false }, onResponse)
        : http.get(u, { timeout, agent: false }, onResponse);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(null));
  });
}

/** Polls `url` until `ok(status)` holds, or gives up after `timeoutMs`; returns the last status. */
export async function waitForHttp(
  url: string,
  ok: (status: number) => boolean,
  options: ProbeOptions & { totalMs: number; isDead?: () => boolean },
): Promise<{ ready: boolean; lastStatus: number | null; died: boolean }> {
  const deadline = Date.now() + options.totalMs;
  let lastStatus: number | null = null;
  while (Date.now() < deadline) {
    if (options.isDead?.()) return { ready: false, lastStatus, died: true };
    lastStatus = await probe(url, options);
    if (lastStatus !== null && ok(lastStatus)) return { ready: true, lastStatus, died: false };
    await sleep(150);
  }
  return { ready: false, lastStatus, died: false };
}

/** One PING over a fresh connection: true when a Redis server answers +PONG. */
export function pingRedis(port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) finish(answer.startsWith('+PONG'));
    });
  });
}

/** Polls `check` until it holds or `totalMs` passed (for servers that do not speak HTTP). */
export async function waitFor(
  check: () => Promise<boolean>,
  options: { totalMs: number; isDead?: () => boolean },
): Promise<{ ready: boolean; lastStatus: number | null; died: boolean }> {
  const deadline = Date.now() + options.totalMs;
  while (Date.now() < deadline) {
    if (options.isDead?.()) return { ready: false, lastStatus: null, died: true };
    if (await check()) return { ready: true, lastStatus: null, died: false };
    await sleep(150);
  }
  return { ready: false, lastStatus: null, died: false };
}
