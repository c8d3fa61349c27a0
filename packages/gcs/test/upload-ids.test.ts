import { describe, expect, it } from 'vitest';
import { StagingNames } from '../src/gcs-staging-names.js';

describe('GCS upload ids', () => {
  it('start with a letter or digit, so command-line tools do not read them as options', () => {
    // base64url starts with `-` or `_` one time in 32: 2,000 ids without the rule all but
    // surely include some.
    const ids = Array.from({ length: 2000 }, () => StagingNames.newUploadId());
    expect(ids.filter((id) => !/^[A-Za-z0-9]/.test(id))).toEqual([]);
    expect(ids.every((id) => StagingNames.isUploadId(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
