/**
 * A native compose as a session, where the provider keeps what it staged under a key
 * (`capabilities.resumableNativeCompose`: Azure's uncommitted blocks, whose ids derive from the
 * session's key; GCS staging objects and composites in a folder named from it), and can discard it
 * when the session is aborted (`Provider.discardComposeProgress`). The record says what was intended (destination, pinned pieces); the store says what
 * is done (the provider lists the staged blocks on the next call and stages only the missing ones,
 * then commits with the destination's conditions). A source changed since the session began ends
 * it; an interrupt keeps it. Where the native compose is one atomic call in the store (fs, memory),
 * there is nothing to resume and no session is kept.
 */
import type { PartCopyClient } from '../client/part-copy-client.js';
import type { ComposeObjectResult as NativeResult } from '../contract/provider-contract.js';
import {
  type ComposeSessionRecord,
  checkSamePins,
  newComposeRecord,
  parseComposeRecord,
} from './compose-session.js';
import type { ComposeObjectRequest, PinnedPiece } from './compose-types.js';
import { leavesSession } from './copy-object.js';
import { sessionText } from './session-record.js';

export interface NativeSessionOutcome {
  composed: NativeResult;
  session?: { id: string; resumed: boolean; partsReused: number };
}

/** Does this compose keep a session for its native strategy? */
export function keepsNativeSession(client: PartCopyClient, request: ComposeObjectRequest): boolean {
  return (
    request.session !== undefined &&
    client.capabilitiesFor(request.destination.bucket).resumableNativeCompose === true
  );
}

/**
 * Runs `compose(resumeKey)` under the session `sessionId`: records the compose first (or, when a
 * record exists, checks the pieces still have the ETags it pinned), removes the record once the
 * compose published or failed for good, and keeps it when the run was interrupted.
 */
export async function runNativeSession(
  request: ComposeObjectRequest,
  sessionId: string,
  pieces: readonly PinnedPiece[],
  totalSize: number,
  compose: (resumeKey: string) => Promise<NativeResult>,
): Promise<NativeSessionOutcome> {
  const options = request.session as NonNullable<ComposeObjectRequest['session']>;
  const { store } = options;
  const lock = await store.lock(sessionId);
  try {
    const text = await store.read(sessionId);
    const resumed = text !== undefined;
    let record: ComposeSessionRecord;
    if (text !== undefined) {
      record = parseComposeRecord(sessionId, text);
      try {
        checkSamePins(record, pieces);
      } catch (error) {
        // What was staged from the old bytes is never committed: the next commit of the key or the
        // store's expiry discards it.
        await store.remove(sessionId);
        throw error;
      }
    } else {
      record = newComposeRecord(
        request.client,
        sessionId,
        options.storeLabel,
        request.destination,
        pieces,
        { partsCount: 0, totalSize },
        { strategy: 'native', settings: request.settings },
      );
      await store.write(sessionId, sessionText(record));
    }
    let composed: NativeResult;
    try {
      composed = await compose(nativeResumeKey(record));
    } catch (error) {
      if (!leavesSession(error)) await store.remove(sessionId);
      throw error;
    }
    await store.remove(sessionId);
    return { composed, session: { id: sessionId, resumed, partsReused: composed.stagedReused ?? 0 } };
  } finally {
    await lock.release();
  }
}

/**
 * The key a native compose session stages under: the session id plus the record's birth, so a
 * session that ended (a source changed) and began again under the same id never reuses what the old
 * one staged from other bytes. `abortSession` discards what was staged under it.
 */
export function nativeResumeKey(record: ComposeSessionRecord): string {
  return `${record.id}.${Date.parse(record.createdAt).toString(36)}`;
}
