// The peers the bench compares with, taken from Debian's packages and named by absolute path:
// a pip-installed aws-cli v1 (e.g. /root/.pyenv/shims/aws) may come first on PATH, and the
// comparison is meant to be with Debian's aws-cli v2.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export const RCLONE = '/usr/bin/rclone';
export const AWS = '/usr/bin/aws';
/** GNU time: peak RSS of a child process (`%M`). */
export const GNU_TIME = '/usr/bin/time';

const PACKAGES: Record<string, string> = { [RCLONE]: 'rclone', [AWS]: 'awscli', [GNU_TIME]: 'time' };

export interface Tools {
  rcloneVersion: string;
  awsVersion: string;
  /** Set when /usr/bin/aws is not aws-cli v2: its figures are then not the intended peer's. */
  awsWarning?: string;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The environment rclone 1.60 starts in: it refuses to start when AWS_CA_BUNDLE names a bundle it cannot load. */
export function rcloneEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.AWS_CA_BUNDLE;
  return copy;
}

/** Installs rclone, aws-cli and GNU time from Debian's packages when missing (as root). */
export function ensureTools(log: (line: string) => void): Tools {
  const missing = Object.keys(PACKAGES).filter((f) => !executable(f));
  if (missing.length > 0) {
    const names = missing.map((f) => PACKAGES[f] as string);
    if (process.getuid?.() !== 0) {
      throw new Error(
        `the bench needs ${missing.join(', ')}; install them with: sudo apt-get install -y ${names.join(' ')}`,
      );
    }
    log(`installing ${names.join(', ')} from Debian's packages (apt-get)`);
    // apt's progress goes to stderr so the bench's stdout stays the tables.
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 2, 2] });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...names], {
      stdio: ['ignore', 2, 2],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    const still = missing.filter((f) => !executable(f));
    if (still.length > 0)
      throw new Error(`apt-get install finished but ${still.join(', ')} is still missing`);
  }
  const rcloneVersion = execFileSync(RCLONE, ['version'], { env: rcloneEnv(process.env), encoding: 'utf8' })
    .split('\n')[0]
    ?.trim() as string;
  const awsVersion = execFileSync(AWS, ['--version'], { encoding: 'utf8' }).trim();
  const tools: Tools = { rcloneVersion, awsVersion };
  if (!awsVersion.startsWith('aws-cli/2')) {
    tools.awsWarning = `${AWS} is "${awsVersion}", not aws-cli v2; its figures are not the intended peer's`;
  }
  return tools;
}
