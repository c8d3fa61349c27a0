import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo, createDefaultRegistry, runCli } from '@partcopy/cli';
import type { ProviderFactory, ProviderRegistry } from '@partcopy/core';
import { fsProviderFactory } from '@partcopy/fs';

/** Captures what the CLI writes. */
export class Capture {
  readonly chunks: Uint8Array[] = [];
  isTTY: boolean;
  columns = 100;

  constructor(isTTY = false) {
    this.isTTY = isTTY;
  }

  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Uint8Array.from(chunk));
    return true;
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get text(): string {
    return this.bytes.toString('utf8');
  }

  get lines(): string[] {
    return this.text.split('\n').filter((line) => line !== '');
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
  /** stdout parsed as the one JSON object `--json` prints. */
  json<T = Record<string, unknown>>(): T;
  /** stderr parsed as the JSON error `--json` prints. */
  errorJson(): { error: Record<string, unknown> };
}

/** The fs factory with small parts allowed (1 KiB minimum), so multipart copies stay small. */
export const smallPartsFsFactory: ProviderFactory = {
  name: 'fs',
  schemes: ['file'],
  create: (options, env) => fsProviderFactory.create({ ...options, minPartSize: 1024 }, env),
};

/** A temporary working folder and a way to run `partcopy` in-process inside it. */
export class CliHarness {
  readonly cwd: string;
  readonly registry: ProviderRegistry;
  env: Record<string, string | undefined> = {};

  private constructor(cwd: string, registry: ProviderRegistry) {
    this.cwd = cwd;
    this.registry = registry;
  }

  static async create(
    registry: ProviderRegistry = createDefaultRegistry().register(smallPartsFsFactory),
  ): Promise<CliHarness> {
    return new CliHarness(await mkdtemp(join(tmpdir(), 'partcopy-cli-')), registry);
  }

  get dataDir(): string {
    return join(this.cwd, '.partcopy-data');
  }

  async run(argv: string[], io: Partial<CliIo> = {}): Promise<CliRun> {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await runCli(argv, {
      stdout,
      stderr,
      stdin: (async function* () {})(),
      env: this.env,
      cwd: this.cwd,
      registry: this.registry,
      ...io,
    });
    return {
      code,
      stdout: stdout.text,
      stderr: stderr.text,
      stdoutBytes: stdout.bytes,
      json: <T>() => JSON.parse(stdout.text) as T,
      errorJson: () => JSON.parse(stderr.text) as { error: Record<string, unknown> },
    };
  }

  /** Runs and fails the test with the command's stderr when the exit code is not 0. */
  async ok(argv: string[], io: Partial<CliIo> = {}): Promise<CliRun> {
    const result = await this.run(argv, io);
    if (result.code !== 0)
      throw new Error(`partcopy ${argv.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result;
  }

  async dispose(): Promise<void> {
    await rm(this.cwd, { recursive: true, force: true });
  }
}

/** Deterministic, non-repeating test bytes (every 4-byte window differs across the file). */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
