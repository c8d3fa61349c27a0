import type { ObjectSettings } from '@partcopy/core/provider';

/**
 * The object settings of a request, copied field by field: only the settings travel (not the
 * rest of the request), and later changes to the caller's objects do not reach the store.
 */
export function copySettings(from: ObjectSettings): ObjectSettings {
  const settings: ObjectSettings = {};
  if (from.contentType !== undefined) settings.contentType = from.contentType;
  if (from.contentEncoding !== undefined) settings.contentEncoding = from.contentEncoding;
  if (from.contentDisposition !== undefined) settings.contentDisposition = from.contentDisposition;
  if (from.contentLanguage !== undefined) settings.contentLanguage = from.contentLanguage;
  if (from.cacheControl !== undefined) settings.cacheControl = from.cacheControl;
  if (from.expires !== undefined) settings.expires = new Date(from.expires.getTime());
  if (from.metadata !== undefined) settings.metadata = { ...from.metadata };
  if (from.storageClass !== undefined) settings.storageClass = from.storageClass;
  if (from.tagging !== undefined) settings.tagging = { ...from.tagging };
  return settings;
}
