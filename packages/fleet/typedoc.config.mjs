// Documents every entry of this package's `exports` (see scripts/typedoc-entry-points.ts).
import { fileURLToPath } from 'node:url';
import { typedocEntryPoints } from '../../scripts/typedoc-entry-points.ts';

export default { entryPoints: await typedocEntryPoints(fileURLToPath(new URL('.', import.meta.url))) };
