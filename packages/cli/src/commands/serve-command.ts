/**
 * `partcopy serve s3`: an S3 endpoint over any store (@partcopy/s3-gateway). Runs until
 * interrupted (Ctrl-C, SIGTERM), then stops accepting and lets in-flight requests finish.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PartCopyClient } from '@partcopy/core';
import { FsProvider } from '@partcopy/fs';
import { createMemoryProvider } from '@partcopy/memory';
import type { BucketListing, GatewayCredential, S3GatewayOptions } from '@partcopy/s3-gateway';
import type { CommandContext, CommandSpec } from '../command.js';
import { parseUrl } from '../stores.js';
import { UsageError } from '../usage-error.js';

/** Environment variables of the keys the gateway accepts (flags win). */
export const GATEWAY_ACCESS_KEY_ENV = 'PARTCOPY_GATEWAY_ACCESS_KEY';
export const GATEWAY_SECRET_KEY_ENV = 'PARTCOPY_GATEWAY_SECRET_KEY';
export const GATEWAY_SESSION_TOKEN_ENV = 'PARTCOPY_GATEWAY_SESSION_TOKEN';

/** How long in-flight requests may take to finish after an interrupt. */
const SHUTDOWN_GRACE_MS = 30_000;

export const serveS3Command: CommandSpec = {
  name: 'serve s3',
  summary: 'serve the S3 REST API over a store (aws-cli, rclone, boto3, SDKs)',
  usage: '--backend URL [options]',
  description: [
    'Answers S3 requests (buckets, objects, listings, CopyObject, the multipart API with',
    'UploadPartCopy, presigned URLs) from the store named by --backend: az://container,',
    'gs://bucket, s3://bucket, file://DIR (buckets are folders of DIR), memory: or any',
    'registered scheme. A backend URL naming a bucket serves that bucket only.',
    'Requests must be signed (SigV4) with --access-key/--secret-key (or',
    `$${GATEWAY_ACCESS_KEY_ENV}/$${GATEWAY_SECRET_KEY_ENV}); --anonymous also serves unsigned`,
    'requests. One JSON line per request goes to stderr (no keys, no signatures).',
    'Ctrl-C stops accepting and lets in-flight requests finish.',
  ],
  positionals: { min: 0, max: 0 },
  options: {
    backend: { type: 'string', value: 'URL', description: 'the store to serve', required: true },
    port: {
      type: 'string',
      value: 'PORT',
      description: 'port to listen on (default 9000; 0 picks a free one)',
    },
    host: { type: 'string', value: 'ADDRESS', description: 'address to bind (default 127.0.0.1)' },
    'access-key': {
      type: 'string',
      value: 'ID',
      description: `access key id clients sign with (or $${GATEWAY_ACCESS_KEY_ENV})`,
    },
    'secret-key': {
      type: 'string',
      value: 'SECRET',
      description: `its secret (or $${GATEWAY_SECRET_KEY_ENV})`,
    },
    'session-token': {
      type: 'string',
      value: 'TOKEN',
      description: `session token requests of --access-key must carry (or $${GATEWAY_SESSION_TOKEN_ENV}); without it a request with a token is refused`,
    },
    anonymous: { type: 'boolean', description: 'also serve unsigned requests (anyone who can connect)' },
    'tls-cert': { type: 'string', value: 'FILE', description: 'PEM certificate chain: serve HTTPS' },
    'tls-key': { type: 'string', value: 'FILE', description: 'PEM private key of --tls-cert' },
    'virtual-host': {
      type: 'string',
      multiple: true,
      value: 'DOMAIN',
      description: 'host name under which BUCKET.DOMAIN addresses a bucket (virtual-host style)',
    },
    'object-ownership': {
      type: 'string',
      value: 'SETTING',
      description:
        'Object Ownership of buckets created without x-amz-object-ownership: BucketOwnerEnforced (default, ACLs disabled), BucketOwnerPreferred or ObjectWriter (ACLs kept in the store and enforced)',
    },
    'user-id': {
      type: 'string',
      value: 'ID',
      description: 'canonical user id of --access-key in owners and ACL grants (default partcopy)',
    },
    'display-name': {
      type: 'string',
      value: 'NAME',
      description: 'display name of --access-key in owners and ACL grants (default partcopy)',
    },
    'settings-cache': {
      type: 'string',
      value: 'MS',
      description:
        "milliseconds a bucket's gateway settings (owner, ACL, CORS...) once read are reused (default 1000; 0 reads them for every request): how long a change made through another instance over the same store takes to apply here",
    },
    'gateway-region': {
      type: 'string',
      value: 'REGION',
      description: 'region the gateway names (default us-east-1)',
    },
  },
  examples: [
    'partcopy serve s3 --backend az://my-container --access-key AKID --secret-key SECRET',
    'partcopy serve s3 --backend file:///srv/data --port 9000 --anonymous',
    'aws --endpoint-url http://127.0.0.1:9000 s3 cp big.iso s3://my-container/big.iso',
  ],
  async run(ctx) {
    const credentials = gatewayCredentials(ctx);
    const anonymous = ctx.flag('anonymous');
    if (credentials.length === 0 && !anonymous) {
      throw new UsageError(
        `give --access-key and --secret-key (or $${GATEWAY_ACCESS_KEY_ENV} and $${GATEWAY_SECRET_KEY_ENV}), or --anonymous`,
        ctx.command,
      );
    }
    const backend = await openBackend(ctx, ctx.required('backend'));
    const tls = await tlsFiles(ctx);
    // Imported here, not at the top: the gateway (its XML parser and SigV4 verifier) took about
    // a third of the CPU of every other command's start (65-80 ms of 0.22 s for `cp s3://`).
    const { createS3Gateway } = await import('@partcopy/s3-gateway');
    const gateway = createS3Gateway({
      client: backend.client,
      credentials,
      anonymous,
      ...(backend.buckets ? { buckets: backend.buckets } : {}),
      ...(backend.listBuckets ? { listBuckets: backend.listBuckets } : {}),
      virtualHostSuffixes: ctx.list('virtual-host') ?? [],
      ...(ctx.string('gateway-region') ? { region: ctx.string('gateway-region') as string } : {}),
      ...objectOwnership(ctx),
      ...settingsCache(ctx),
      onRequest: (entry) => {
        if (!ctx.quiet) ctx.io.stderr.write(`${JSON.stringify(entry)}\n`);
      },
    });
    const url = await gateway.listen({
      port: port(ctx),
      host: ctx.string('host') ?? '127.0.0.1',
      ...(tls ? { tls } : {}),
    });
    ctx.io.stdout.write(
      ctx.json
        ? `${JSON.stringify({ url, backend: backend.label })}\n`
        : `serving S3 on ${url} over ${backend.label}${anonymous ? ' (anonymous access on)' : ''}\n`,
    );
    await waitForAbort(ctx.signal);
    await gateway.close(SHUTDOWN_GRACE_MS);
    await backend.close();
    return {
      result: { url, metrics: gateway.metrics() },
      human: [`stopped; served ${total(gateway.metrics().requests)} requests`],
    };
  },
};

function gatewayCredentials(ctx: CommandContext): GatewayCredential[] {
  const accessKeyId = ctx.string('access-key') ?? ctx.io.env[GATEWAY_ACCESS_KEY_ENV];
  const secretAccessKey = ctx.string('secret-key') ?? ctx.io.env[GATEWAY_SECRET_KEY_ENV];
  if (!accessKeyId && !secretAccessKey) return [];
  if (!accessKeyId || !secretAccessKey) {
    throw new UsageError('--access-key and --secret-key go together', ctx.command);
  }
  const sessionToken = ctx.string('session-token') ?? ctx.io.env[GATEWAY_SESSION_TOKEN_ENV];
  const userId = ctx.string('user-id');
  const displayName = ctx.string('display-name');
  return [
    {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
      ...(userId ? { userId } : {}),
      ...(displayName ? { displayName } : {}),
    },
  ];
}

const OWNERSHIPS = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;

function objectOwnership(ctx: CommandContext): { defaultObjectOwnership?: (typeof OWNERSHIPS)[number] } {
  const text = ctx.string('object-ownership');
  if (text === undefined) return {};
  const found = OWNERSHIPS.find((o) => o.toLowerCase() === text.toLowerCase());
  if (found === undefined) {
    throw new UsageError(`--object-ownership must be one of ${OWNERSHIPS.join(', ')}`, ctx.command);
  }
  return { defaultObjectOwnership: found };
}

function settingsCache(ctx: CommandContext): { bucketConfigCacheMs?: number } {
  const text = ctx.string('settings-cache');
  if (text === undefined) return {};
  if (!/^\d{1,9}$/.test(text)) {
    throw new UsageError('--settings-cache must be a number of milliseconds (0 or more)', ctx.command);
  }
  return { bucketConfigCacheMs: Number(text) };
}

function port(ctx: CommandContext): number {
  const text = ctx.string('port') ?? '9000';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65_535)
    throw new UsageError(`--port: "${text}" is not a port number`, ctx.command);
  return value;
}

async function tlsFiles(ctx: CommandContext): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  const certFile = ctx.string('tls-cert');
  const keyFile = ctx.string('tls-key');
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined)
    throw new UsageError('--tls-cert and --tls-key go together', ctx.command);
  return {
    cert: await readFile(resolve(ctx.io.cwd, certFile)),
    key: await readFile(resolve(ctx.io.cwd, keyFile)),
  };
}

interface Backend {
  client: PartCopyClient;
  label: string;
  buckets?: string[];
  listBuckets?: S3GatewayOptions['listBuckets'];
  close(): Promise<void>;
}

// file://DIR and memory: are served whole (every bucket, listed from the store); a cloud URL
// naming a bucket serves that bucket; a cloud URL without one serves every bucket, listed by the
// store where it can (capability listBuckets: Azure, GCS).
async function openBackend(ctx: CommandContext, url: string): Promise<Backend> {
  const env = ctx.io.env;
  if (url === 'memory:' || url === 'mem:' || url === 'mem://' || url === 'memory://') {
    const provider = createMemoryProvider();
    const client = new PartCopyClient(provider, { env });
    const listBuckets = async (): Promise<BucketListing[]> =>
      [...provider.store.buckets.values()].map((b) => ({ name: b.name, creationDate: b.created }));
    return { client, label: 'memory', listBuckets, close: () => client.close() };
  }
  if (url.startsWith('file://')) {
    const root = resolve(ctx.io.cwd, url.slice('file://'.length) || '.');
    const client = new PartCopyClient(new FsProvider({ root }), { env });
    return {
      client,
      label: `folder ${root}`,
      listBuckets: () => folderBuckets(root),
      close: () => client.close(),
    };
  }
  const ref = parseUrl(ctx.stores.expandRemote(url));
  const client = await ctx.stores.client(ref.scheme);
  return {
    client,
    label: `${ref.scheme}://${ref.bucket}`,
    ...(ref.bucket ? { buckets: [ref.bucket] } : {}),
    // The store set closes its own clients when the command ends.
    close: async () => {},
  };
}

async function folderBuckets(root: string): Promise<BucketListing[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const buckets: BucketListing[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const info = await stat(join(root, entry.name));
    buckets.push({ name: entry.name, creationDate: info.birthtime });
  }
  return buckets;
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
