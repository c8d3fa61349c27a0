/**
 * S3 metadata names (any token: `made-by`, `x.y`) as Azure metadata names, which must be C#
 * identifiers. Names that already are identifiers are kept; every other name, and any name
 * starting with the escape prefix, is stored as `pcx_` + hex of its UTF-8 bytes and decoded on
 * read, so S3 names round-trip exactly. Values are stored as given (Azure takes ASCII values).
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ESCAPE_PREFIX = 'pcx_';
const ESCAPED = /^pcx_((?:[0-9a-f]{2})+)$/;

/** The Azure name for an S3 metadata name. */
export function toAzureMetadataName(name: string): string {
  if (IDENTIFIER.test(name) && !name.toLowerCase().startsWith(ESCAPE_PREFIX)) return name;
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
    Object.entries(metadata).map(([name, value]) => [toAzureMetadataName(name), value]),
  );
}

export function fromAzureMetadata(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).map(([name, value]) => [fromAzureMetadataName(name), value]),
  );
}
