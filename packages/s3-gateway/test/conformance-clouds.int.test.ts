/**
 * The conformance kit through @partcopy/s3 and the gateway over Azurite and fake-gcs-server,
 * with the skips of the direct runs (packages/azure/test/conformance.int.test.ts,
 * packages/gcs/test/conformance.int.test.ts) and nothing else.
 */

import { createAzureProvider } from '@partcopy/azure';
import { KiB } from '@partcopy/core';
import { createGcsProvider } from '@partcopy/gcs';
import { requireServerEnv } from '@partcopy/test-servers';
import { runThroughGateway } from './support/gateway-conformance.js';

const azurite = requireServerEnv('azurite');
runThroughGateway(
  's3 → gateway → azure (Azurite)',
  {
    open: () =>
      createAzureProvider({
        url: azurite.PARTCOPY_AZURITE_BLOB_ENDPOINT,
        accountName: azurite.PARTCOPY_AZURITE_ACCOUNT,
        accountKey: azurite.PARTCOPY_AZURITE_KEY,
        capabilities: { versionedSources: false },
        stagingTier: 'Hot',
      }),
  },
  {
    skip: {
      'awkward-keys.dot-dot':
        'Azure cannot address keys with ".." segments (URLs fold them); refused with Unsupported',
      'awkward-keys.dot-slash':
        'Azure cannot address keys with "." segments (URLs fold them); refused with Unsupported',
    },
  },
);

const CSEK_IGNORED =
  'fake-gcs-server ignores customer-supplied encryption keys (stores plaintext, serves reads with any key or none)';
const gcs = requireServerEnv('gcs');
runThroughGateway(
  's3 → gateway → gcs (fake-gcs-server, 64 KiB parts)',
  {
    open: () =>
      createGcsProvider({
        apiEndpoint: gcs.PARTCOPY_GCS_ENDPOINT,
        projectId: gcs.PARTCOPY_GCS_PROJECT,
        minPartSize: 64 * KiB,
      }),
  },
  {
    skip: {
      'sse-c.copy-without-source-key': CSEK_IGNORED,
      'sse-c.copy-wrong-source-key': CSEK_IGNORED,
      'sse-c.destination-key': CSEK_IGNORED,
      'whole-object-copy.sse-c': CSEK_IGNORED,
      'whole-object-copy.metadata-replace':
        'fake-gcs-server fills rewrite-body fields left empty from the source, so unset settings cannot be checked',
      // The difference from the direct run.
      'lifecycle.transfer-mode':
        "S3's UploadPartCopy answer has no field for how bytes moved: the gateway streamed this GCS sub-range itself (it says so in x-partcopy-transfer), the S3 provider reports server-side",
      'versioned-sources.delete-marker-version':
        'GCS has no delete markers: deleting the live version of a versioned object makes it noncurrent, so no version id names a deletion',
      'delete-conditions.versions':
        'GCS has no delete markers: a conditional delete of the live version makes it noncurrent and reports no marker',
    },
  },
);
