/**
 * The typed error of every session problem (any kind): a {@link PartCopyError} with the session
 * id and the precise problem, each message saying what to do.
 */
import { PartCopyError } from '../errors/part-copy-error.js';

/** Why a session cannot be used as it is; each says what to do in the error message. */
export type CopySessionProblem =
  | 'not-found'
  | 'corrupt'
  | 'format-version'
  | 'other-store'
  | 'other-copy'
  | 'other-kind'
  | 'source-changed'
  | 'locked'
  | 'upload-gone';

/**
 * A session that cannot be resumed as it is. A {@link PartCopyError} (so `isInstance` and the
 * code work as for any failure) with the session id and the precise problem.
 */
export class CopySessionError extends PartCopyError {
  readonly sessionId: string;
  readonly problem: CopySessionProblem;

  constructor(
    problem: CopySessionProblem,
    sessionId: string,
    message: string,
    options: ConstructorParameters<typeof PartCopyError>[2] = {},
  ) {
    super(codeOf(problem), message, { retryable: false, ...options });
    this.sessionId = sessionId;
    this.problem = problem;
  }

  /** Is `error` a session error (with this problem, when given)? */
  static isSessionError(error: unknown, problem?: CopySessionProblem): error is CopySessionError {
    if (!PartCopyError.isInstance(error)) return false;
    const found = (error as Partial<CopySessionError>).problem;
    return found !== undefined && (problem === undefined || found === problem);
  }
}

function codeOf(problem: CopySessionProblem) {
  switch (problem) {
    case 'source-changed':
      return 'PreconditionFailed' as const;
    case 'locked':
      return 'ConditionalRequestConflict' as const;
    case 'upload-gone':
      return 'NoSuchUpload' as const;
    default:
      return 'InvalidArgument' as const;
  }
}
