import { PartCopyError, type ProviderFactory, ProviderRegistry } from '@partcopy/core';
import { fsProviderFactory } from '@partcopy/fs';
import { memoryProviderFactory } from '@partcopy/memory';

/** A provider package loaded only when one of its URLs is used, so the CLI runs without the cloud SDKs. */
export interface LazyProvider {
  /** URL scheme (`s3`). */
  scheme: string;
  /** Package to import (`@partcopy/s3`). */
  packageName: string;
  /** The `ProviderFactory` it exports (`s3ProviderFactory`). */
  exportName: string;
}

/** The cloud providers: optional peer dependencies of the CLI (`gcs://` is an alias of `gs://`). */
export const LAZY_PROVIDERS: readonly LazyProvider[] = [
  { scheme: 's3', packageName: '@partcopy/s3', exportName: 's3ProviderFactory' },
  { scheme: 'az', packageName: '@partcopy/azure', exportName: 'azureProviderFactory' },
  { scheme: 'gs', packageName: '@partcopy/gcs', exportName: 'gcsProviderFactory' },
  { scheme: 'gcs', packageName: '@partcopy/gcs', exportName: 'gcsProviderFactory' },
];

/**
 * The registry the CLI uses by default: `file://` (@partcopy/fs) and `mem://` (@partcopy/memory)
 * built in; `s3://`, `az://` and `gs://` imported on first use from their packages.
 */
export function createDefaultRegistry(): ProviderRegistry {
  const registry = new ProviderRegistry();
  for (const lazy of LAZY_PROVIDERS) registry.register(lazyProviderFactory(lazy));
  registry.register(fsProviderFactory);
  registry.register(memoryProviderFactory);
  return registry;
}

/** A factory that imports its package on first use and fails with a clear "install ..." otherwise. */
export function lazyProviderFactory(
  lazy: LazyProvider,
  load: (name: string) => Promise<unknown> = importPackage,
): ProviderFactory {
  let loaded: Promise<ProviderFactory> | undefined;
  return {
    name: lazy.scheme,
    schemes: [lazy.scheme],
    async create(options, env) {
      loaded ??= loadFactory(lazy, load);
      return (await loaded).create(options, env);
    },
  };
}

// The specifier is a variable on purpose: bundlers and the type checker must not resolve these
// optional packages at build time.
function importPackage(name: string): Promise<unknown> {
  return import(name);
}

async function loadFactory(
  lazy: LazyProvider,
  load: (name: string) => Promise<unknown>,
): Promise<ProviderFactory> {
  let module: unknown;
  try {
    module = await load(lazy.packageName);
  } catch (error) {
    if (isModuleNotFound(error, lazy.packageName)) {
      throw new PartCopyError('Unsupported', `install ${lazy.packageName} to use ${lazy.scheme}:// URLs`, {
        operation: 'resolve',
      });
    }
    throw new PartCopyError(
      'InternalError',
      `${lazy.packageName} failed to load: ${(error as Error).message}`,
      {
        operation: 'resolve',
        cause: error,
      },
    );
  }
  const factory = (module as Record<string, unknown> | undefined)?.[lazy.exportName] as
    | ProviderFactory
    | undefined;
  if (!factory || typeof factory.create !== 'function') {
    throw new PartCopyError(
      'Unsupported',
      `${lazy.packageName} does not export ${lazy.exportName}; install a version of it that provides ${lazy.scheme}:// URLs`,
      { operation: 'resolve' },
    );
  }
  return factory;
}

function isModuleNotFound(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : '';
  return (
    (code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      /Cannot find (module|package)/.test(message)) &&
    message.includes(name)
  );
}
