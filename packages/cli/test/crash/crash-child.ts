/**
 * The child process of the crash tests: the real `partcopy` process (signals included) over a
 * registry whose providers log every request and response to `CRASH_LOG` (one JSON line each)
 * and kill this very process at call number `CRASH_AT` (before or after the real call, with
 * `CRASH_SIGNAL`, SIGKILL by default); with `CRASH_METHOD`, only calls of that method count
 * (`CRASH_AT=1 CRASH_METHOD=completeMultipartUpload` dies in the first completion); or with
 * `CRASH_PHASE=stall` (`stall-after`: after the real call, whose answer is then lost) wait there
 * until interrupted. Azure's requests are logged one level lower too (`azure` entries: Put Block
 * From URL with its block id, Get Block List, Put Block List), and `CRASH_BLOCK_AT=N` kills the
 * process right after the N-th Put Block From URL answered: in the middle of a native compose's
 * staging, which is one provider call. GCS's writes of a compose (compose, multipart insert,
 * rewrite) are logged the same way (`gcs` entries, with the object name the answer carries), and
 * `CRASH_GCS_WRITE_AT=N` kills right after the N-th answered. The kill point is chosen by the test from a printed seed:
 * counting calls, never time, decides when the process dies.
 */
import { appendFileSync } from 'node:fs';
import { azureProviderFactory } from '@partcopy/azure';
import { createDefaultRegistry, runAsProcess } from '@partcopy/cli';
import type { ProviderFactory } from '@partcopy/core';
import { abortedError } from '@partcopy/core/provider';
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

// Says so in the log (and in CRASH_STALLED, a file the test waits for), then waits for the
// command's interrupt: the test signals the process (or closes its terminal) at this exact call.
async function stall(signal: AbortSignal): Promise<void> {
  write({ event: 'stall', call: calls });
  if (env.CRASH_STALLED) appendFileSync(env.CRASH_STALLED, `${process.pid}\n`);
  // A timer keeps the process alive meanwhile (a pending promise alone does not).
  const alive = setInterval(() => {}, 1_000);
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  clearInterval(alive);
}

const intercept: Interceptor = async (method, request, _ctx, next) => {
  const call = crashMethod === undefined || method === crashMethod ? ++calls : -1;
  // A clean-up that takes a while (a slow store) and writes meanwhile, as the progress bar does:
  // with the terminal gone, that write fails while the abort is still to be sent.
  if (method === 'abortMultipartUpload' && env.CRASH_SLOW_ABORT_MS) {
    process.stderr.write('cleaning up\n');
    await new Promise((resolve) => setTimeout(resolve, Number(env.CRASH_SLOW_ABORT_MS)));
  }
  const part = (request as { partNumber?: number }).partNumber;
  write({ event: 'request', method, part });
  if (call === crashAt && phase === 'before') die();
  if (call === crashAt && phase === 'stall') await stall(_ctx.signal);
  const result = await next();
  const listed =
    method === 'listParts'
      ? (result as { parts: Array<{ partNumber: number }> }).parts.map((p) => p.partNumber)
      : undefined;
  // The store acted, but the interrupt comes before the answer reaches the command: it is lost.
  if (call === crashAt && phase === 'stall-after') {
    await stall(_ctx.signal);
    throw abortedError(_ctx.signal);
  }
  write({ event: 'response', method, part, listed });
  if (call === crashAt && phase === 'after') die();
  return result;
};

const blockAt = env.CRASH_BLOCK_AT === undefined ? undefined : Number(env.CRASH_BLOCK_AT);
let blocks = 0;

interface AzureRequest {
  url: string;
  method: string;
  headers: { get(name: string): string | undefined };
}

function azureOperation(request: AzureRequest): string | undefined {
  const url = new URL(request.url);
  const comp = url.searchParams.get('comp');
  if (comp === 'block' && request.headers.get('x-ms-copy-source') !== undefined) return 'PutBlockFromURL';
  if (comp === 'blocklist') return request.method === 'PUT' ? 'PutBlockList' : 'GetBlockList';
  return undefined;
}

// A request policy (the SDK's RequestPolicyFactory shape) that logs the compose's block requests
// and kills the process after the CRASH_BLOCK_AT-th staged block.
const azureBlockPolicy = {
  create(next: { sendRequest(request: AzureRequest): Promise<{ status: number }> }) {
    return {
      async sendRequest(request: AzureRequest) {
        const operation = azureOperation(request);
        if (operation === undefined) return next.sendRequest(request);
        const block = new URL(request.url).searchParams.get('blockid') ?? undefined;
        write({ event: 'request', azure: operation, block });
        const response = await next.sendRequest(request);
        write({ event: 'response', azure: operation, block, status: response.status });
        if (operation === 'PutBlockFromURL' && response.status < 300 && ++blocks === blockAt) die();
        return response;
      },
    };
  },
};

const loggedAzure: ProviderFactory = {
  ...azureProviderFactory,
  create: (options, e) =>
    azureProviderFactory.create(
      {
        ...options,
        requestPolicies: [...((options?.requestPolicies as unknown[] | undefined) ?? []), azureBlockPolicy],
      },
      e,
    ),
};

const gcsWriteAt = env.CRASH_GCS_WRITE_AT === undefined ? undefined : Number(env.CRASH_GCS_WRITE_AT);
let gcsWrites = 0;

function gcsWrite(url: string, method: string): string | undefined {
  if (method !== 'POST') return undefined;
  if (/\/compose(\?|$)/.test(url)) return 'compose';
  if (url.includes('/rewriteTo/')) return 'rewrite';
  if (url.includes('uploadType=multipart')) return 'insert';
  return undefined;
}

// The GCS provider's fetch, logging and counting the writes a compose makes.
const gcsFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const url = String(input instanceof Request ? input.url : input);
  const kind = gcsWrite(url, init?.method ?? 'GET');
  if (kind === undefined) return fetch(input, init);
  write({ event: 'request', gcs: kind });
  const response = await fetch(input, init);
  if (!response.ok) {
    write({ event: 'response', gcs: kind, status: response.status });
    return response;
  }
  const body = (await response.clone().json()) as { name?: string; resource?: { name?: string } };
  write({ event: 'response', gcs: kind, status: response.status, object: body.name ?? body.resource?.name });
  if (++gcsWrites === gcsWriteAt) die();
  return response;
};

const loggedGcs: ProviderFactory = {
  ...gcsProviderFactory,
  create: (options, e) => gcsProviderFactory.create({ ...options, fetch: gcsFetch }, e),
};

const smallFs: ProviderFactory = {
  name: 'fs',
  schemes: ['file'],
  create: (options, e) => fsProviderFactory.create({ ...options, minPartSize: 1024 }, e),
};

const registry = createDefaultRegistry()
  .register(wrappedFactory(smallFs, intercept))
  .register(wrappedFactory(s3ProviderFactory, intercept))
  .register(wrappedFactory(loggedAzure, intercept))
  .register(wrappedFactory(loggedGcs, intercept));

void runAsProcess(process.argv.slice(2), { registry });
