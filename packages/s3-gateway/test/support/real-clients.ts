/**
 * The real S3 clients the gateway is proved with: aws-cli v2, boto3 and rclone, found on this
 * machine. A missing client fails the suite loudly with how to install it (never a skip).
 * scripts/test.sh installs aws-cli v2 and rclone from Debian; boto3 comes from PyPI.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClientResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RealClients {
  aws: string;
  rclone: string;
  python: string;
}

/** aws-cli v2, rclone and a Python with boto3, or an error saying what is missing and how to get it. */
export async function findRealClients(
  env: Record<string, string | undefined> = process.env,
): Promise<RealClients> {
  const aws = env.PARTCOPY_AWS_CLI ?? '/usr/bin/aws';
  const rclone = env.PARTCOPY_RCLONE ?? '/usr/bin/rclone';
  const python = env.PARTCOPY_PYTHON ?? 'python3';
  const problems: string[] = [];
  if (!existsSync(aws))
    problems.push(`aws-cli v2 not found at ${aws} (apt-get install awscli, or set PARTCOPY_AWS_CLI)`);
  else {
    const version = await runClient(aws, ['--version'], {});
    if (!/^aws-cli\/2\./.test(version.stdout + version.stderr)) {
      problems.push(`${aws} is not aws-cli v2: ${(version.stdout + version.stderr).trim()}`);
    }
  }
  if (!existsSync(rclone))
    problems.push(`rclone not found at ${rclone} (apt-get install rclone, or set PARTCOPY_RCLONE)`);
  const boto = await runClient(python, ['-c', 'import boto3; print(boto3.__version__)'], {});
  if (boto.code !== 0)
    problems.push(`${python} cannot import boto3 (pip install boto3, or set PARTCOPY_PYTHON)`);
  if (problems.length > 0) throw new Error(`real S3 clients missing:\n- ${problems.join('\n- ')}`);
  return { aws, rclone, python };
}

/** Runs a client; a non-zero exit is a result, not an exception. */
export async function runClient(
  file: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 300_000,
): Promise<ClientResult> {
  try {
    const { stdout, stderr } = await run(file, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: timeoutMs,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof e.code !== 'number')
      return { code: -1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Environment for aws-cli and boto3 that ignores the user's own AWS configuration. */
export function awsEnv(accessKey: string, secretKey: string, home: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: accessKey,
    AWS_SECRET_ACCESS_KEY: secretKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: `${home}/aws-config`,
    AWS_SHARED_CREDENTIALS_FILE: `${home}/aws-credentials`,
    AWS_PAGER: '',
    HOME: home,
  };
}

/** An rclone remote named `gw` on the gateway, from environment variables only. */
export function rcloneEnv(
  endpoint: string,
  accessKey: string,
  secretKey: string,
  home: string,
): Record<string, string> {
  return {
    RCLONE_CONFIG: `${home}/rclone.conf`,
    RCLONE_CONFIG_GW_TYPE: 's3',
    RCLONE_CONFIG_GW_PROVIDER: 'Other',
    RCLONE_CONFIG_GW_ENV_AUTH: 'false',
    RCLONE_CONFIG_GW_ACCESS_KEY_ID: accessKey,
    RCLONE_CONFIG_GW_SECRET_ACCESS_KEY: secretKey,
    RCLONE_CONFIG_GW_ENDPOINT: endpoint,
    RCLONE_CONFIG_GW_REGION: 'us-east-1',
    RCLONE_CONFIG_GW_FORCE_PATH_STYLE: 'true',
    HOME: home,
  };
}
