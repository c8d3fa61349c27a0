// Issue 13, defect 5 (and the settings part of 4): object settings with wrong values
// reached the provider unvalidated. The provider contract says providers trust their input, so the
// facade must refuse these with InvalidArgument naming the field, before any provider call.
// They failed before the facade checked field types (core/src/client/field-types.ts).
import { PartCopyClient, PartCopyError } from '@partcopy/core';
import { describe, expect, it } from 'vitest';
import { createMemoryProvider } from '../src/index.js';

const WRONG_SETTINGS: [field: string, value: unknown][] = [
  ['expires', new Date(Number.NaN)],
  ['expires', 'tomorrow'],
  ['expires', 0],
  ['expires', null],
  ['expires', {}],
  ['contentType', 123],
  ['contentType', null],
  ['contentType', 'text/plain\r\nX-Injected: 1'],
  ['contentEncoding', 1],
  ['contentDisposition', 1],
  ['contentLanguage', 1],
  ['cacheControl', 1],
  ['storageClass', 1],
  ['metadata', 'x'],
  ['metadata', []],
  ['metadata', null],
  ['metadata', { a: 1 }],
  ['metadata', { a: null }],
  ['metadata', { 'bad name': 'v' }],
  ['metadata', { a: 'x\ny' }],
  ['tagging', 'x'],
  ['tagging', null],
  ['tagging', { a: 1 }],
];

const shown = (value: unknown) =>
  value instanceof Date
    ? 'Invalid Date'
    : typeof value === 'string'
      ? JSON.stringify(value)
      : String(JSON.stringify(value));

describe.each(['putObject', 'createMultipartUpload'] as const)('facade %s over memory', (operation) => {
  it.each(WRONG_SETTINGS.map(([field, value]) => [field, shown(value), value] as const))(
    '%s = %s is InvalidArgument naming the field, and nothing is stored',
    async (field, _, value) => {
      const client = new PartCopyClient(createMemoryProvider(), { retry: false });
      await client.createBucket({ bucket: 'bkt' });
      const input = {
        bucket: 'bkt',
        key: 'k',
        [field]: value,
        ...(operation === 'putObject' ? { body: 'x' } : {}),
      };
      const error = await (client[operation] as (i: unknown) => Promise<unknown>)(input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(PartCopyError.isInstance(error), `accepted ${field} = ${shown(value)}`).toBe(true);
      expect((error as PartCopyError).code).toBe('InvalidArgument');
      expect((error as PartCopyError).message).toContain(field);
      expect((await client.listObjects({ bucket: 'bkt' })).objects).toEqual([]);
      expect((await client.listMultipartUploads({ bucket: 'bkt' })).uploads).toEqual([]);
    },
  );
});
