/**
 * The faults the matrix injects. Store-dialect answers are written by the fault proxy itself
 * (fault-proxy.ts, dialect-errors.ts); transport faults are carried out by Toxiproxy
 * (toxiproxy.ts), each on its own proxy so that only the request routed there suffers it.
 */
export type FaultKind =
  /** The store's throttling answer: S3 SlowDown 503, Azure ServerBusy 503, GCS 503 JSON. */
  | 'throttle'
  /** The store's internal error answer: S3/Azure InternalError 500, GCS 500 backendError. */
  | 'internal'
  /** A plain-text 500 without the store's error format (a load balancer's answer). */
  | 'plain-500'
  /** The connection is reset before the request reaches the server. */
  | 'reset'
  /** The server answers, then the connection is reset before the answer arrives (a lost answer). */
  | 'lost-answer'
  /** The answer is held back for a while, then arrives whole. */
  | 'stall'
  /** The answer arrives in small slices with pauses between them. */
  | 'slow-body';

export const FAULT_KINDS: readonly FaultKind[] = [
  'throttle',
  'internal',
  'plain-500',
  'reset',
  'lost-answer',
  'stall',
  'slow-body',
];

/** The faults Toxiproxy carries out. */
export const TRANSPORT_FAULTS = ['reset', 'lost-answer', 'stall', 'slow-body'] as const;
export type TransportFault = (typeof TRANSPORT_FAULTS)[number];

export function isTransportFault(kind: FaultKind): kind is TransportFault {
  return (TRANSPORT_FAULTS as readonly string[]).includes(kind);
}
