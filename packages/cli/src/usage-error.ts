/**
 * A mistake on the command line (exit code 2). The message says what was wrong; `command` names
 * the command whose `--help` explains the right form.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** Turns `node:util` parseArgs' errors (unknown option, missing value) into a {@link UsageError}. */
export function asUsageError(error: unknown, command?: string): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    return new UsageError((error as Error).message, command);
  }
  return error;
}
