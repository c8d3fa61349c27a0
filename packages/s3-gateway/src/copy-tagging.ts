/**
 * CopyObject's `x-amz-tagging-directive`. The store contract copies tags with the metadata
 * (its one directive covers both), so the two S3 combinations where they differ are built from
 * the source's own description, read once and pinned by its ETag so the copy fails (412) rather
 * than mix two versions of the source:
 * - metadata REPLACE, tags COPY: the request's settings with the source's tags;
 * - metadata COPY, tags REPLACE: the source's settings with the request's `x-amz-tagging`.
 */
import type { ObjectSettings } from '@partcopy/core';
import type { parseCopySource } from '@partcopy/core/provider';
import { GatewayError } from './gateway-error.js';
import type { GatewayRequest } from './gateway-request.js';
import { withoutAclMetadata } from './object-acl-metadata.js';
import { copySourceSseFromHeaders, settingsFromHeaders } from './object-headers.js';
import { headerValue } from './sigv4-verifier.js';

export interface CopySettings {
  metadataDirective: 'COPY' | 'REPLACE';
  /** The destination's settings under REPLACE. */
  settings: ObjectSettings;
  /** The source ETag the settings were read from: the copy must find the same source. */
  pinnedEtag?: string;
}

export async function copySettings(
  request: GatewayRequest,
  source: ReturnType<typeof parseCopySource>,
  metadataDirective: 'COPY' | 'REPLACE',
  /** Under COPY, read the source's settings and write them (REPLACE) rather than let the store copy them. */
  writeSettings = false,
): Promise<CopySettings> {
  const headers = request.req.headers;
  const tagging = (headerValue(headers, 'x-amz-tagging-directive') ?? 'COPY').toUpperCase();
  if (tagging !== 'COPY' && tagging !== 'REPLACE') {
    throw new GatewayError('InvalidArgument', 'Unknown tagging directive.', {
      ArgumentName: 'x-amz-tagging-directive',
    });
  }
  const requested = settingsFromHeaders(headers);
  if (tagging === metadataDirective && !(writeSettings && metadataDirective === 'COPY')) {
    // REPLACE/REPLACE: exactly the request's settings and tags. COPY/COPY: the source's.
    return { metadataDirective, settings: metadataDirective === 'REPLACE' ? requested : {} };
  }
  const info = await request.client.headObject({
    bucket: source.bucket,
    key: source.key,
    ...(source.versionId ? { versionId: source.versionId } : {}),
    ...sourceSseCustomer(headers),
    abortSignal: request.signal,
  });
  const { tagging: requestedTags, ...requestedSettings } = requested;
  const settings: ObjectSettings =
    metadataDirective === 'REPLACE'
      ? { ...requestedSettings, ...(info.tagging ? { tagging: info.tagging } : {}) }
      : {
          ...settingsOf(info),
          ...(requested.storageClass ? { storageClass: requested.storageClass } : {}),
          ...(tagging === 'REPLACE'
            ? requestedTags
              ? { tagging: requestedTags }
              : {}
            : info.tagging
              ? { tagging: info.tagging }
              : {}),
        };
  return { metadataDirective: 'REPLACE', settings, pinnedEtag: info.etag };
}

function settingsOf(info: ObjectSettings): ObjectSettings {
  const settings: ObjectSettings = {};
  if (info.contentType !== undefined) settings.contentType = info.contentType;
  if (info.contentEncoding !== undefined) settings.contentEncoding = info.contentEncoding;
  if (info.contentDisposition !== undefined) settings.contentDisposition = info.contentDisposition;
  if (info.contentLanguage !== undefined) settings.contentLanguage = info.contentLanguage;
  if (info.cacheControl !== undefined) settings.cacheControl = info.cacheControl;
  if (info.expires !== undefined) settings.expires = info.expires;
  // The source's ACL is not the copy's (object-acl-metadata.ts).
  const metadata = withoutAclMetadata(info.metadata);
  if (metadata !== undefined) settings.metadata = metadata;
  return settings;
}

/** The copy source's SSE-C key, as a read of the source takes it. */
export function sourceSseCustomer(headers: GatewayRequest['req']['headers']) {
  const sse = copySourceSseFromHeaders(headers);
  return {
    ...(sse.copySourceSSECustomerAlgorithm
      ? { sseCustomerAlgorithm: sse.copySourceSSECustomerAlgorithm }
      : {}),
    ...(sse.copySourceSSECustomerKey ? { sseCustomerKey: sse.copySourceSSECustomerKey } : {}),
    ...(sse.copySourceSSECustomerKeyMD5 ? { sseCustomerKeyMD5: sse.copySourceSSECustomerKeyMD5 } : {}),
  };
}
