import { first, parseBoolean } from './option-layers.js';
import type { OptionLayers, ResolvedOptions } from './provider-options.js';
import { tlsSettings } from './tls-options.js';

/** `s3://` options: endpoint, region, path style, credentials (or a profile), TLS. */
export async function s3Options({ flags, env, remote, cwd }: OptionLayers): Promise<ResolvedOptions> {
  const r = remote?.config ?? {};
  const endpoint = first(
    flags.endpoint,
    env.PARTCOPY_S3_ENDPOINT,
    env.AWS_ENDPOINT_URL_S3,
    env.AWS_ENDPOINT_URL,
    r.endpoint,
  );
  const region = first(
    flags.region,
    env.PARTCOPY_S3_REGION,
    env.AWS_REGION,
    env.AWS_DEFAULT_REGION,
    r.region,
  );
  const options: Record<string, unknown> = {};
  const clientConfig: Record<string, unknown> = {};
  if (endpoint) options.endpoint = endpoint;
  if (region) options.region = region;
  const pathStyle = first(env.PARTCOPY_S3_FORCE_PATH_STYLE, r.forcePathStyle?.toString());
  if (pathStyle) options.forcePathStyle = parseBoolean(pathStyle, 'PARTCOPY_S3_FORCE_PATH_STYLE');
  const { credentials, profile, source } = s3Credentials({ flags, env, remote, cwd });
  if (credentials) options.credentials = credentials;
  if (profile) clientConfig.profile = profile;
  // A profile's endpoint_url is applied by the SDK itself, but the provider picks path-style
  // addressing (which S3-compatible servers need) only for an endpoint it is given: read it with
  // the SDK's own shared-config loader and pass it on.
  if (!endpoint && profile) {
    const fromProfile = await profileEndpoint(profile, env);
    if (fromProfile) options.endpoint = fromProfile;
  }
  const tls = tlsSettings(flags, env.AWS_CA_BUNDLE, r, cwd);
  if (tls.agent) clientConfig.requestHandler = { httpsAgent: tls.agent };
  if (Object.keys(clientConfig).length > 0) options.clientConfig = clientConfig;
  return {
    options,
    summary: {
      endpoint: options.endpoint,
      region,
      profile,
      credentials: source,
      tls: tls.summary,
      remote: remote?.name,
    },
  };
}

// `endpoint_url` of the profile, or of its `services` section for s3, as the SDK reads them.
async function profileEndpoint(
  profile: string,
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  const files = await loadSharedConfigFiles({
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
  });
  const section = files.configFile?.[profile] ?? files.credentialsFile?.[profile];
  if (!section) return undefined;
  const services = section.services ? files.configFile?.[`services.${section.services}`] : undefined;
  return services?.['s3.endpoint_url'] ?? section.endpoint_url;
}

interface S3Credentials {
  credentials?: Record<string, string>;
  profile?: string;
  /** Where they come from, for `--debug` (never the values). */
  source: string;
}

// aws-cli's order: an explicit --profile beats key variables; then keys from the environment,
// then AWS_PROFILE, then the remote's keys or profile; else the SDK's default chain (SSO, IMDS, ...).
function s3Credentials({ flags, env, remote }: OptionLayers): S3Credentials {
  const r = remote?.config ?? {};
  if (flags.profile) return { profile: flags.profile, source: `profile ${flags.profile} (--profile)` };
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)
    return {
      credentials: keys(env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN),
      source: 'environment (AWS_ACCESS_KEY_ID)',
    };
  if (env.AWS_PROFILE)
    return { profile: env.AWS_PROFILE, source: `profile ${env.AWS_PROFILE} (AWS_PROFILE)` };
  if (r.accessKeyId && r.secretAccessKey)
    return {
      credentials: keys(r.accessKeyId, r.secretAccessKey, r.sessionToken),
      source: `remote ${remote?.name}`,
    };
  if (r.profile) return { profile: r.profile, source: `profile ${r.profile} (remote ${remote?.name})` };
  return { source: 'the AWS SDK default chain (environment, shared config and SSO, container, IMDS)' };
}

function keys(
  accessKeyId: string,
  secretAccessKey: string,
  sessionToken: string | undefined,
): Record<string, string> {
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}
