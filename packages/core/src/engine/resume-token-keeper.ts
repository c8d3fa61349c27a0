/**
 * Keeps the resume token of a whole-object copy the store runs in rounds (GCS rewrite) in the
 * copy's session record, written after each round, so another process continues the copy
 * instead of starting it over.
 */
import type { ActiveSession } from './copy-object.js';

export class ResumeTokenKeeper {
  readonly #session: ActiveSession;
  readonly #save: (session: ActiveSession) => Promise<void>;
  #writes: Promise<void> = Promise.resolve();
  #failed: unknown;

  constructor(session: ActiveSession, save: (session: ActiveSession) => Promise<void>) {
    this.#session = session;
    this.#save = save;
  }

  /** The whole-object copy's options: the token to continue from, and the callback for new ones. */
  copyOptions(): { resumeToken?: string; onResumeToken: (token: string) => void } {
    const resumeToken = this.#session.record.resumeToken;
    return {
      ...(resumeToken === undefined ? {} : { resumeToken }),
      onResumeToken: (token) => this.#keep(token),
    };
  }

  // Called synchronously by the provider; the writes are chained so they land in order.
  #keep(token: string): void {
    this.#session.record = { ...this.#session.record, resumeToken: token };
    this.#writes = this.#writes
      .then(() => this.#save(this.#session))
      .catch((error: unknown) => {
        this.#failed ??= error;
      });
  }

  /** Waits for the record writes; the first failed write is thrown (the session is not kept). */
  async settled(): Promise<void> {
    await this.#writes;
    if (this.#failed !== undefined) throw this.#failed;
  }
}
