import { randomBytes } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinHarness, PACKAGES_DIR } from './bin-harness.js';

// Flags, profiles, remotes and each store's usual ways in, through the real executable (a child
// process with only the variables a test gives it) against MinIO, Azurite and fake-gcs-server.
let bin: BinHarness;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the test servers' global set-up did not run`);
  return value;
}

const name = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  bin = await BinHarness.create(['s3', 'azure', 'gcs']);
}, 120_000);
afterAll(() => bin.dispose());

/** Runs and fails with the command's stderr unless it exits 0. */
async function ok(args: string[], env: Record<string, string | undefined> = {}) {
  const run = await bin.run(args, { env });
  if (run.code !== 0) throw new Error(`partcopy ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run;
}

describe('s3:// with aws-cli flags, profiles and remotes (MinIO)', () => {
  const keys = () => ({
    AWS_ACCESS_KEY_ID: required('PARTCOPY_MINIO_ACCESS_KEY'),
    AWS_SECRET_ACCESS_KEY: required('PARTCOPY_MINIO_SECRET_KEY'),
  });

  it('--endpoint-url and --region are global flags of every command', async () => {
    const bucket = name('pc-flags');
    const flags = ['--endpoint-url', required('PARTCOPY_MINIO_ENDPOINT'), '--region', 'us-east-1'];
    await ok(['mb', `s3://${bucket}`, ...flags], keys());
    await writeFile(join(bin.dir, 'a.txt'), 'hello');
    await ok(['put', 'a.txt', `s3://${bucket}/a.txt`, ...flags], keys());
    await ok(['cp', `s3://${bucket}/a.txt`, `s3://${bucket}/b.txt`, ...flags], keys());
    const listed = await ok(['--json', ...flags, 'ls', `s3://${bucket}`], keys());
    expect(JSON.parse(listed.stdout).objects.map((o: { key: string }) => o.key)).toEqual(['a.txt', 'b.txt']);
  });

  it('--profile (and AWS_PROFILE) take keys, region and endpoint_url from the shared config files', async () => {
    const folder = join(bin.dir, 'aws');
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'config'),
      `[profile lab]\nregion = us-east-1\nendpoint_url = ${required('PARTCOPY_MINIO_ENDPOINT')}\n`,
    );
    await writeFile(
      join(folder, 'credentials'),
      `[lab]\naws_access_key_id = ${required('PARTCOPY_MINIO_ACCESS_KEY')}\naws_secret_access_key = ${required('PARTCOPY_MINIO_SECRET_KEY')}\n`,
    );
    const files = {
      AWS_CONFIG_FILE: join(folder, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(folder, 'credentials'),
    };
    const bucket = name('pc-profile');
    await ok(['mb', `s3://${bucket}`, '--profile', 'lab'], files);
    await ok(['ls', `s3://${bucket}`], { ...files, AWS_PROFILE: 'lab' });
    // An explicit --profile wins over key variables, as in aws-cli.
    await ok(['ls', `s3://${bucket}`, '--profile', 'lab'], {
      ...files,
      AWS_ACCESS_KEY_ID: 'wrong',
      AWS_SECRET_ACCESS_KEY: 'wrong',
    });
    const missing = await bin.run(['ls', `s3://${bucket}`, '--profile', 'nope'], { env: files });
    expect(missing.code).toBe(1);
    expect(missing.stderr).not.toMatch(/Error\b.*Error|\(\d{3}\)/);
  });

  it('a remote in the config file (mode 0600) works as remote:bucket/key and remote://, secrets never printed', async () => {
    const secret = required('PARTCOPY_MINIO_SECRET_KEY');
    await ok([
      'config',
      'add',
      'lab',
      's3',
      '--endpoint-url',
      required('PARTCOPY_MINIO_ENDPOINT'),
      `accessKeyId=${required('PARTCOPY_MINIO_ACCESS_KEY')}`,
      `secretAccessKey=${secret}`,
    ]);
    const file = join(bin.dir, 'config', 'partcopy', 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const list = await ok(['config', 'list']);
    expect(list.stdout).toMatch(/^lab\s+s3\s+http:\/\/127\.0\.0\.1:\d+$/m);
    const show = await ok(['config', 'show', 'lab', '--json']);
    expect(JSON.parse(show.stdout)).toMatchObject({ name: 'lab', type: 's3', secretAccessKey: '(set)' });
    expect(list.stdout + show.stdout).not.toContain(secret);

    const bucket = name('pc-remote');
    await ok(['mb', `lab:${bucket}`]);
    await writeFile(join(bin.dir, 'r.txt'), 'remote');
    await ok(['put', 'r.txt', `lab:${bucket}/r.txt`]);
    expect((await ok(['get', `lab://${bucket}/r.txt`, '-'])).stdout).toBe('remote');

    // Precedence: the environment beats the remote, a flag beats both.
    const envWins = await bin.run(['ls', `lab:${bucket}`], {
      env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
    });
    expect(envWins.stderr).toContain('could not connect to http://127.0.0.1:9');
    const flagWins = await bin.run(['ls', `lab:${bucket}`, '--endpoint-url', 'http://127.0.0.1:7'], {
      env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
    });
    expect(flagWins.stderr).toContain('could not connect to http://127.0.0.1:7');

    await ok(['config', 'remove', 'lab']);
    const gone = await bin.run(['config', 'show', 'lab']);
    expect(gone.code).toBe(2);
  });

  it('--ca-bundle trusts a private CA; --no-verify-ssl skips the check; neither says what to do', async () => {
    const endpoint = ['--endpoint-url', required('PARTCOPY_MINIO_TLS_ENDPOINT')];
    const bucket = name('pc-tls');
    const untrusted = await bin.run(['mb', `s3://${bucket}`, ...endpoint], { env: keys() });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr.split('\n')[0]).toMatch(/pass --ca-bundle FILE, or --no-verify-ssl/);
    await ok(
      ['mb', `s3://${bucket}`, ...endpoint, '--ca-bundle', required('PARTCOPY_MINIO_TLS_CA_FILE')],
      keys(),
    );
    await ok(['ls', `s3://${bucket}`, ...endpoint, '--no-verify-ssl'], keys());
  });
});

/** The SDK's own account SAS for Azurite, made with @azure/storage-blob from the azure package. */
interface BlobSdk {
  StorageSharedKeyCredential: new (account: string, key: string) => unknown;
  generateAccountSASQueryParameters(
    options: Record<string, unknown>,
    credential: unknown,
  ): { toString(): string };
  AccountSASPermissions: { parse(text: string): unknown };
  AccountSASResourceTypes: { parse(text: string): { toString(): string } };
  AccountSASServices: { parse(text: string): { toString(): string } };
}

async function accountSas(): Promise<string> {
  const path = createRequire(join(PACKAGES_DIR, 'azure', 'package.json')).resolve('@azure/storage-blob');
  const loaded = (await import(pathToFileURL(path).href)) as BlobSdk & { default?: BlobSdk };
  const blob =
    typeof loaded.generateAccountSASQueryParameters === 'function' ? loaded : (loaded.default as BlobSdk);
  const credential = new blob.StorageSharedKeyCredential(
    required('PARTCOPY_AZURITE_ACCOUNT'),
    required('PARTCOPY_AZURITE_KEY'),
  );
  return blob
    .generateAccountSASQueryParameters(
      {
        expiresOn: new Date(Date.now() + 3_600_000),
        permissions: blob.AccountSASPermissions.parse('rwdlac'),
        resourceTypes: blob.AccountSASResourceTypes.parse('sco').toString(),
        services: blob.AccountSASServices.parse('b').toString(),
      },
      credential,
    )
    .toString();
}

describe('az:// ways in (Azurite)', () => {
  const endpoint = () => required('PARTCOPY_AZURITE_BLOB_ENDPOINT');

  it('account name + key with --endpoint-url', async () => {
    const container = name('pc-key');
    const env = {
      AZURE_STORAGE_ACCOUNT: required('PARTCOPY_AZURITE_ACCOUNT'),
      AZURE_STORAGE_KEY: required('PARTCOPY_AZURITE_KEY'),
    };
    await ok(['mb', `az://${container}`, '--endpoint-url', endpoint()], env);
    await writeFile(join(bin.dir, 'k.txt'), 'key');
    await ok(['put', 'k.txt', `az://${container}/k.txt`, '--endpoint-url', endpoint()], env);
    await ok(
      ['cp', `az://${container}/k.txt`, `az://${container}/k2.txt`, '--endpoint-url', endpoint()],
      env,
    );
  });

  it('a SAS URL alone (AZURE_STORAGE_SAS_URL), the secret never printed', async () => {
    const sas = await accountSas();
    const env = { AZURE_STORAGE_SAS_URL: `${endpoint()}?${sas}` };
    const container = name('pc-sas');
    await ok(['mb', `az://${container}`], env);
    await writeFile(join(bin.dir, 's.txt'), 'sas');
    await ok(['put', 's.txt', `az://${container}/s.txt`], env);
    expect((await ok(['get', `az://${container}/s.txt`, '-'], env)).stdout).toBe('sas');
    const debug = await ok(['ls', `az://${container}`, '--debug'], env);
    expect(debug.stderr).toContain('"credentials":"SAS URL"');
    expect(debug.stderr).not.toContain(new URLSearchParams(sas).get('sig') as string);
  });

  it('no account at all says every way in', async () => {
    const run = await bin.run(['ls', 'az://c']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('AZURE_STORAGE_CONNECTION_STRING');
    expect(run.stderr).toContain('AZURE_STORAGE_SAS_URL');
  });
});

describe('gs:// ways in (fake-gcs-server)', () => {
  it('STORAGE_EMULATOR_HOST alone: mb works without GOOGLE_CLOUD_PROJECT and no warning leaks', async () => {
    const env = { STORAGE_EMULATOR_HOST: required('PARTCOPY_GCS_ENDPOINT') };
    const bucket = name('pc-emu');
    const made = await ok(['mb', `gs://${bucket}`], env);
    expect(made.stderr).toBe('');
    const listed = await ok(['ls', `gs://${bucket}`], env);
    expect(listed.stderr).not.toMatch(/Warning/);
  });

  it('GOOGLE_APPLICATION_CREDENTIALS names the project', async () => {
    await writeFile(
      join(bin.dir, 'key.json'),
      JSON.stringify({
        type: 'service_account',
        project_id: 'from-key-file',
        client_email: 'x@y',
        private_key: 'none',
      }),
    );
    const env = { GOOGLE_APPLICATION_CREDENTIALS: join(bin.dir, 'key.json') };
    const debug = await bin.run(
      ['ls', 'gs://any', '--endpoint-url', required('PARTCOPY_GCS_ENDPOINT'), '--debug'],
      { env },
    );
    expect(debug.stderr).toContain('"project":"from-key-file"');
  });

  it('mb with credentials that name no project says how to give one', async () => {
    await writeFile(
      join(bin.dir, 'no-project.json'),
      JSON.stringify({ type: 'service_account', client_email: 'x@y', private_key: 'none' }),
    );
    const run = await bin.run(
      ['mb', 'gs://pc-no-project', '--endpoint-url', required('PARTCOPY_GCS_ENDPOINT')],
      {
        env: { GOOGLE_APPLICATION_CREDENTIALS: join(bin.dir, 'no-project.json') },
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(
      'partcopy: InternalError: no Google Cloud project: set GOOGLE_CLOUD_PROJECT, use credentials that name one (GOOGLE_APPLICATION_CREDENTIALS with project_id), or give the remote project=...',
    );
  });

  it('no credentials at all on the real endpoint say how to sign in, on one line', async () => {
    const run = await bin.run(['ls', 'gs://any-bucket'], { env: { GOOGLE_CLOUD_PROJECT: 'p' } });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toMatch(
      /no Google credentials: run "gcloud auth application-default login"/,
    );
    expect(run.stderr).not.toMatch(/MetadataLookupWarning/);
  }, 300_000);
});
