/**
 * The errors the gateway answers with: S3's code, HTTP status and message. Store errors arrive
 * as PartCopyError (S3 codes already) and are mapped in s3-error-response.ts; what only the
 * gateway can say (signatures, malformed requests) is a GatewayError.
 */

/** S3 error codes the gateway produces itself, with their HTTP status. */
export const GATEWAY_ERROR_CODES = {
  AccessControlListNotSupported: 400,
  AccessDenied: 403,
  AccessForbidden: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadDigest: 400,
  BadRequest: 400,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  IncompleteBody: 400,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketAclWithObjectOwnership: 400,
  InvalidBucketName: 400,
  InvalidBucketState: 409,
  InvalidDigest: 400,
  InvalidTag: 400,
  InvalidToken: 400,
  InvalidPart: 400,
  InvalidPolicyDocument: 400,
  InvalidPartNumber: 416,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  KeyTooLongError: 400,
  MalformedACLError: 400,
  MalformedPOSTRequest: 400,
  MalformedXML: 400,
  MetadataTooLarge: 400,
  MethodNotAllowed: 405,
  MissingContentLength: 411,
  MissingSecurityHeader: 400,
  NoSuchBucket: 404,
  NoSuchBucketPolicy: 404,
  NoSuchCORSConfiguration: 404,
  NoSuchKey: 404,
  NoSuchPublicAccessBlockConfiguration: 404,
  NoSuchTagSet: 404,
  NoSuchUpload: 404,
  NotImplemented: 501,
  ObjectLockConfigurationNotFoundError: 404,
  OwnershipControlsNotFoundError: 404,
  PreconditionFailed: 412,
  RequestHeaderSectionTooLarge: 400,
  RequestTimeTooSkewed: 403,
  ServerSideEncryptionConfigurationNotFoundError: 404,
  SignatureDoesNotMatch: 403,
  UnexpectedContent: 400,
  UnresolvableGrantByEmailAddress: 400,
  XAmzContentSHA256Mismatch: 400,
  InternalError: 500,
} as const;

export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_CODES;

/** An S3 error answer the gateway decided itself. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: GatewayErrorCode;
  readonly status: number;
  /** Extra elements of the `<Error>` document (`ServerTime`, `ArgumentName`...). */
  readonly details: Readonly<Record<string, string>>;

  constructor(code: GatewayErrorCode, message: string, details: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.status = GATEWAY_ERROR_CODES[code];
    this.details = details;
  }
}
