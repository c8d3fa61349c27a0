/**
 * The gateway: an HTTP(S) server that answers the S3 REST API from a PartCopyClient. It keeps no
 * state of its own (uploads, parts and objects live in the store), so instances behind a load
 * balancer serve the same uploads. `close()` stops accepting, lets in-flight requests finish,
 * and aborts what is still running after the grace period.
 */

import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { BucketConfigs } from './bucket-config-cache.js';
import { OBJECT_OWNERSHIPS, type ObjectOwnership } from './bucket-config-document.js';
import { GatewayError } from './gateway-error.js';
import { type GatewayMetrics, MetricsRecorder } from './gateway-metrics.js';
import type { RequestLogEntry, ResolvedGatewayOptions, S3GatewayOptions } from './gateway-options.js';
import { GatewayUsers } from './gateway-users.js';
import { handleRequest } from './request-handler.js';
import { SigV2Verifier } from './sigv2-verifier.js';
import { SigV4Verifier } from './sigv4-verifier.js';
import { plainXmlDocument } from './xml-codec.js';

export interface ListenOptions {
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Address to bind. Default `127.0.0.1`. */
  host?: string;
  /** PEM certificate chain and key: serve HTTPS instead of HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** S3's limit on the request header section (8 KiB); larger headers are refused with its code. */
const MAX_HEADER_BYTES = 8 * 1024;

export class S3Gateway {
  readonly #options: ResolvedGatewayOptions;
  readonly #verifier: SigV4Verifier;
  readonly #verifierV2: SigV2Verifier;
  readonly #metrics = new MetricsRecorder();
  readonly #onRequest: ((entry: RequestLogEntry) => void) | undefined;
  readonly #stop = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #sockets = new Set<Socket>();
  /** The answer being written on each connection, while there is one. */
  readonly #answering = new WeakMap<Socket, ServerResponse>();
  #server: Server | undefined;
  #url: string | undefined;

  constructor(options: S3GatewayOptions) {
    const credentials = options.credentials ?? [];
    const buckets = options.buckets;
    this.#options = {
      client: options.client,
      bucketConfigs: new BucketConfigs(options.client, options.bucketConfigCacheMs),
      anonymous: options.anonymous === true,
      defaultObjectOwnership: checkedOwnership(options.defaultObjectOwnership),
      users: new GatewayUsers(credentials),
      region: options.region ?? 'us-east-1',
      virtualHostSuffixes: options.virtualHostSuffixes ?? [],
      buckets,
      listBuckets: options.listBuckets,
      now: options.now ?? (() => new Date()),
      checkBucket: (bucket) => {
        if (buckets && !buckets.includes(bucket)) {
          throw new GatewayError('NoSuchBucket', 'The specified bucket does not exist', {
            BucketName: bucket,
          });
        }
      },
      checkBucketCreate: (bucket) => {
        if (buckets && !buckets.includes(bucket)) {
          throw new GatewayError(
            'AccessDenied',
            'This gateway serves a fixed set of buckets; it cannot create others.',
          );
        }
      },
    };
    this.#verifier = new SigV4Verifier(credentials, options.maxClockSkewMs);
    this.#verifierV2 = new SigV2Verifier(credentials, options.maxClockSkewMs);
    this.#onRequest = options.onRequest;
  }

  /** The `http://host:port` (or https) the gateway listens on, once listening. */
  get url(): string {
    if (this.#url === undefined) throw new Error('the gateway is not listening');
    return this.#url;
  }

  /** Counters since the gateway was created. */
  metrics(): GatewayMetrics {
    return this.#metrics.snapshot();
  }

  /**
   * The request listener, for embedding the gateway in a server of your own
   * (`http.createServer(gateway.handler)`).
   */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    this.#metrics.started();
    const done = handleRequest(req, res, {
      options: this.#options,
      verifier: this.#verifier,
      verifierV2: this.#verifierV2,
      stopSignal: this.#stop.signal,
      onFinished: (entry) => {
        this.#metrics.finished(entry);
        this.#onRequest?.(entry);
      },
    });
    this.#inFlight.add(done);
    this.#answering.set(req.socket, res);
    void done.finally(() => {
      this.#inFlight.delete(done);
      if (this.#answering.get(req.socket) === res) this.#answering.delete(req.socket);
    });
  };

  /** Starts listening; resolves with the URL. */
  async listen(options: ListenOptions = {}): Promise<string> {
    const serverOptions = { maxHeaderSize: MAX_HEADER_BYTES, requestTimeout: 0 };
    const server = options.tls
      ? createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }, this.handler)
      : createHttpServer(serverOptions, this.handler);
    // Answered by the handler itself once the request is authenticated (request-handler.ts).
    server.on('checkContinue', this.handler);
    // Node answers an Expect other than 100-continue with 417 itself; S3 ignores such a header
    // and serves the request (test_object_create_bad_expect_mismatch of ceph/s3-tests).
    server.on('checkExpectation', this.handler);
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) =>
      answerClientError(error, socket, this.#answering.get(socket)),
    );
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.#url = `${options.tls ? 'https' : 'http'}://${shownHost}:${address.port}`;
    return this.#url;
  }

  /**
   * Stops accepting connections, waits for in-flight requests to finish (at most `graceMs`,
   * default 30 s), then aborts the rest and closes every connection.
   */
  async close(graceMs = 30_000): Promise<void> {
    const server = this.#server;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    server?.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([
      Promise.allSettled([...this.#inFlight]).then(() => 'done' as const),
      grace,
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.#stop.abort(new GatewayError('InternalError', 'The gateway is shutting down.'));
      // A handler still waiting for bytes its client announced and never sent (a half-closed
      // connection) ends only when its connection does: after a short wait, they are closed.
      const settled = await settledWithin([...this.#inFlight], ABORT_WAIT_MS);
      if (!settled) for (const socket of this.#sockets) socket.destroy();
      await Promise.allSettled([...this.#inFlight]);
    }
    // Keep-alive connections that carry no request are closed now.
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}

function checkedOwnership(ownership: ObjectOwnership | undefined): ObjectOwnership {
  if (ownership === undefined) return 'BucketOwnerEnforced';
  if (!OBJECT_OWNERSHIPS.includes(ownership)) {
    throw new TypeError(`defaultObjectOwnership must be one of ${OBJECT_OWNERSHIPS.join(', ')}`);
  }
  return ownership;
}

/** How long aborted requests get to answer before their connections are closed under them. */
const ABORT_WAIT_MS = 1000;

async function settledWithin(promises: Promise<void>[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const outcome = await Promise.race([Promise.allSettled(promises).then(() => true as const), late]);
  clearTimeout(timer);
  return outcome;
}

/** Creates a gateway over a store; call `listen()` to serve it. */
export function createS3Gateway(options: S3GatewayOptions): S3Gateway {
  return new S3Gateway(options);
}

// Errors Node's HTTP parser finds before a request exists: oversized headers get S3's answer.
// Bytes after a body shorter than its Content-Length said are no request either: the request
// being answered keeps its own answer (S3's BadDigest, say), then the connection closes.
function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  answering: ServerResponse | undefined,
): void {
  if (answering !== undefined && !answering.writableFinished) {
    answering.shouldKeepAlive = false;
    answering.once('close', () => socket.destroy());
    return;
  }
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const answer = tooLarge
    ? {
        code: 'RequestHeaderSectionTooLarge',
        status: 400,
        message: 'Your request header section exceeds the maximum allowed size.',
        details: { MaxSizeAllowed: String(MAX_HEADER_BYTES) },
      }
    : { code: 'BadRequest', status: 400, message: 'The request could not be parsed.', details: {} };
  const id = 'CLIENTERROR';
  const body = plainXmlDocument('Error', {
    Code: answer.code,
    Message: answer.message,
    ...answer.details,
    RequestId: id,
  });
  socket.end(
    `HTTP/1.1 ${answer.status} Bad Request\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\nx-amz-request-id: ${id}\r\n\r\n${body}`,
  );
}
