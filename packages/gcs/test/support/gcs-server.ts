import { randomBytes } from 'node:crypto';
import type { OperationContext } from '@partcopy/core';
import { createGcsProvider, type GcsProvider, type GcsProviderOptions } from '../../src/index.js';

/** fake-gcs-server's endpoint and project, or a loud failure when the server is missing. */
// Read directly (not through @partcopy/test-servers, which this package's tsconfig does not
// reference): the variables are the test-servers contract, and a missing one fails loudly.
export function gcsServer(): { endpoint: string; project: string } {
  const endpoint = process.env.PARTCOPY_GCS_ENDPOINT;
  const project = process.env.PARTCOPY_GCS_PROJECT;
  if (!endpoint || !project) {
    throw new Error(
      'Integration test needs fake-gcs-server, but PARTCOPY_GCS_ENDPOINT / PARTCOPY_GCS_PROJECT are not set. ' +
        'Run the tests through the root vitest config (its global set-up starts the servers) or start ' +
        'fake-gcs-server -backend memory -scheme http -host 127.0.0.1 -port PORT and export both variables.',
    );
  }
  return { endpoint, project };
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
