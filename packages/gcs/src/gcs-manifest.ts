import {
  type ErrorContext,
  type ObjectSettings,
  PartCopyError,
  type SseCustomerKey,
} from '@partcopy/core/provider';
import { GCS_PROVIDER_NAME } from './gcs-error-map.js';
import { RESERVED_METADATA_PREFIX } from './gcs-etag.js';
import type { GcsObject } from './gcs-object-resource.js';
import { loadSettings, type StoredSettings } from './gcs-object-resource.js';
import type { GcsObjectStore } from './gcs-object-store.js';
import { StagingNames } from './gcs-staging-names.js';
import { singleChunk } from './gcs-upload-body.js';

const KEY_FIELD = `${RESERVED_METADATA_PREFIX}key`;
const INITIATED_FIELD = `${RESERVED_METADATA_PREFIX}initiated`;
const KEY_SHA_FIELD = `${RESERVED_METADATA_PREFIX}csek-sha256`;

/** What createMultipartUpload records for any process that later holds the upload id. */
export interface Manifest {
  version: 1;
  key: string;
  uploadId: string;
  initiated: string;
  /** The destination's settings, applied to the completed object. */
  settings: StoredSettings;
  /** SHA-256 (base64) of the customer-supplied key the upload was created with; never the key. */
  sseKeySha256?: string;
}

/** The manifest's identity as its metadata carries it (one GET without the body). */
export interface ManifestHead {
  key: string;
  uploadId: string;
  initiated: Date;
  sseKeySha256?: string;
}

/**
 * Upload manifests: one small JSON object per upload at `<prefix>manifests/<uploadId>`. The key
 * and initiation time are also in its custom metadata, so checking an upload id (every part
 * upload) and listing uploads need no body reads.
 */
export class ManifestStore {
  constructor(
    private readonly store: GcsObjectStore,
    private readonly names: StagingNames,
  ) {}

  async create(bucket: string, manifest: Manifest, signal: AbortSignal): Promise<void> {
    const bytes = new TextEncoder().encode(JSON.stringify(manifest));
    const metadata: Record<string, string> = {
      [KEY_FIELD]: manifest.key,
      [INITIATED_FIELD]: manifest.initiated,
    };
    if (manifest.sseKeySha256 !== undefined) metadata[KEY_SHA_FIELD] = manifest.sseKeySha256;
    await this.store.insert(bucket, signal, {
      resource: {
        name: this.names.manifest(manifest.uploadId),
        contentType: 'application/json',
        storageClass: 'STANDARD',
        metadata,
      },
      chunks: singleChunk(bytes),
      length: bytes.length,
      // A fresh id never exists; the precondition makes a collision fail instead of overwrite.
      query: { ifGenerationMatch: '0' },
    });
  }

  /** The upload's identity; `NoSuchUpload` unless the id names an upload of this key. */
  async head(
    bucket: string,
    key: string,
    uploadId: string,
    signal: AbortSignal,
    context: ErrorContext,
  ): Promise<ManifestHead & { object: GcsObject }> {
    if (!StagingNames.isUploadId(uploadId)) {
      throw await this.store.notFound(bucket, signal, 'NoSuchUpload', context);
    }
    const object = await this.store.get(bucket, this.names.manifest(uploadId), signal, {
      missing: 'NoSuchUpload',
      context,
    });
    const head = headOf(object, uploadId);
    if (!head || head.key !== key) throw await this.store.notFound(bucket, signal, 'NoSuchUpload', context);
    return { ...head, object };
  }

  /** The whole manifest, settings included, read at the generation `head` saw. */
  async read(
    bucket: string,
    key: string,
    uploadId: string,
    signal: AbortSignal,
    context: ErrorContext,
  ): Promise<Manifest & { generation: string; settingsValue: ObjectSettings }> {
    const { object } = await this.head(bucket, key, uploadId, signal, context);
    const response = await this.store.api.stream(
      `/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(object.name)}`,
      {
        query: { generation: object.generation },
        signal,
      },
    );
    const manifest = JSON.parse(await response.text()) as Manifest;
    return { ...manifest, generation: object.generation, settingsValue: loadSettings(manifest.settings) };
  }

  /** Every upload of the bucket, from the manifests' metadata. */
  async list(bucket: string, signal: AbortSignal): Promise<ManifestHead[]> {
    const objects = await this.store.listAll(bucket, this.names.manifestsPrefix, signal);
    const heads: ManifestHead[] = [];
    for (const object of objects) {
      const uploadId = object.name.slice(this.names.manifestsPrefix.length);
      const head = headOf(object, uploadId);
      if (head) heads.push(head);
    }
    return heads;
  }
}

/**
 * S3 refuses a part written without the upload's SSE-C key, or with another key (or with a key
 * for an upload created without one): `InvalidRequest`. Parts must match for compose to work.
 */
export function checkPartKey(
  head: ManifestHead,
  key: SseCustomerKey | undefined,
  context: ErrorContext,
): void {
  const given = key?.keySHA256();
  if (given === head.sseKeySha256) return;
  const why =
    head.sseKeySha256 === undefined
      ? 'the upload was created without an SSE-C key, but this part request gives one'
      : given === undefined
        ? 'the upload was created with an SSE-C key; give the same key for every part'
        : 'the SSE-C key differs from the one the upload was created with';
  throw new PartCopyError('InvalidRequest', why, { provider: GCS_PROVIDER_NAME, ...context });
}

function headOf(object: GcsObject, uploadId: string): ManifestHead | undefined {
  const key = object.metadata?.[KEY_FIELD];
  const initiated = object.metadata?.[INITIATED_FIELD];
  if (key === undefined || initiated === undefined) return undefined;
  const head: ManifestHead = { key, uploadId, initiated: new Date(initiated) };
  const sha = object.metadata?.[KEY_SHA_FIELD];
  if (sha !== undefined) head.sseKeySha256 = sha;
  return head;
}
