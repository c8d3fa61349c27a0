/**
 * The few calls of Toxiproxy's HTTP API the fault proxy needs: one proxy per transport fault,
 * every one in front of the same server and carrying its toxic on every connection (toxicity 1),
 * so the fault plan, not Toxiproxy's own randomness, decides which request suffers it.
 * https://github.com/Shopify/toxiproxy#http-api
 */
import { randomBytes } from 'node:crypto';
import type { TransportFault } from './fault-kinds.ts';

interface Toxic {
  type: string;
  stream: 'upstream' | 'downstream';
  attributes: Record<string, number>;
}

/** How each transport fault is made of Toxiproxy toxics. */
const TOXICS: Record<TransportFault, Toxic[]> = {
  // The server side of the connection is reset at once: nothing is forwarded.
  reset: [{ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } }],
  // The request goes through; the answer is cut after its first byte (the server has answered).
  'lost-answer': [{ type: 'limit_data', stream: 'downstream', attributes: { bytes: 1 } }],
  stall: [{ type: 'latency', stream: 'downstream', attributes: { latency: 300, jitter: 0 } }],
  'slow-body': [
    {
      type: 'slicer',
      stream: 'downstream',
      attributes: { average_size: 256, size_variation: 64, delay: 200 },
    },
  ],
};

export interface ToxiproxyRoutes {
  /** `host:port` to connect to for each transport fault. */
  listen: Record<TransportFault, string>;
  close(): Promise<void>;
}

async function api(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
    throw new Error(`toxiproxy ${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return response.status === 204 ? undefined : response.json().catch(() => undefined);
}

/** Creates one Toxiproxy proxy per transport fault in front of `upstream` (`host:port`). */
export async function createToxiproxyRoutes(base: string, upstream: string): Promise<ToxiproxyRoutes> {
  const tag = randomBytes(4).toString('hex');
  const names: string[] = [];
  const listen = {} as Record<TransportFault, string>;
  try {
    for (const [fault, toxics] of Object.entries(TOXICS) as [TransportFault, Toxic[]][]) {
      const name = `partcopy-${fault}-${tag}`;
      const proxy = (await api(base, 'POST', '/proxies', {
        name,
        listen: '127.0.0.1:0',
        upstream,
        enabled: true,
      })) as { listen: string };
      names.push(name);
      for (const [index, toxic] of toxics.entries()) {
        await api(base, 'POST', `/proxies/${name}/toxics`, {
          name: `${fault}-${index}`,
          toxicity: 1,
          ...toxic,
        });
      }
      listen[fault] = proxy.listen;
    }
  } catch (error) {
    await Promise.all(names.map((name) => api(base, 'DELETE', `/proxies/${name}`).catch(() => undefined)));
    throw error;
  }
  return {
    listen,
    async close() {
      await Promise.all(names.map((name) => api(base, 'DELETE', `/proxies/${name}`).catch(() => undefined)));
    },
  };
}
