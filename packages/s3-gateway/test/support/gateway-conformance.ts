/**
 * The conformance kit run through the gateway: @partcopy/s3 (the S3 provider, over the AWS SDK)
 * pointed at a gateway over a backend store. The kit gets the backend's capabilities, so it
 * registers the same checks as the backend run directly; any check that passes there and not
 * here is a gateway defect or a listed difference.
 *
 * A second gateway instance over the same store answers `reopenProvider`: uploads started through
 * one instance are completed or aborted through the other, as behind a load balancer.
 */
import { type ConformanceOptions, GROUP_NAMES, type GroupName, runConformance } from '@partcopy/conformance';
import { type Capabilities, PartCopyClient, type Provider } from '@partcopy/core';
import { S3Provider } from '@partcopy/s3';
import { afterAll, describe, it } from 'vitest';
import { createS3Gateway, type S3Gateway } from '../../src/index.js';
import { ACCESS_KEY, SECRET_KEY } from './gateway-harness.js';

export interface GatewayBackend {
  /** A provider on the backend store; called for each gateway instance (they share the store). */
  open(): Provider;
}

/** What `runConformance` needs to go through two gateway instances over `backend`. */
export function throughGateway(
  backend: GatewayBackend,
): Pick<ConformanceOptions, 'createProvider' | 'reopenProvider' | 'createBucket'> {
  const gateways: Array<{ gateway: S3Gateway; client: PartCopyClient; url: string }> = [];
  let starting: Promise<typeof gateways> | undefined;
  const start = () => {
    starting ??= (async () => {
      for (let i = 0; i < 2; i++) {
        const client = new PartCopyClient(backend.open());
        const gateway = createS3Gateway({
          client,
          credentials: [{ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }],
        });
        gateways.push({ gateway, client, url: await gateway.listen() });
      }
      return gateways;
    })();
    return starting;
  };
  afterAll(async () => {
    for (const { gateway, client } of gateways) {
      await gateway.close(1000);
      await client.close();
    }
  });
  const s3At = (url: string, capabilities: Readonly<Capabilities>) =>
    new S3Provider({
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
      clientConfig: { endpoint: url, region: 'us-east-1', forcePathStyle: true },
      // The backend's capabilities, except the pull: staging a part from a URL is a provider
      // method (Azure Put Block From URL) that S3 has no request for, so no client of the gateway
      // can ask for it.
      // The optional flags the backend leaves absent are off there, so they are off here too.
      capabilities: {
        ...capabilities,
        uploadPartFromUrl: false,
        uploadPartFromForeignUrl: false,
        bucketVersioning: capabilities.bucketVersioning === true,
        listObjectVersions: capabilities.listObjectVersions === true,
        deleteConditions: capabilities.deleteConditions === true,
      },
    });
  return {
    createProvider: async () => {
      const [first] = await start();
      return s3At(first?.url as string, first?.client.capabilities as Capabilities);
    },
    reopenProvider: async () => {
      const [, second] = await start();
      return s3At(second?.url as string, second?.client.capabilities as Capabilities);
    },
    // A store whose versioning the gateway can set (capability bucketVersioning) gets its
    // versioned buckets through the gateway (CreateBucket, then PutBucketVersioning); on the
    // others versioning is a property the store's owner sets: made on the backend, then served.
    createBucket: async (client, name, options) => {
      if (!options.versioning || client.capabilities.bucketVersioning)
        return client.createBucket({ bucket: name, ...(options.versioning ? { versioning: true } : {}) });
      const [first] = await start();
      await first?.client.createBucket({ bucket: name, versioning: true });
    },
  };
}

// The groups whose checks make versioned buckets.
const VERSIONED_GROUPS: readonly GroupName[] = [
  'versioned-sources',
  'bucket-versioning',
  'delete-conditions',
  'whole-object-copy',
  'compose',
];

/**
 * Registers the whole kit through the gateway over `backend`: the versioned groups with buckets
 * made on the backend (see `createBucket` above), every other group with buckets made through the
 * gateway, so `store.create-existing-bucket` runs too.
 */
export function runThroughGateway(
  name: string,
  backend: GatewayBackend,
  options: Pick<ConformanceOptions, 'skip' | 'env'> = {},
): void {
  const through = throughGateway(backend);
  const { createBucket, ...plain } = through;
  const runner = { describe, it };
  runConformance({
    name,
    runner,
    ...options,
    ...plain,
    groups: GROUP_NAMES.filter((group) => !VERSIONED_GROUPS.includes(group)),
  });
  runConformance({
    name: `${name} (versioned buckets)`,
    runner,
    ...options,
    ...through,
    groups: VERSIONED_GROUPS,
  });
}
