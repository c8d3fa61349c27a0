/**
 * The manifest of an upload: the destination key and the object settings given at
 * createMultipartUpload, kept in the staging blob's metadata as base64 JSON so that any process
 * holding the upload id can list, complete or abort it. Azure caps all metadata of a blob at
 * 8 KiB; S3 caps user metadata at 2 KiB and keys at 1 KiB, so a manifest always fits.
 */
import { type ErrorContext, type ObjectSettings, PartCopyError } from '@partcopy/core/provider';

/** The metadata name holding the manifest (Azure metadata names are C# identifiers). */
export const MANIFEST_METADATA_NAME = 'partcopymanifest';

/** Settings applied to the completed blob. `expires` has no Azure counterpart and is refused earlier. */
/** Object settings as kept in a manifest and written to a blob: `expires` as ISO 8601 text. */
export type StoredSettings = Omit<ObjectSettings, 'expires'> & { expires?: string };

export interface UploadManifest {
  /** Format version. */
  v: 1;
  key: string;
  /** ISO time of createMultipartUpload. */
  initiated: string;
  settings: StoredSettings;
}

/** The staging blob metadata that carries a manifest. */
export function manifestMetadata(manifest: UploadManifest): Record<string, string> {
  return { [MANIFEST_METADATA_NAME]: Buffer.from(JSON.stringify(manifest), 'utf8').toString('base64') };
}

/** Reads a manifest from blob metadata; `undefined` when absent or not ours. */
export function readManifest(metadata: Record<string, string> | undefined): UploadManifest | undefined {
  const encoded = metadata?.[MANIFEST_METADATA_NAME];
  if (!encoded) return undefined;
  try {
    const value = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as UploadManifest;
    return value && value.v === 1 && typeof value.key === 'string' && typeof value.initiated === 'string'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

/** The manifest of an upload, checked to belong to `key`; `NoSuchUpload` otherwise (as S3). */
export function requireManifest(
  metadata: Record<string, string> | undefined,
  key: string,
  context: ErrorContext,
): UploadManifest {
  const manifest = readManifest(metadata);
  if (!manifest || manifest.key !== key) throw noSuchUpload(context);
  return manifest;
}

export function noSuchUpload(context: ErrorContext): PartCopyError {
  return new PartCopyError(
    'NoSuchUpload',
    'The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    context,
  );
}
