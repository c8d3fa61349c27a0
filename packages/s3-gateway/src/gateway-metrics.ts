/** Counters of a gateway's work, without secrets: what `S3Gateway.metrics()` returns. */

export interface GatewayMetrics {
  /** Requests answered, by S3 operation (`PutObject`, `UploadPartCopy`...; `Unknown` when unrouted). */
  requests: Record<string, number>;
  /** Answers by status code. */
  statuses: Record<string, number>;
  /** Error answers by S3 error code. */
  errors: Record<string, number>;
  /** Requests being served right now. */
  inFlight: number;
  /** Payload bytes received (PUT and UploadPart bodies, XML requests). */
  bytesIn: number;
  /** Payload bytes sent (GET bodies, XML answers). */
  bytesOut: number;
  /** Requests whose client went away before the answer was complete. */
  clientAborts: number;
}

export class MetricsRecorder {
  readonly #metrics: GatewayMetrics = {
    requests: {},
    statuses: {},
    errors: {},
    inFlight: 0,
    bytesIn: 0,
    bytesOut: 0,
    clientAborts: 0,
  };

  started(): void {
    this.#metrics.inFlight += 1;
  }

  finished(entry: {
    operation: string;
    status: number;
    errorCode?: string | undefined;
    bytesIn: number;
    bytesOut: number;
    clientAborted: boolean;
  }): void {
    const m = this.#metrics;
    m.inFlight -= 1;
    m.requests[entry.operation] = (m.requests[entry.operation] ?? 0) + 1;
    m.statuses[String(entry.status)] = (m.statuses[String(entry.status)] ?? 0) + 1;
    if (entry.errorCode) m.errors[entry.errorCode] = (m.errors[entry.errorCode] ?? 0) + 1;
    m.bytesIn += entry.bytesIn;
    m.bytesOut += entry.bytesOut;
    if (entry.clientAborted) m.clientAborts += 1;
  }

  snapshot(): GatewayMetrics {
    const m = this.#metrics;
    return { ...m, requests: { ...m.requests }, statuses: { ...m.statuses }, errors: { ...m.errors } };
  }
}
