/**
 * The child process of the crash tests: the real `partcopy` process (signals included) over a
 * registry whose providers log every request and response to `CRASH_LOG` (one JSON line each)
 * and kill this very process at call number `CRASH_AT` (before or after the real call, with
 * `CRASH_SIGNAL`, SIGKILL by default); with `CRASH_METHOD`, only calls of that method count
 * (`CRASH_AT=1 CRASH_METHOD=completeMultipartUpload` dies in the first completion). The kill point is chosen by the test from a printed seed:
 * counting calls, never time, decides when the process dies.
 */
import { appendFileSync } from 'node:fs';
import { azureProviderFactory } from '@partcopy/azure';
import { createDefaultRegistry, runAsProcess } from '@partcopy/cli';
import type { ProviderFactory } from '@partcopy/core';
import { type Interceptor, wrappedFactory } from '@partcopy/core/testing';
import { fsProviderFactory } from '@partcopy/fs';
import { gcsProviderFactory } from '@partcopy/gcs';
import { s3ProviderFactory } from '@partcopy/s3';

const env = process.env;
const log = env.CRASH_LOG;
const run = env.CRASH_RUN ?? '0';
const crashAt = env.CRASH_AT === undefined ? undefined : Number(env.CRASH_AT);
const phase = env.CRASH_PHASE ?? 'before';
const signal = (env.CRASH_SIGNAL ?? 'SIGKILL') as NodeJS.Signals;
const crashMethod = env.CRASH_METHOD;
let calls = 0;

const write = (entry: Record<string, unknown>): void => {
  if (log) appendFileSync(log, `${JSON.stringify({ run, ...entry })}\n`);
};

function die(): void {
  write({ event: 'kill', signal, call: calls });
  process.kill(process.pid, signal);
}

const intercept: Interceptor = async (method, request, _ctx, next) => {
  const call = crashMethod === undefined || method === crashMethod ? ++calls : -1;
  const part = (request as { partNumber?: number }).partNumber;
  write({ event: 'request', method, part });
  if (call === crashAt && phase === 'before') die();
  const result = await next();
  const listed =
    method === 'listParts'
      ? (result as { parts: Array<{ partNumber: number }> }).parts.map((p) => p.partNumber)
      : undefined;
  write({ event: 'response', method, part, listed });
  if (call === crashAt && phase === 'after') die();
  return result;
};

const smallFs: ProviderFactory = {
  name: 'fs',
  schemes: ['file'],
  create: (options, e) => fsProviderFactory.create({ ...options, minPartSize: 1024 }, e),
};

const registry = createDefaultRegistry()
  .register(wrappedFactory(smallFs, intercept))
  .register(wrappedFactory(s3ProviderFactory, intercept))
  .register(wrappedFactory(azureProviderFactory, intercept))
  .register(wrappedFactory(gcsProviderFactory, intercept));

void runAsProcess(process.argv.slice(2), { registry });
