import { createHash } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';
import type { FetchLike } from '../../src/index.js';

/** One request as the provider sent it. */
export interface RecordedRequest {
  method: string;
  /** `/storage/v1/...` or `/upload/storage/v1/...`, segments decoded. */
  path: string;
  segments: string[];
  query: Record<string, string>;
  headers: Record<string, string>;
  json?: unknown;
}

interface StoredObject {
  bucket: string;
  name: string;
  data: Buffer;
  generation: number;
  metageneration: number;
  updated: string;
  md5Hash?: string;
  crc32c: string;
  componentCount?: number;
  contentType?: string;
  cacheControl?: string;
  storageClass: string;
  metadata?: Record<string, string>;
  keySha256?: string;
}

type Hook = (request: RecordedRequest) => Response | undefined | Promise<Response | undefined>;

/**
 * A small in-memory GCS JSON API behind an injectable `fetch`, for unit tests. Unlike
 * fake-gcs-server it enforces what the provider relies on (generations, per-source compose
 * preconditions, source pins, the 32-source limit, composites without MD5) and records every
 * request so tests can assert exactly what was sent.
 */
export class RecordingGcs {
  readonly requests: RecordedRequest[] = [];
  readonly buckets = new Map<string, Map<string, StoredObject>>();
  /** Runs before each request; a returned Response is answered instead. */
  hook: Hook | undefined;
  /** Delay every compose by this many ms (to observe concurrency). */
  composeDelayMs = 0;
  #generation = 1_700_000_000_000_000;
  #inFlightCompose = 0;
  maxInFlightCompose = 0;

  readonly fetch: FetchLike = async (url, init) => {
    const parsed = new URL(url);
    const segments = parsed.pathname.split('/').slice(1).map(decodeURIComponent);
    const headers = Object.fromEntries(
      Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const rawBody =
      init.body === undefined || init.body === null
        ? undefined
        : Buffer.from(
            await new Response(init.body as ConstructorParameters<typeof Response>[0]).arrayBuffer(),
          );
    const request: RecordedRequest = {
      method: init.method ?? 'GET',
      path: `/${segments.join('/')}`,
      segments,
      query: Object.fromEntries(parsed.searchParams),
      headers,
    };
    if (rawBody && headers['content-type']?.startsWith('application/json'))
      request.json = JSON.parse(rawBody.toString());
    this.requests.push(request);
    if (init.signal?.aborted) throw init.signal.reason;
    const hooked = await this.hook?.(request);
    if (hooked) return hooked;
    return this.#route(request, rawBody);
  };

  /** Requests whose path ends with `/compose`. */
  composeRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.segments.at(-1) === 'compose');
  }

  /** Buckets created with versioning on: their metadata says so (the fake keeps no old versions). */
  readonly versioned = new Set<string>();

  addBucket(name: string, versioning = false): void {
    this.buckets.set(name, new Map());
    if (versioning) this.versioned.add(name);
  }

  object(bucket: string, name: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.get(name);
  }

  names(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort();
  }

  async #route(r: RecordedRequest, body: Buffer | undefined): Promise<Response> {
    const s = r.segments;
    if (s[0] === 'upload') return this.#insert(s[4] as string, r, body as Buffer);
    // storage v1 b BUCKET [o NAME [compose | rewriteTo b DB o DN]]
    const bucketName = s[3];
    if (s.length === 3 && r.method === 'POST') {
      const { name, versioning } = r.json as { name: string; versioning?: { enabled?: boolean } };
      if (this.buckets.has(name)) return error(409, 'conflict', 'You already own this bucket.');
      this.addBucket(name, versioning?.enabled === true);
      return json({ name });
    }
    const bucket = bucketName === undefined ? undefined : this.buckets.get(bucketName);
    if (!bucket) return error(404, 'notFound', 'The specified bucket does not exist.');
    if (s.length === 4) {
      if (r.method === 'DELETE') {
        if (bucket.size > 0) return error(409, 'conflict', 'The bucket you tried to delete is not empty.');
        this.buckets.delete(bucketName as string);
        return new Response(null, { status: 204 });
      }
      return json({ name: bucketName, versioning: { enabled: this.versioned.has(bucketName as string) } });
    }
    if (s.length === 5) return this.#list(bucket, r);
    const name = s[5] as string;
    if (s[6] === 'compose') return this.#compose(bucketName as string, bucket, name, r);
    if (s[6] === 'rewriteTo') return this.#rewrite(bucket, name, s[8] as string, s[10] as string, r);
    const object = bucket.get(name);
    if (r.method === 'DELETE') {
      if (!object || (r.query.generation && r.query.generation !== String(object.generation)))
        return error(404, 'notFound', 'No such object');
      bucket.delete(name);
      return new Response(null, { status: 204 });
    }
    if (!object || (r.query.generation && r.query.generation !== String(object.generation)))
      return error(404, 'notFound', `No such object: ${name}`);
    if (r.query.ifGenerationMatch && r.query.ifGenerationMatch !== String(object.generation))
      return error(412, 'conditionNotMet', 'Precondition Failed');
    if (r.query.ifMetagenerationMatch && r.query.ifMetagenerationMatch !== String(object.metageneration))
      return error(412, 'conditionNotMet', 'Precondition Failed');
    if (r.query.alt !== 'media') return json(resource(object));
    const range = /^bytes=(\d+)-(\d+)$/.exec(r.headers.range ?? '');
    if (!range) return new Response(object.data, { status: 200 });
    const start = Number(range[1]);
    const end = Math.min(Number(range[2]), object.data.length - 1);
    return new Response(object.data.subarray(start, end + 1), { status: 206 });
  }

  #store(
    bucket: string,
    name: string,
    data: Buffer,
    settings: Partial<StoredObject>,
    ifGenerationMatch: string | undefined,
  ): Response | StoredObject {
    const objects = this.buckets.get(bucket);
    if (!objects) return error(404, 'notFound', 'The specified bucket does not exist.');
    const current = objects.get(name);
    if (ifGenerationMatch !== undefined && ifGenerationMatch !== String(current?.generation ?? 0)) {
      return error(412, 'conditionNotMet', 'At least one of the pre-conditions you specified did not hold.');
    }
    const crc = new CRC32C();
    crc.update(data);
    const object: StoredObject = {
      storageClass: 'STANDARD',
      ...settings,
      bucket,
      name,
      data,
      generation: ++this.#generation,
      metageneration: 1,
      updated: new Date().toISOString(),
      crc32c: crc.toString(),
    };
    if (settings.componentCount === undefined)
      object.md5Hash = createHash('md5').update(data).digest('base64');
    objects.set(name, object);
    return object;
  }

  #insert(bucket: string, r: RecordedRequest, body: Buffer): Response {
    const boundary = /boundary=([^;]+)/.exec(r.headers['content-type'] ?? '')?.[1] as string;
    const text = body.toString('latin1');
    const firstHeadersEnd = text.indexOf('\r\n\r\n');
    const jsonEnd = text.indexOf(`\r\n--${boundary}\r\n`, firstHeadersEnd);
    const meta = JSON.parse(
      body.subarray(firstHeadersEnd + 4, jsonEnd).toString('utf8'),
    ) as Partial<StoredObject> & { name: string };
    const dataStart = text.indexOf('\r\n\r\n', jsonEnd + 4) + 4;
    const dataEnd = text.lastIndexOf(`\r\n--${boundary}--`);
    const data = body.subarray(dataStart, dataEnd);
    const { name, ...settings } = meta;
    if (r.headers['x-goog-encryption-key-sha256'])
      settings.keySha256 = r.headers['x-goog-encryption-key-sha256'];
    const stored = this.#store(bucket, name, Buffer.from(data), settings, r.query.ifGenerationMatch);
    return stored instanceof Response ? stored : json(resource(stored));
  }

  #list(bucket: Map<string, StoredObject>, r: RecordedRequest): Response {
    const prefix = r.query.prefix ?? '';
    const after = r.query.pageToken ?? r.query.startOffset ?? '';
    const max = Number(r.query.maxResults ?? 1000);
    const names = [...bucket.keys()].filter((n) => n.startsWith(prefix) && n >= after).sort();
    const page = names.slice(0, max);
    const next = names[max];
    return json({
      items: page.map((n) => resource(bucket.get(n) as StoredObject)),
      ...(next ? { nextPageToken: next } : {}),
    });
  }

  #rewrite(
    bucket: Map<string, StoredObject>,
    sourceName: string,
    destinationBucket: string,
    destinationName: string,
    r: RecordedRequest,
  ): Response {
    const source = bucket.get(sourceName);
    if (!source || (r.query.sourceGeneration && r.query.sourceGeneration !== String(source.generation)))
      return error(404, 'notFound', 'No such object');
    if (r.query.ifSourceGenerationMatch && r.query.ifSourceGenerationMatch !== String(source.generation))
      return error(412, 'conditionNotMet', 'Precondition Failed');
    if (
      r.query.ifSourceMetagenerationMatch &&
      r.query.ifSourceMetagenerationMatch !== String(source.metageneration)
    )
      return error(412, 'conditionNotMet', 'Precondition Failed');
    const body = (r.json ?? {}) as Partial<StoredObject>;
    const stored = this.#store(
      destinationBucket,
      destinationName,
      source.data,
      { ...body, ...(source.componentCount ? { componentCount: source.componentCount } : {}) },
      r.query.ifGenerationMatch,
    );
    if (stored instanceof Response) return stored;
    return json({
      done: true,
      totalBytesRewritten: String(source.data.length),
      objectSize: String(source.data.length),
      resource: resource(stored),
    });
  }

  async #compose(
    bucketName: string,
    bucket: Map<string, StoredObject>,
    name: string,
    r: RecordedRequest,
  ): Promise<Response> {
    this.#inFlightCompose++;
    this.maxInFlightCompose = Math.max(this.maxInFlightCompose, this.#inFlightCompose);
    try {
      if (this.composeDelayMs) await new Promise((resolve) => setTimeout(resolve, this.composeDelayMs));
      const request = r.json as {
        sourceObjects: Array<{
          name: string;
          generation?: string;
          objectPreconditions?: { ifGenerationMatch?: string };
        }>;
        destination?: Partial<StoredObject>;
      };
      if (request.sourceObjects.length < 1 || request.sourceObjects.length > 32)
        return error(400, 'invalid', 'The number of source components provided must be between 1 and 32');
      const parts: StoredObject[] = [];
      for (const source of request.sourceObjects) {
        const object = bucket.get(source.name);
        if (!object || (source.generation && source.generation !== String(object.generation)))
          return error(404, 'notFound', `No such object: ${source.name}`);
        const want = source.objectPreconditions?.ifGenerationMatch;
        if (want !== undefined && want !== String(object.generation))
          return error(412, 'conditionNotMet', 'Precondition Failed');
        parts.push(object);
      }
      const components = parts.reduce((sum, part) => sum + (part.componentCount ?? 1), 0);
      const stored = this.#store(
        bucketName,
        name,
        Buffer.concat(parts.map((p) => p.data)),
        { ...request.destination, componentCount: components },
        r.query.ifGenerationMatch,
      );
      return stored instanceof Response ? stored : json(resource(stored));
    } finally {
      this.#inFlightCompose--;
    }
  }
}

function resource(object: StoredObject): Record<string, unknown> {
  const { data, generation, metageneration, keySha256, ...rest } = object;
  return {
    ...rest,
    size: String(data.length),
    generation: String(generation),
    metageneration: String(metageneration),
    ...(keySha256 ? { customerEncryption: { encryptionAlgorithm: 'AES256', keySha256 } } : {}),
  };
}

function json(value: unknown): Response {
  return new Response(JSON.stringify(value), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
}

/** A GCS JSON error answer. */
export function error(status: number, reason: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code: status, message, errors: [{ reason, message }] } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}
