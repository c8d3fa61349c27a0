import type { PartCopyClient } from '@partcopy/core';
import type { CliIo } from './cli-io.js';
import type { ProgressSink } from './progress-bar.js';
import type { StoreSet } from './stores.js';
import { UsageError } from './usage-error.js';

/** One option of a command: what `node:util` parseArgs needs plus what `--help` shows. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** May be given more than once (values collected in order). */
  multiple?: boolean;
  /** Placeholder shown in help (`SIZE`, `ETAG`). */
  value?: string;
  description: string;
  /** Shown in help; the command enforces it (parseArgs cannot). */
  required?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** What a command hands back: the result for `--json`, and lines for people (default: the result as `name: value` lines). */
export interface CommandOutcome {
  /** The operation's result, S3-shaped camelCase. Absent when the command wrote its output itself (`get URL -`). */
  result?: unknown;
  human?: string[];
}

/** A command: its help text, its options and what it runs. */
export interface CommandSpec {
  /** `cp`, or `uploads list` for a subcommand. */
  name: string;
  summary: string;
  /** After `partcopy <name> `: `SRC DST [options]`. */
  usage: string;
  description?: string[];
  positionals: { min: number; max: number };
  options: OptionSpecs;
  examples?: string[];
  run(ctx: CommandContext): Promise<CommandOutcome>;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** What a running command gets: its parsed arguments, the stores, output settings and the interrupt signal. */
export class CommandContext {
  readonly command: string;
  readonly values: OptionValues;
  readonly positionals: string[];
  readonly io: CliIo;
  readonly stores: StoreSet;
  readonly signal: AbortSignal;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly #progress: (label: string, total?: number) => ProgressSink;

  constructor(init: {
    command: string;
    values: OptionValues;
    positionals: string[];
    io: CliIo;
    stores: StoreSet;
    signal: AbortSignal;
    progress: (label: string, total?: number) => ProgressSink;
  }) {
    this.command = init.command;
    this.values = init.values;
    this.positionals = init.positionals;
    this.io = init.io;
    this.stores = init.stores;
    this.signal = init.signal;
    this.json = init.values.json === true;
    this.quiet = init.values.quiet === true;
    this.#progress = init.progress;
  }

  /** A progress bar on stderr when it is a terminal and output is for people; otherwise a no-op. */
  progress(label: string, total?: number): ProgressSink {
    return this.#progress(label, total);
  }

  /** A note on stderr (not with `--quiet`; as `{"warning": ...}` with `--json`). */
  warn(message: string): void {
    if (this.quiet) return;
    this.io.stderr.write(
      this.json ? `${JSON.stringify({ warning: message })}\n` : `partcopy: warning: ${message}\n`,
    );
  }

  /** A string option, or undefined. For `multiple` options, the last value. */
  string(name: string): string | undefined {
    const value = this.values[name];
    if (Array.isArray(value)) return value.at(-1);
    return typeof value === 'string' ? value : undefined;
  }

  /** A string option the command cannot do without. */
  required(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw new UsageError(`--${name} is required`, this.command);
    return value;
  }

  /** Every value of a `multiple` option, or undefined when none was given. */
  list(name: string): string[] | undefined {
    const value = this.values[name];
    if (Array.isArray(value)) return value.length > 0 ? value : undefined;
    return typeof value === 'string' ? [value] : undefined;
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** The positional argument at `index` (the command's positional count was checked before). */
  positional(index: number): string {
    return this.positionals[index] as string;
  }

  /** The client of the store named by `--store` (default `$PARTCOPY_STORE`, else `file`). */
  storeClient(): Promise<PartCopyClient> {
    const scheme = this.string('store') ?? this.io.env.PARTCOPY_STORE ?? 'file';
    return this.stores.client(scheme.replace(/:\/\/$/, ''));
  }
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: OptionSpecs = {
  json: {
    type: 'boolean',
    description: 'print the result as one JSON object on stdout (errors as JSON on stderr)',
  },
  quiet: { type: 'boolean', short: 'q', description: 'print nothing but errors (no progress, no summary)' },
  'data-dir': {
    type: 'string',
    value: 'DIR',
    description: 'folder holding file:// buckets (default $PARTCOPY_FS_ROOT, else ./.partcopy-data)',
  },
  verbose: { type: 'boolean', description: 'log every store request, response and retry on stderr' },
  debug: {
    type: 'boolean',
    description:
      'log every request, response and error with all its details, and where each store points (no secrets)',
  },
  'endpoint-url': {
    type: 'string',
    value: 'URL',
    description: 'the store endpoint (S3-compatible server, Azure blob endpoint, GCS API endpoint)',
  },
  region: { type: 'string', value: 'REGION', description: 'the AWS region (s3://)' },
  profile: {
    type: 'string',
    value: 'NAME',
    description: 'the AWS profile for credentials, region and endpoint_url (s3://)',
  },
  'no-verify-ssl': {
    type: 'boolean',
    description: 'do not verify the TLS certificate of the store (s3://; insecure)',
  },
  'ca-bundle': {
    type: 'string',
    value: 'FILE',
    description: 'trust the CA certificates in FILE (PEM) for the store (s3://)',
  },
  'provider-module': {
    type: 'string',
    multiple: true,
    value: 'PKG|PATH',
    description: 'import a provider package or file and register the schemes of its ProviderFactory',
  },
  help: { type: 'boolean', short: 'h', description: 'show help for the command' },
};

/** `--store` for the commands that take `--bucket`/`--key` like `aws s3api`. */
export const STORE_OPTION: OptionSpecs = {
  store: {
    type: 'string',
    value: 'SCHEME',
    description:
      'the store: file, mem, s3, az, gs or any registered scheme (default $PARTCOPY_STORE, else file)',
  },
};

/** `--request-payer` and `--expected-bucket-owner`, as in S3. */
export const OWNERSHIP_OPTIONS: OptionSpecs = {
  'request-payer': {
    type: 'string',
    value: 'requester',
    description: 'confirm that you pay for a requester-pays bucket',
  },
  'expected-bucket-owner': {
    type: 'string',
    value: 'ACCOUNT',
    description: 'fail unless the bucket belongs to this account',
  },
};

/** SSE-C options for the object written or read. */
export const SSE_CUSTOMER_OPTIONS: OptionSpecs = {
  'sse-customer-algorithm': { type: 'string', value: 'AES256', description: 'SSE-C algorithm (AES256)' },
  'sse-customer-key': {
    type: 'string',
    value: 'KEY',
    description:
      'SSE-C key: base64 of 32 bytes, or fileb://PATH to read the raw key from a file (safer than the command line)',
  },
  'sse-customer-key-md5': {
    type: 'string',
    value: 'MD5',
    description: 'base64 MD5 of the SSE-C key (checked)',
  },
};
