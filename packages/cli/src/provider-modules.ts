import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PartCopyError, type ProviderFactory, type ProviderRegistry } from '@partcopy/core';

/**
 * Third-party providers: a package name or a file path (`--provider-module`, the config file's
 * `providers`, a remote's `providerModule`) is imported and every `ProviderFactory` it exports is
 * registered under its schemes. Whether its providers implement this contract version is checked
 * by the registry when one is opened (`Unsupported`, naming both versions).
 */
export async function registerProviderModule(
  registry: ProviderRegistry,
  specifier: string,
  cwd: string,
): Promise<ProviderFactory[]> {
  const module = await importModule(specifier, cwd);
  const factories = Object.values(module).filter(isProviderFactory);
  if (factories.length === 0) {
    throw new PartCopyError(
      'Unsupported',
      `provider module "${specifier}" exports no ProviderFactory (an object with name, schemes and create()); it may be built for another version of @partcopy/core`,
      { operation: 'resolve' },
    );
  }
  for (const factory of factories) registry.register(factory);
  return factories;
}

function isProviderFactory(value: unknown): value is ProviderFactory {
  const candidate = value as Partial<ProviderFactory> | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    Array.isArray(candidate.schemes) &&
    candidate.schemes.every((scheme) => typeof scheme === 'string') &&
    typeof candidate.create === 'function'
  );
}

// Paths are taken from the working folder; package names are looked up from the working folder
// first (a project's own node_modules), then from the CLI's install.
async function importModule(specifier: string, cwd: string): Promise<Record<string, unknown>> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  let target = specifier;
  if (isPath) target = pathToFileURL(resolve(cwd, specifier)).href;
  else {
    try {
      target = pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(specifier)).href;
    } catch {
      // not under the working folder: let import() look next to the CLI
    }
  }
  try {
    return (await import(target)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    throw new PartCopyError(
      'Unsupported',
      missing
        ? `provider module "${specifier}" not found: install it (npm install ${specifier}) or give a path`
        : `provider module "${specifier}" failed to load: ${(error as Error).message}`,
      { operation: 'resolve', cause: error },
    );
  }
}
