/**
 * S3 object settings to Azure blob properties and back. Content headers map one to one; user
 * metadata becomes Azure metadata (names escaped where Azure's identifier rule requires it, see
 * metadata-names.ts); tagging becomes blob index tags; storage class
 * `STANDARD` is the account default and Azure tier names (`Hot`, `Cool`, `Cold`, `Archive`) set
 * the tier. S3's `Expires` header has no Azure counterpart: it is kept in partcopy's own metadata
 * (`pcr_expires`, ISO 8601) and read back from it.
 */
import type { BlobGetPropertiesResponse, BlobHTTPHeaders, BlockBlobTier } from '@azure/storage-blob';
import { type ErrorContext, type ObjectSettings, PartCopyError } from '@partcopy/core/provider';
import { fromAzureMetadata, RESERVED_METADATA_PREFIX, toAzureMetadata } from './metadata-names.js';
import type { StoredSettings } from './upload-manifest.js';

const TIERS: ReadonlyMap<string, string> = new Map([
  ['hot', 'Hot'],
  ['cool', 'Cool'],
  ['cold', 'Cold'],
  ['archive', 'Archive'],
]);

/** Checks settings Azure cannot keep and returns the ones it can. */
export function storableSettings(settings: ObjectSettings, context: ErrorContext): StoredSettings {
  if (settings.storageClass !== undefined) tierOf(settings.storageClass, context);
  const { expires, ...rest } = settings;
  const stored = Object.fromEntries(
    Object.entries(rest).filter(([, value]) => value !== undefined),
  ) as StoredSettings;
  if (expires !== undefined) stored.expires = expires.toISOString();
  return stored;
}

/** The Azure access tier for a storage class, `undefined` for the default. */
export function tierOf(storageClass: string | undefined, context: ErrorContext): BlockBlobTier | undefined {
  if (storageClass === undefined || storageClass === 'STANDARD') return undefined;
  const tier = TIERS.get(storageClass.toLowerCase());
  if (!tier) {
    throw new PartCopyError(
      'InvalidArgument',
      `storageClass "${storageClass}": use STANDARD or an Azure tier (Hot, Cool, Cold, Archive)`,
      {
        ...context,
        providerCode: 'InvalidStorageClass',
      },
    );
  }
  return tier as BlockBlobTier;
}

/** Options for Put Blob / Put Block List that apply the settings. */
export function writeOptions(settings: StoredSettings, context: ErrorContext) {
  const headers: BlobHTTPHeaders = {};
  if (settings.contentType !== undefined) headers.blobContentType = settings.contentType;
  if (settings.contentEncoding !== undefined) headers.blobContentEncoding = settings.contentEncoding;
  if (settings.contentDisposition !== undefined) headers.blobContentDisposition = settings.contentDisposition;
  if (settings.contentLanguage !== undefined) headers.blobContentLanguage = settings.contentLanguage;
  if (settings.cacheControl !== undefined) headers.blobCacheControl = settings.cacheControl;
  return {
    blobHTTPHeaders: headers,
    metadata: withExpires(toAzureMetadata(settings.metadata), settings.expires),
    tags: settings.tagging && Object.keys(settings.tagging).length > 0 ? settings.tagging : undefined,
    tier: tierOf(settings.storageClass, context),
  };
}

/** Object settings read back from blob properties. */
export function settingsFromProperties(props: BlobGetPropertiesResponse): ObjectSettings {
  const settings: ObjectSettings = {};
  if (props.contentType) settings.contentType = props.contentType;
  if (props.contentEncoding) settings.contentEncoding = props.contentEncoding;
  if (props.contentDisposition) settings.contentDisposition = props.contentDisposition;
  if (props.contentLanguage) settings.contentLanguage = props.contentLanguage;
  if (props.cacheControl) settings.cacheControl = props.cacheControl;
  const metadata = fromAzureMetadata(props.metadata ?? {});
  if (Object.keys(metadata).length > 0) settings.metadata = metadata;
  const expires = props.metadata?.[EXPIRES_NAME];
  if (expires !== undefined && !Number.isNaN(Date.parse(expires))) settings.expires = new Date(expires);
  return settings;
}

// S3's Expires header, kept under partcopy's own name (Azure has no such property).
const EXPIRES_NAME = `${RESERVED_METADATA_PREFIX}expires`;

function withExpires(
  metadata: Record<string, string> | undefined,
  expires: string | undefined,
): Record<string, string> | undefined {
  return expires === undefined ? metadata : { ...metadata, [EXPIRES_NAME]: expires };
}
