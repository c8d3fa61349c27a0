import { randomBytes } from 'node:crypto';
import type { OperationContext } from '@partcopy/core/provider';
import { requireServerEnv } from '@partcopy/test-servers';
import { createGcsProvider, type GcsProvider, type GcsProviderOptions } from '../../src/index.js';

/** fake-gcs-server's endpoint and project, or a loud failure naming the server (never a skip). */
export function gcsServer(): { endpoint: string; project: string } {
  const env = requireServerEnv('gcs');
  return { endpoint: env.PARTCOPY_GCS_ENDPOINT, project: env.PARTCOPY_GCS_PROJECT };
}

/** A provider against the test server. */
export function serverProvider(options: GcsProviderOptions = {}): GcsProvider {
  const { endpoint, project } = gcsServer();
  return createGcsProvider({ apiEndpoint: endpoint, projectId: project, ...options });
}

/** A context with a fresh, never-firing signal. */
export function ctx(signal: AbortSignal = new AbortController().signal): OperationContext {
  return { signal };
}

export function randomName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A new bucket on the server, with a random name. */
export async function newBucket(provider: GcsProvider, versioning = false): Promise<string> {
  const bucket = randomName('pc-gcs');
  await provider.createBucket({ bucket, versioning }, ctx());
  return bucket;
}
