import { didYouMean } from './did-you-mean.js';

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

/**
 * Turns `node:util` parseArgs' errors into a {@link UsageError} in the CLI's own words: Node's
 * text ("Unknown option '--x'. To specify a positional argument starting with a '-', place it
 * ...") is long, quotes unevenly and suggests nothing. `known` are the option names (without
 * `--`) the command accepts, for the did-you-mean.
 */
export function asUsageError(error: unknown, command?: string, known: readonly string[] = []): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return error;
  const message = (error as Error).message;
  const option = /'(-{1,2}[^'\s<]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const bare = option.replace(/^-+/, '').replace(/=.*$/, '');
    const hint = didYouMean(bare, known, (name) => `--${name}`);
    return new UsageError(`unknown option ${option}${hint}`, command);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const needsValue = /argument missing/.test(message);
    return new UsageError(needsValue ? `${option} needs a value` : `${option} takes no value`, command);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UsageError('unexpected argument', command);
  return new UsageError(message, command);
}
