import { largePartsGroup, runConformance } from '@partcopy/conformance';
import { KiB } from '@partcopy/core';
import { describe, it } from 'vitest';
import { createGcsProvider } from '../src/index.js';
import { gcsServer } from './support/gcs-server.js';

// The full kit against fake-gcs-server. Parts are 64 KiB here to keep the run short; the
// large-parts group runs again below at S3's real 5 MiB minimum. Every switched-off check is
// listed with its reason in the README ("Conformance").
const { endpoint, project } = gcsServer();

const CSEK_IGNORED =
  'fake-gcs-server ignores customer-supplied encryption keys (stores plaintext, serves reads with any key or none)';

/** Checks fake-gcs-server cannot pass, with the reason (the README repeats them). */
const FAKE_GCS_SKIPS: Record<string, string> = {
  // fake-gcs-server ignores customer-supplied keys: it stores plaintext and serves every read
  // with any key or none, so the checks that need the server to enforce a key cannot pass.
  // The CSEK headers themselves are asserted in gcs-requests.test.ts.
  'sse-c.copy-without-source-key': CSEK_IGNORED,
  'sse-c.copy-wrong-source-key': CSEK_IGNORED,
  'sse-c.destination-key': CSEK_IGNORED,
  'whole-object-copy.sse-c': CSEK_IGNORED,
  // partcopy's REPLACE rewrite body carries exactly the settings asked for; fake-gcs-server
  // fills every field the body leaves empty from the source (its rewriteObject handler).
  'whole-object-copy.metadata-replace':
    'fake-gcs-server fills rewrite-body fields left empty from the source, so unset settings cannot be checked',
  // Signing needs a service-account key (or IAM signBlob); the emulator's client has neither.
  // presign.int.test.ts signs with a generated key and checks what is signed.
  'server-pull.presigned-read-serves-range':
    'the fake-gcs-server client has no service-account key to sign with (presign.int.test.ts signs with a generated one)',
  'server-pull.presigned-read-expiry':
    'the fake-gcs-server client has no service-account key to sign with (presign.int.test.ts signs with a generated one)',
  'versioned-sources.delete-marker-version':
    'GCS has no delete markers: deleting the live version of a versioned object makes it noncurrent, so no version id names a deletion',
  'delete-conditions.versions':
    'GCS has no delete markers: a conditional delete of the live version makes it noncurrent and reports no marker (the conditions on a named generation are decided as S3 decides them)',
};

const make = (minPartSize?: number) => () =>
  createGcsProvider({ apiEndpoint: endpoint, projectId: project, ...(minPartSize ? { minPartSize } : {}) });

runConformance({
  name: 'gcs (fake-gcs-server, 64 KiB parts)',
  runner: { describe, it },
  createProvider: make(64 * KiB),
  reopenProvider: make(64 * KiB),
  skip: FAKE_GCS_SKIPS,
});

// The large-parts group once more at the real 5 MiB minimum; the suite above runs everything.
largePartsGroup({
  name: 'gcs (fake-gcs-server, 5 MiB parts)',
  runner: { describe, it },
  createProvider: make(),
  reopenProvider: make(),
});
