/**
 * S3 metadata names (any token: `made-by`, `x.y`) as Azure metadata names, which must be C#
 * identifiers. Names that already are identifiers are kept; every other name, and any name
 * starting with the escape prefix, is stored as `pcx_` + hex of its UTF-8 bytes and decoded on
 * read, so S3 names round-trip exactly. Values are stored as given (Azure takes ASCII values),
 * except the empty value, which Azure does not keep (the name is dropped): such a name is stored
 * as `pce_` + hex of its bytes with a placeholder value, and read back with "". Names starting
 * with `pcr_` are partcopy's own records (parts-record.ts): never shown, a user name so starting
 * is escaped.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ESCAPE_PREFIX = 'pcx_';
const EMPTY_PREFIX = 'pce_';
/** Metadata names starting with this are partcopy's own, never user metadata. */
export const RESERVED_METADATA_PREFIX = 'pcr_';
const ESCAPED = /^pcx_((?:[0-9a-f]{2})+)$/;
const EMPTY_VALUED = /^pce_((?:[0-9a-f]{2})+)$/;
// Azure keeps no empty value; any non-empty one stands for it under an EMPTY_PREFIX name.
const EMPTY_PLACEHOLDER = '-';

/** The Azure name for an S3 metadata name. */
export function toAzureMetadataName(name: string): string {
  const lower = name.toLowerCase();
  const ours = [ESCAPE_PREFIX, EMPTY_PREFIX, RESERVED_METADATA_PREFIX].some((p) => lower.startsWith(p));
  if (IDENTIFIER.test(name) && !ours) return name;
  return `${ESCAPE_PREFIX}${Buffer.from(name, 'utf8').toString('hex')}`;
}

/** The S3 metadata name an Azure name stands for. */
export function fromAzureMetadataName(name: string): string {
  const match = ESCAPED.exec(name.toLowerCase());
  return match ? Buffer.from(match[1] as string, 'hex').toString('utf8') : name;
}

export function toAzureMetadata(
  metadata: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!metadata) return undefined;
  return Object.fromEntries(
    Object.entries(metadata).map(([name, value]) =>
      value === ''
        ? [`${EMPTY_PREFIX}${Buffer.from(name, 'utf8').toString('hex')}`, EMPTY_PLACEHOLDER]
        : [toAzureMetadataName(name), value],
    ),
  );
}

export function fromAzureMetadata(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata)
      .filter(([name]) => !name.toLowerCase().startsWith(RESERVED_METADATA_PREFIX))
      .map(([name, value]) => {
        const empty = EMPTY_VALUED.exec(name.toLowerCase());
        if (empty) return [Buffer.from(empty[1] as string, 'hex').toString('utf8'), ''];
        return [fromAzureMetadataName(name), value];
      }),
  );
}
