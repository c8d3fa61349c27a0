import { PartCopyClient, PartCopyError } from '@partcopy/core';
import { recordingProvider } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';

const base = { bucket: 'dst', key: 'k', uploadId: 'u1', partNumber: 1, copySource: 'src/a' };

async function rejection(promise: Promise<unknown>): Promise<PartCopyError> {
  try {
    await promise;
  } catch (error) {
    if (PartCopyError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

// A number sent as text (from a form, a query string, a CLI) must not be reported as if it were
// the valid number: "got 2" for the string "2" reads as if 2 were refused.
describe('validation messages show what was really given', () => {
  it('a part number given as a string is quoted', async () => {
    const client = new PartCopyClient(recordingProvider());
    const error = await rejection(client.uploadPartCopy({ ...base, partNumber: '2' as unknown as number }));
    expect(error.code).toBe('InvalidArgument');
    expect(error.message).toContain('(got "2")');
  });

  it('a range bound given as a string is quoted', async () => {
    const client = new PartCopyClient(recordingProvider());
    const range = { start: '0', end: 9 } as unknown as { start: number; end: number };
    const error = await rejection(client.uploadPartCopy({ ...base, copySourceRange: range }));
    expect(error.code).toBe('InvalidArgument');
    expect(error.message).toContain('got "0"');
  });
});
