/**
 * PostObject: browser-based uploads (an HTML form posted to the bucket). The form carries its own
 * authentication, a SigV4 signature over a base64 policy whose conditions bound what may be
 * uploaded; without one the upload is served only with `anonymous: true`. The file is spooled
 * to a temporary file first: the store needs a body of known length, and a form's file length is
 * known only once it has been read (its bytes never sit in memory).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { quoteEtag } from '@partcopy/core/provider';
import { bucketAccess, checkBucketOperation, principalOf } from './access-control.js';
import { checkAclHeaders, withObjectAcl } from './acl-operations.js';
import { refuseReservedKey } from './bucket-config-document.js';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import { settingsFromHeaders, sseCustomerFromHeaders, sseFromHeaders } from './object-headers.js';
import { type PostedFile, type PostFields, readPostForm } from './post-form.js';
import { checkPostPolicy, type PostPolicy } from './post-policy.js';
import { parseXmlBody } from './xml-codec.js';
import { sendEmpty, sendXml } from './xml-response.js';

/** S3's largest single upload (PutObject and POST). */
const MAX_UPLOAD_BYTES = 5 * 1024 ** 3;

// Fields that authenticate or steer the request; the others describe the object (as headers).
const CONTROL_FIELDS = new Set([
  'key',
  'policy',
  'x-amz-signature',
  'awsaccesskeyid',
  'signature',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-security-token',
  'success_action_status',
  'success_action_redirect',
  'redirect',
  'tagging',
  'acl',
]);

export async function postObject(request: GatewayRequest): Promise<void> {
  const stored = await readPostForm(request, (fields, file) => storeFile(request, fields, file));
  answer(request, stored.fields, stored.key, stored.etag);
}

async function storeFile(
  request: GatewayRequest,
  fields: PostFields,
  file: PostedFile,
): Promise<{ fields: PostFields; key: string; etag: string }> {
  const bucket = bucketOf(request);
  const template = fields.get('key');
  if (template === undefined || template === '') {
    throw new GatewayError('InvalidArgument', "Bucket POST must contain a field named 'key'.", {
      ArgumentName: 'key',
    });
  }
  // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal key variable, not a template
  const key = template.replaceAll('${filename}', file.filename);
  refuseReservedKey(key);
  // The policy's conditions on the key apply to the key the object gets (file name substituted).
  const policy = await authorize(request, new Map(fields).set('key', key));
  const headers = objectHeaders(fields);
  checkAclHeaders('PutObject', headers, request.access?.aclsEnabled ?? false);
  const settings = withObjectAcl(request, settingsFromHeaders(headers), headers);
  const dir = await mkdtemp(join(tmpdir(), 'pc-gateway-post-'));
  try {
    const path = join(dir, 'file');
    const size = await spool(file, path, policy.lengthRange?.max ?? MAX_UPLOAD_BYTES, request.signal);
    if (policy.lengthRange && size < policy.lengthRange.min) {
      throw new GatewayError(
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed size',
        {
          ProposedSize: String(size),
          MinSizeAllowed: String(policy.lengthRange.min),
        },
      );
    }
    const tagging = fields.get('tagging');
    const result = await request.client.putObject({
      bucket,
      key,
      body: createReadStream(path),
      contentLength: size,
      ...settings,
      ...(tagging === undefined ? {} : { tagging: tagsOf(tagging) }),
      ...sseFromHeaders(headers),
      ...sseCustomerFromHeaders(headers),
      abortSignal: request.signal,
    });
    if (result.versionId) request.res.setHeader('x-amz-version-id', result.versionId);
    return { fields, key, etag: result.etag };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// A signed form: its signature, then its policy; its signer must be allowed to write to the
// bucket. Unsigned: as any anonymous request, through the bucket's ACL or an anonymous gateway
// (a policy it carries still binds).
async function authorize(request: GatewayRequest, fields: PostFields): Promise<PostPolicy> {
  const policy = fields.get('policy');
  const signer = await verifySigner(request, fields);
  request.principal = principalOf(request.options.users, signer);
  const access = await bucketAccess(request, bucketOf(request));
  request.access = access;
  checkBucketOperation(request, access, 'PostObject');
  return policy === undefined
    ? {}
    : checkPostPolicy(policy, fields, bucketOf(request), request.options.now());
}

// The access key that signed the form, or undefined for an unsigned one.
async function verifySigner(request: GatewayRequest, fields: PostFields): Promise<string | undefined> {
  if (fields.has('x-amz-signature')) {
    for (const name of ['policy', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date']) {
      if (!fields.has(name)) {
        throw new GatewayError('InvalidArgument', `Bucket POST must contain a field named '${name}'.`, {
          ArgumentName: name,
        });
      }
    }
    return request.verifier.verifyPostSignature(fields);
  }
  if (fields.has('awsaccesskeyid')) return request.verifierV2.verifyPostSignature(fields);
  return undefined;
}

function objectHeaders(fields: PostFields): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of fields) if (!CONTROL_FIELDS.has(name)) headers[name] = value;
  const acl = fields.get('acl');
  if (acl !== undefined) headers['x-amz-acl'] = acl;
  return headers;
}

// A POST's `tagging` field is a Tagging XML document (not PutObject's URL-encoded header).
function tagsOf(xml: string): Record<string, string> {
  const tagging = parseXmlBody(xml, 'Tagging') as { TagSet?: { Tag?: unknown } };
  const tags: Record<string, string> = {};
  for (const tag of [tagging.TagSet?.Tag ?? []].flat() as Array<{ Key?: unknown; Value?: unknown }>) {
    tags[String(tag.Key ?? '')] = String(tag.Value ?? '');
  }
  return tags;
}

async function spool(file: PostedFile, path: string, max: number, signal: AbortSignal): Promise<number> {
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > max) {
        done(
          new GatewayError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
            MaxSizeAllowed: String(max),
          }),
        );
        return;
      }
      done(null, chunk);
    },
  });
  await pipeline(file.stream, limit, createWriteStream(path), { signal });
  if ((file.stream as { truncated?: boolean }).truncated) {
    throw new GatewayError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
  }
  return size;
}

// success_action_redirect: 303 to it; success_action_status 200 or 201 (with a PostResponse);
// otherwise 204, as S3 answers.
function answer(request: GatewayRequest, fields: PostFields, key: string, etag: string): void {
  const bucket = bucketOf(request);
  const host = request.req.headers.host ?? 'localhost';
  const scheme = (request.req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const location = `${scheme}://${host}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const quoted = quoteEtag(etag);
  request.res.setHeader('etag', quoted);
  request.res.setHeader('location', location);
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect !== undefined && /^https?:\/\//i.test(redirect)) {
    const target = new URL(redirect);
    target.searchParams.set('bucket', bucket);
    target.searchParams.set('key', key);
    target.searchParams.set('etag', quoted);
    request.res.setHeader('location', target.toString());
    sendEmpty(request, 303);
    return;
  }
  const status = fields.get('success_action_status');
  if (status === '201') {
    sendXml(request, 'PostResponse', { Location: location, Bucket: bucket, Key: key, ETag: quoted }, 201);
    return;
  }
  sendEmpty(request, status === '200' ? 200 : 204);
}
