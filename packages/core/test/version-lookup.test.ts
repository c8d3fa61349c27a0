import { unusableVersionError } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';

const context = { bucket: 'b', key: 'k' };

describe('unusableVersionError', () => {
  it('is NoSuchKey (404) without a version id, whether nothing or a delete marker is current', () => {
    for (const found of ['none', 'deleteMarker'] as const) {
      const error = unusableVersionError(found, false, 'read', context);
      expect([error.code, error.status, error.key]).toEqual(['NoSuchKey', 404, 'k']);
    }
  });

  it('is NoSuchVersion (404) for an unknown version id', () => {
    const error = unusableVersionError('none', true, 'copy-source', context);
    expect([error.code, error.status]).toEqual(['NoSuchVersion', 404]);
  });

  it('refuses a version id naming a delete marker: 400 for a copy source, 405 MethodNotAllowed for a read', () => {
    const copy = unusableVersionError('deleteMarker', true, 'copy-source', context);
    expect([copy.code, copy.status, copy.providerCode]).toEqual(['InvalidRequest', 400, undefined]);
    const read = unusableVersionError('deleteMarker', true, 'read', context);
    expect([read.code, read.status, read.providerCode]).toEqual(['InvalidRequest', 405, 'MethodNotAllowed']);
  });
});
