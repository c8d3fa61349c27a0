/**
 * Secrets that may sneak into provider messages and errors, and their redaction.
 */

// Patterns for secrets that may sneak into provider messages: SAS query parameters, signed URL
// parameters, SSE-C headers and bearer tokens. Messages are redacted on construction.
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [
    /([?&](?:sig|se|sp|sv|sr|st|spr|skoid|sktid|skt|ske|sks|skv|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|X-Goog-Signature|X-Goog-Credential|AWSAccessKeyId|Signature)=)[^&\s"'<>]*/gi,
    '$1REDACTED',
  ],
  [
    /(x-amz-(?:copy-source-)?server-side-encryption-customer-key(?:-md5)?\s*[:=]\s*)[^\s,;"']+/gi,
    '$1REDACTED',
  ],
  [/(x-goog-encryption-(?:key|key-sha256)\s*[:=]\s*)[^\s,;"']+/gi, '$1REDACTED'],
  [/(x-ms-encryption-key(?:-sha256)?\s*[:=]\s*)[^\s,;"']+/gi, '$1REDACTED'],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1REDACTED'],
  [/(AccountKey=)[^;\s"']+/gi, '$1REDACTED'],
  [/(SharedAccessSignature=)[^;\s"']+/gi, '$1REDACTED'],
];

/** Removes signed-URL parameters, SSE-C keys, bearer tokens and account keys from text. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
