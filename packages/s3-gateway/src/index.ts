/**
 * `@partcopy/s3-gateway`: the S3 REST API over any partcopy store. Every S3 client (aws-cli,
 * rclone, boto3, the AWS SDKs) gets S3's operations, UploadPartCopy included, on Azure Blob,
 * GCS, a local folder, memory or a third-party provider, with SigV4 authentication and S3's
 * error codes.
 *
 * @packageDocumentation
 */

export { BUCKET_CONFIG_KEY, type ObjectOwnership } from './bucket-config-document.js';
export { GATEWAY_ERROR_CODES, GatewayError, type GatewayErrorCode } from './gateway-error.js';
export type { GatewayMetrics } from './gateway-metrics.js';
export type { BucketListing, RequestLogEntry, S3GatewayOptions } from './gateway-options.js';
export { createS3Gateway, type ListenOptions, S3Gateway } from './s3-gateway.js';
export type { GatewayCredential } from './sigv4-verifier.js';
