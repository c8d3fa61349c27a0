import { describe, expect, it } from 'vitest';
import { requireServerEnv, SERVER_ENV_VARS, SERVER_NAMES } from '../src/index.ts';
import { formatExports } from '../src/state.ts';

describe('requireServerEnv', () => {
  it('returns the variables of a server when all are set', () => {
    const env = {
      PARTCOPY_GCS_ENDPOINT: 'http://127.0.0.1:1234',
      PARTCOPY_GCS_PROJECT: 'p',
    };
    expect(requireServerEnv('gcs', env)).toEqual(env);
  });

  it('throws naming the server, the missing variables and how to start it', () => {
    const env = { PARTCOPY_MINIO_ENDPOINT: 'http://127.0.0.1:1' };
    expect(() => requireServerEnv('minio-tls', env)).toThrowError(
      /MinIO over TLS.*"minio-tls".*PARTCOPY_MINIO_TLS_ENDPOINT, PARTCOPY_MINIO_TLS_CA_FILE, PARTCOPY_MINIO_ACCESS_KEY, PARTCOPY_MINIO_SECRET_KEY are not set.*cli\.ts start/s,
    );
  });

  it('covers every server and keeps the agreed variable names', () => {
    expect([...SERVER_NAMES].sort()).toEqual(Object.keys(SERVER_ENV_VARS).sort());
    expect(Object.values(SERVER_ENV_VARS).flat().sort()).toEqual(
      [
        'PARTCOPY_AZURITE_ACCOUNT',
        'PARTCOPY_AZURITE_BLOB_ENDPOINT',
        'PARTCOPY_AZURITE_CONNECTION_STRING',
        'PARTCOPY_AZURITE_KEY',
        'PARTCOPY_GCS_ENDPOINT',
        'PARTCOPY_GCS_PROJECT',
        'PARTCOPY_MINIO_ACCESS_KEY',
        'PARTCOPY_MINIO_ACCESS_KEY',
        'PARTCOPY_MINIO_ENDPOINT',
        'PARTCOPY_MINIO_SECRET_KEY',
        'PARTCOPY_MINIO_SECRET_KEY',
        'PARTCOPY_MINIO_TLS_CA_FILE',
        'PARTCOPY_MINIO_TLS_ENDPOINT',
        'PARTCOPY_REDIS_URL',
        'PARTCOPY_S3ALT_ACCESS_KEY',
        'PARTCOPY_S3ALT_ENDPOINT',
        'PARTCOPY_S3ALT_NAME',
        'PARTCOPY_S3ALT_SECRET_KEY',
        'PARTCOPY_TOXIPROXY_URL',
      ].sort(),
    );
  });
});

describe('formatExports', () => {
  it('quotes values for a POSIX shell', () => {
    expect(formatExports({ A: 'plain', B: "it's; $x" })).toBe("export A='plain'\nexport B='it'\\''s; $x'");
  });
});
