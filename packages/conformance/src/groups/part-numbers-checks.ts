/**
 * part-numbers: integers 1..maxParts (S3: 10,000) are accepted by uploadPart and uploadPartCopy;
 * 0, maxParts + 1, fractions and NaN are `InvalidArgument` and create nothing.
 */
import { checkBytes, expectError } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { checkNoParts, complete, copyPart, partSize, putSource } from '../check-helpers.js';
import type { CheckSpec } from '../define-checks.js';
import { defineChecks } from '../define-checks.js';
import { concatBytes, randomData } from '../test-data.js';

async function checkRefused(
  t: CheckContext,
  partNumber: (t: CheckContext) => number,
  label: string,
): Promise<void> {
  const source = await putSource(t, 10);
  const upload = await t.createUpload(t.key('dest'));
  const number = partNumber(t);
  await expectError(
    t.client.uploadPart({ ...upload, partNumber: number, body: randomData(5) }),
    'InvalidArgument',
    `uploadPart with partNumber ${label}`,
  );
  await expectError(
    copyPart(t, upload, number, { bucket: source.bucket, key: source.key }),
    'InvalidArgument',
    `uploadPartCopy with partNumber ${label}`,
  );
  await checkNoParts(t, upload, `partNumber ${label}`);
}

function refused<const Id extends `part-numbers.${string}`>(
  id: Id,
  label: string,
  partNumber: (t: CheckContext) => number,
): CheckSpec<Id> {
  return {
    id,
    title: `partNumber ${label} → InvalidArgument for uploadPart and uploadPartCopy`,
    run: (t) => checkRefused(t, partNumber, label),
  };
}

export const partNumbersChecks = defineChecks('part-numbers', [
  refused('part-numbers.zero', '0', () => 0),
  refused('part-numbers.negative', '-1', () => -1),
  refused('part-numbers.above-max', 'maxParts + 1 (S3: 10001)', (t) => t.capabilities.maxParts + 1),
  refused('part-numbers.fraction', '1.5', () => 1.5),
  refused('part-numbers.nan', 'NaN', () => Number.NaN),
  {
    id: 'part-numbers.one-and-max',
    title: 'parts 1 (uploaded) and maxParts (copied) are accepted and complete in order',
    async run(t) {
      const max = t.capabilities.maxParts;
      const source = await putSource(t, 20);
      const upload = await t.createUpload(t.key('dest'));
      const first = randomData(partSize(t));
      const p1 = await t.client.uploadPart({ ...upload, partNumber: 1, body: first });
      const pMax = await copyPart(t, upload, max, { bucket: source.bucket, key: source.key });
      await complete(t, upload, [
        { partNumber: 1, etag: p1.etag },
        { partNumber: max, etag: pMax.copyPartResult.etag },
      ]);
      checkBytes(
        await t.read(upload.key),
        concatBytes(first, source.bytes),
        'object of parts 1 and maxParts',
      );
    },
  },
]);
