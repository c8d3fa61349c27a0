import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinHarness } from './bin-harness.js';

// Errors as a person at a terminal sees them: the real executable as a child process, with
// @partcopy/s3 installed next to it, against MinIO where a server must answer.
let bin: BinHarness;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the test servers' global set-up did not run`);
  return value;
}

const minio = () => ({
  AWS_ENDPOINT_URL: required('PARTCOPY_MINIO_ENDPOINT'),
  AWS_ACCESS_KEY_ID: required('PARTCOPY_MINIO_ACCESS_KEY'),
  AWS_SECRET_ACCESS_KEY: required('PARTCOPY_MINIO_SECRET_KEY'),
});

beforeAll(async () => {
  bin = await BinHarness.create(['s3']);
}, 120_000);
afterAll(() => bin.dispose());

/** The one error line (the first line of stderr) and everything after it. */
function firstLine(stderr: string): string {
  return stderr.split('\n')[0] as string;
}

describe('error lines say what failed, why and what to do', () => {
  it('a missing region names --region and AWS_REGION, with no status and no SDK wording', async () => {
    const run = await bin.run(['mb', 's3://some-bucket'], {
      env: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' },
    });
    expect(run.code).toBe(1);
    expect(firstLine(run.stderr)).toBe(
      'partcopy: InternalError: no region: pass --region or set AWS_REGION, or give the profile or remote a region',
    );
  });

  it('missing credentials read "Unable to locate credentials" and say where to put them', async () => {
    const run = await bin.run(['mb', 's3://some-bucket'], { env: { AWS_REGION: 'us-east-1' } });
    expect(run.code).toBe(1);
    expect(firstLine(run.stderr)).toMatch(
      /^partcopy: AccessDenied|^partcopy: InternalError: Unable to locate credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile/,
    );
    expect(run.stderr).toContain('Unable to locate credentials');
    expect(run.stderr).not.toMatch(/CredentialsProviderError|\(\d{3}\)|HTTP none/);
  });

  it('a refused connection names the endpoint and asks whether the server runs', async () => {
    const run = await bin.run(['head', 's3://b/k', '--endpoint-url', 'http://127.0.0.1:9'], {
      env: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' },
    });
    expect(run.code).toBe(1);
    expect(firstLine(run.stderr)).toBe(
      'partcopy: ServiceUnavailable: could not connect to http://127.0.0.1:9: is the server running?',
    );
  });

  it('a missing S3 object shows the store code and the status it answered, never UnknownError', async () => {
    const bucket = `pc-err-${randomBytes(4).toString('hex')}`;
    expect((await bin.run(['mb', `s3://${bucket}`], { env: minio() })).code).toBe(0);
    try {
      const run = await bin.run(['head', `s3://${bucket}/missing`], { env: minio() });
      expect(run.code).toBe(3);
      expect(firstLine(run.stderr)).toBe(
        'partcopy: NoSuchKey: the object does not exist (NotFound, HTTP 404 from the store)',
      );
      const json = await bin.run(['head', `s3://${bucket}/missing`, '--json'], { env: minio() });
      expect(JSON.parse(json.stderr).error).toMatchObject({
        code: 'NoSuchKey',
        status: 404,
        httpStatus: 404,
      });
    } finally {
      await bin.run(['rb', `s3://${bucket}`], { env: minio() });
    }
  });

  it('a wrong secret is AccessDenied with the store code and what to check', async () => {
    const run = await bin.run(['ls', 's3://any-bucket'], {
      env: { ...minio(), AWS_SECRET_ACCESS_KEY: 'not-the-secret' },
    });
    expect(run.code).toBe(1);
    expect(firstLine(run.stderr)).toMatch(
      /^partcopy: AccessDenied: .*\(SignatureDoesNotMatch, HTTP 403 from the store\); check the access key and secret/,
    );
    expect(run.stderr).not.toMatch(/UnknownError|Unknown \(|not-the-secret/);
  });

  it('a local check shows no HTTP status: a part size below the minimum', async () => {
    const run = await bin.run(['cp', 'mem://a/b', 'mem://a/c', '--part-size', '1']);
    expect(run.code).not.toBe(0);
    expect(firstLine(run.stderr)).not.toMatch(/\(\d{3}\)|HTTP/);
  });

  it('a scheme typo is named with the scheme meant', async () => {
    const run = await bin.run(['cp', 'fiel://demo/a', 'file://demo/b']);
    expect(run.code).toBe(5);
    expect(firstLine(run.stderr)).toMatch(
      /^partcopy: Unsupported: no provider is registered for "fiel:\/\/" \(registered: .*\); did you mean "file:\/\/"\?$/,
    );
  });

  it('unknown commands and options get a did-you-mean, with balanced quotes', async () => {
    const command = await bin.run(['lss', 'file://demo']);
    expect(command.code).toBe(2);
    expect(firstLine(command.stderr)).toBe('partcopy: unknown command "lss"; did you mean "ls"?');
    const option = await bin.run(['ls', 'file://demo', '--endpoint-ur', 'http://x']);
    expect(option.code).toBe(2);
    expect(firstLine(option.stderr)).toBe(
      'partcopy: unknown option --endpoint-ur; did you mean --endpoint-url?',
    );
  });

  it('--debug logs each request and response with its details and no secret', async () => {
    const run = await bin.run(['ls', 's3://no-such-bucket-pc', '--debug'], { env: minio() });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^partcopy debug store s3:\/\/ \{.*"endpoint":"http:\/\/127\.0\.0\.1:\d+".*"credentials":"environment/m,
    );
    expect(run.stderr).toMatch(/^partcopy debug \+\d+ms request \{.*"operation":"listObjects"/m);
    expect(run.stderr).toMatch(/^partcopy debug \+\d+ms error \{.*"code":"NoSuchBucket"/m);
    expect(run.stderr).not.toContain(required('PARTCOPY_MINIO_SECRET_KEY'));
  });
});
