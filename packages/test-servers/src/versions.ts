// Every server version the test suite runs against, pinned in one place. Changing a value here
// makes `install` build or download that version into its own cache folder; old folders stay
// until the cache is cleared.

/** MinIO community edition is published as source only; `go install` builds it (slow). */
export const MINIO = {
  module: 'github.com/minio/minio',
  // Newest commit on the module proxy when pinned (MinIO is in maintenance mode, no semver tags).
  version: 'v0.0.0-20260212201848-7aac2a2c5b7c',
  binary: 'minio',
} as const;

/** fake-gcs-server: a GCS JSON API emulator. */
export const FAKE_GCS_SERVER = {
  module: 'github.com/fsouza/fake-gcs-server',
  version: 'v1.56.1',
  binary: 'fake-gcs-server',
} as const;

/**
 * Toxiproxy: the TCP fault injector between clients and servers in the fault matrix (resets,
 * stalls, slow bodies, lost answers). Its server command is the module's `cmd/server` package,
 * which `go install` names `server`.
 */
export const TOXIPROXY = {
  module: 'github.com/Shopify/toxiproxy/v2/cmd/server',
  version: 'v2.12.0',
  binary: 'toxiproxy-server',
  built: 'server',
} as const;

/** moto: the second, independent S3 implementation, run as `moto_server` from a venv. */
export const MOTO = {
  requirement: 'moto[server]',
  version: '5.2.5',
} as const;

/**
 * Azurite, from the npm registry, installed with npm into the cache (not into the workspace: its
 * dependency tree is large and, at 3.37.0, resolves `applicationinsights@^3.16.0` to 3.17.0,
 * which asks for an `@azure/monitor-opentelemetry` release the registry does not have, so a plain
 * install fails). `overrides` pins the transitive packages that need it.
 */
export const AZURITE = {
  package: 'azurite',
  version: '3.37.0',
  overrides: { applicationinsights: '3.16.0' } as Readonly<Record<string, string>>,
} as const;

/**
 * redis-server from Debian (the distribution's own build), unpacked into the cache with
 * `apt-get download` + `dpkg -x` rather than installed: no system service is started or left
 * behind, and no root is needed once the package lists exist. The shared libraries Debian's build
 * links against beyond a base system come along; the version is whatever the lists hold for
 * `redis-server` and is recorded in the cache's marker.
 */
export const REDIS = {
  packages: ['redis-server', 'redis-tools', 'libjemalloc2', 'liblzf1'],
  folder: 'debian',
} as const;
