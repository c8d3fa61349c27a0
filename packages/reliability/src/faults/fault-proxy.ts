/**
 * The fault injector between a client and one server: an HTTP proxy that asks the fault plan
 * about every request and then
 * - answers it itself with the store's error (dialect-errors.ts), reading the request body
 *   first as a server would, or
 * - forwards it through the Toxiproxy proxy that carries the chosen transport fault
 *   (toxiproxy.ts), passing a broken connection on to the client as a broken connection, or
 * - forwards it untouched.
 * The Host header is kept, so request signatures (SigV4) stay valid.
 */
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Dialect, dialectAnswer } from './dialect-errors.ts';
import { type FaultKind, isTransportFault } from './fault-kinds.ts';
import type { FaultPlan } from './fault-plan.ts';
import { requestIdentity } from './request-identity.ts';
import { createToxiproxyRoutes } from './toxiproxy.ts';

export interface FaultProxyOptions {
  /** The server, `http://host:port`. */
  upstream: string;
  dialect: Dialect;
  plan: FaultPlan;
  /** Toxiproxy's API (`PARTCOPY_TOXIPROXY_URL`). */
  toxiproxyUrl: string;
  /**
   * Names that differ from run to run (a bucket with a random suffix) and the stable text that
   * stands for them in request identities, so a run replays from its seed.
   */
  aliases?: Record<string, string>;
}

export interface FaultLogEntry {
  identity: string;
  occurrence: number;
  fault: FaultKind;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give this to the client instead of the server's address. */
  readonly url: string;
  /** Every injected fault, in the order requests arrived. */
  readonly log: FaultLogEntry[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade']);

function withoutHopByHop(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!HOP_BY_HOP.has((raw[i] as string).toLowerCase())) out.push(raw[i] as string, raw[i + 1] as string);
  }
  return out;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const routes = await createToxiproxyRoutes(options.toxiproxyUrl, upstream.host);
  const clean = new Agent({ keepAlive: true });
  // A faulted request gets a connection of its own, so its toxic touches nothing else.
  const faulted = new Agent({ keepAlive: false });
  const log: FaultLogEntry[] = [];

  const server = createServer((req, res) => {
    let identity = requestIdentity(req.method ?? 'GET', req.url ?? '/', req.headers);
    for (const [name, alias] of Object.entries(options.aliases ?? {}))
      identity = identity.replaceAll(name, alias);
    const decision = options.plan.decide(identity);
    const fault = decision.fault;
    if (fault) log.push({ identity: decision.identity, occurrence: decision.occurrence, fault });
    if (fault === undefined) return forward(req, res, upstream.host, clean);
    if (isTransportFault(fault)) return forward(req, res, routes.listen[fault], faulted);
    const answer = dialectAnswer(options.dialect, fault);
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
      res.end(answer.body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clean.destroy();
      faulted.destroy();
      await routes.close();
    },
  };
}

function forward(req: IncomingMessage, res: ServerResponse, target: string, agent: Agent): void {
  const [host, port] = target.split(':') as [string, string];
  const out = request({
    host,
    port: Number(port),
    method: req.method,
    path: req.url,
    headers: withoutHopByHop(req.rawHeaders),
    agent,
  });
  // A connection broken on the server's side is passed on broken: the client sees a reset.
  const breakClient = () => {
    if (res.headersSent) res.destroy();
    else req.socket.destroy();
  };
  out.on('error', breakClient);
  out.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.rawHeaders));
    answer.on('error', breakClient);
    answer.on('aborted', breakClient);
    answer.pipe(res);
  });
  req.on('aborted', () => out.destroy());
  req.pipe(out);
}
