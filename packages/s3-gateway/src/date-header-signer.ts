/**
 * SigV4 for requests dated by the HTTP `Date` header instead of `x-amz-date` (S3 accepts either;
 * some older clients and hand-written scripts sign `date`). @smithy/signature-v4's `sign()`
 * always removes `date` and adds and signs `x-amz-date`, so it cannot reproduce such a signature;
 * this subclass uses the same signer's own canonical-request, string-to-sign and signing-key steps
 * with the headers the client signed, `date` among them.
 */
import { ALGORITHM_IDENTIFIER, getCanonicalHeaders, SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';

export class DateHeaderSigner extends SignatureV4 {
  /** The signature of `request` (its signed headers only) at `signingDate`, in `region`. */
  async signatureOf(
    request: HttpRequest,
    signedHeaders: ReadonlySet<string>,
    payloadHash: string,
    signingDate: Date,
    region: string,
  ): Promise<string> {
    const { longDate, shortDate } = this.formatDate(signingDate);
    const scope = `${shortDate}/${region}/s3/aws4_request`;
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(signedHeaders));
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const stringToSign = await this.createStringToSign(
      longDate,
      scope,
      canonicalRequest,
      ALGORITHM_IDENTIFIER,
    );
    return this.sign(stringToSign, { signingDate, signingRegion: region, signingService: 's3' });
  }
}
