import { type ParseArgsConfig, parseArgs } from 'node:util';
import { PartCopyError, ProviderRegistry } from '@partcopy/core';
import { type CliIo, processIo } from './cli-io.js';
import {
  CommandContext,
  type CommandOutcome,
  type CommandSpec,
  GLOBAL_OPTIONS,
  type OptionSpecs,
  type OptionValues,
} from './command.js';
import { COMMAND_FAMILIES, COMMANDS, findCommand } from './command-table.js';
import { type CliConfig, findConfigPath, readConfig } from './config-file.js';
import { formatDebugEvent, formatDebugStore } from './debug-log.js';
import { createDefaultRegistry } from './default-registry.js';
import { didYouMean } from './did-you-mean.js';
import type { ErrorSetting } from './error-text.js';
import { formatEvent } from './event-log.js';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import { commandHelp, familyHelp, mainHelp } from './help.js';
import { errorJson, errorLine, errorWhere, toHumanLines, toJsonText, writeLine } from './output.js';
import { NO_PROGRESS, ProgressBar, type ProgressPhase, type ProgressSink, phaseOf } from './progress-bar.js';
import { registerProviderModule } from './provider-modules.js';
import type { FlagSettings } from './provider-options.js';
import { StoreSet } from './stores.js';
import { asUsageError, UsageError } from './usage-error.js';
import { CLI_VERSION } from './version.js';

/**
 * Runs one `partcopy` command line (`argv` without the node and script paths) and resolves to
 * its exit code; it never throws and never calls `process.exit`. Tests pass `io` to capture
 * output, set the environment and folder, interrupt with a signal, or bring their own registry.
 */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const full: CliIo = { ...processIo(), ...io };
  let json = argv.includes('--json');
  try {
    const parsed = parseCommandLine(argv, full);
    if (typeof parsed === 'number') return parsed;
    json = parsed.values.json === true;
    return await execute(parsed.command, parsed.values, parsed.positionals, full);
  } catch (error) {
    return reportError(error, full, json, false);
  }
}

interface ParsedCommandLine {
  command: CommandSpec;
  values: OptionValues;
  positionals: string[];
}

/** Finds the command and parses its options; prints help or the version and returns 0 when asked for. */
function parseCommandLine(argv: readonly string[], io: CliIo): ParsedCommandLine | number {
  const { leading, index } = leadingGlobalOptions(argv);
  const word = argv[index];
  if (word === undefined || word === 'help') {
    const topic = word === 'help' ? argv.slice(index + 1).join(' ') : '';
    if (leading.includes('--version') || leading.includes('-V')) return printed(io, `${CLI_VERSION}\n`);
    if (word === undefined && !leading.some((arg) => arg === '--help' || arg === '-h')) {
      io.stderr.write(mainHelp(CLI_VERSION));
      return EXIT_CODES.usage;
    }
    return printed(io, helpFor(topic));
  }
  let name = word;
  let rest = argv.slice(index + 1);
  if (COMMAND_FAMILIES.has(word)) {
    const sub = rest[0];
    if (sub === undefined || sub.startsWith('-')) {
      if (rest.includes('--help') || rest.includes('-h') || leading.includes('--help'))
        return printed(io, familyHelp(word));
      throw new UsageError(`"${word}" needs a subcommand`, word);
    }
    name = `${word} ${sub}`;
    rest = rest.slice(1);
  }
  const command = findCommand(name);
  if (!command) throw new UsageError(`unknown command "${name}"${suggestion(name)}`);
  let values: OptionValues;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...leading, ...rest],
      options: parseArgsOptions({ ...GLOBAL_OPTIONS, ...command.options }),
      allowPositionals: true,
      strict: true,
    }) as { values: OptionValues; positionals: string[] });
  } catch (error) {
    throw asUsageError(error, command.name, [
      ...Object.keys(GLOBAL_OPTIONS),
      ...Object.keys(command.options),
    ]);
  }
  if (values.help === true) return printed(io, commandHelp(command));
  checkArguments(command, values, positionals);
  return { command, values, positionals };
}

async function execute(
  command: CommandSpec,
  values: OptionValues,
  positionals: string[],
  io: CliIo,
): Promise<number> {
  const signal = io.signal ?? new AbortController().signal;
  // `config` commands edit the file; they must work even when it names a module that fails.
  const config = command.name.startsWith('config ') ? undefined : await readConfig(findConfigPath(io.env));
  const stores = openStores(values, io, config);
  const args = positionals.map((arg) => stores.expandRemote(arg));
  const json = values.json === true;
  const quiet = values.quiet === true;
  logEvents(stores, values, io);
  const progress = (label: string, total?: number): ProgressSink => {
    if (json || quiet || !io.stderr.isTTY) return NO_PROGRESS;
    const bar = new ProgressBar(io.stderr, { label, total, intervalMs: io.progressIntervalMs });
    return command.name === 'cp' ? withPhases(bar, stores) : bar;
  };
  const ctx = new CommandContext({
    command: command.name,
    values,
    positionals: args,
    io,
    stores,
    signal,
    progress,
  });
  try {
    await registerSchemes(stores, values, config, args, io.cwd);
    const outcome = await command.run(ctx);
    printOutcome(outcome, io, json, quiet);
    return EXIT_CODES.ok;
  } catch (error) {
    const setting = stores.errorSetting(PartCopyError.isInstance(error) ? error.provider : undefined);
    return reportError(withCommand(error, command.name), io, json, signal.aborted, setting);
  } finally {
    await stores.close();
  }
}

// The command's stores, on a copy of the registry: remotes and provider modules are registered
// for this command only, never into a registry the caller passed in and may reuse.
function openStores(values: OptionValues, io: CliIo, config: CliConfig | undefined): StoreSet {
  return new StoreSet({
    registry: copyRegistry(io.registry ?? createDefaultRegistry()),
    env: io.env,
    cwd: io.cwd,
    dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined,
    flags: flagSettings(values),
    config,
    onOpen:
      values.debug === true
        ? (scheme, summary) => writeLine(io.stderr, formatDebugStore(scheme, summary))
        : undefined,
  });
}

// Provider modules first, then the remotes (a remote's name wins over a module's scheme), then
// the check that every URL on the command line has a provider.
async function registerSchemes(
  stores: StoreSet,
  values: OptionValues,
  config: CliConfig | undefined,
  args: readonly string[],
  cwd: string,
): Promise<void> {
  for (const module of providerModules(values, config, stores, args))
    await registerProviderModule(stores.registry, module, cwd);
  stores.registerRemotes();
  stores.checkSchemes(args);
}

// `--debug`: every event with all its fields; `--verbose`: one short line per call event.
function logEvents(stores: StoreSet, values: OptionValues, io: CliIo): void {
  if (values.debug === true) {
    const started = performance.now();
    stores.on((event) => {
      const line = formatDebugEvent(event, started);
      if (line) writeLine(io.stderr, line);
    });
  } else if (values.verbose === true) {
    stores.on((event) => {
      const line = formatEvent(event);
      if (line) writeLine(io.stderr, line);
    });
  }
}

// cp's bar shows its phase (plan, copy, complete, verify), read from the calls the stores report.
function withPhases(bar: ProgressBar, stores: StoreSet): ProgressSink {
  let current: ProgressPhase | undefined;
  const off = stores.on((event) => {
    const next = phaseOf(event, current);
    if (next === undefined || next === current) return;
    current = next;
    bar.phase(next);
  });
  return {
    update: (done, total) => bar.update(done, total),
    phase: (phase) => bar.phase(phase),
    finish: () => {
      off();
      bar.finish();
    },
  };
}

function copyRegistry(source: ProviderRegistry): ProviderRegistry {
  const copy = new ProviderRegistry();
  for (const scheme of source.schemes()) {
    const factory = source.factory(scheme);
    copy.register({
      name: factory.name,
      schemes: [scheme],
      create: (options, env) => factory.create(options, env),
    });
  }
  return copy;
}

function flagSettings(values: OptionValues): FlagSettings {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  return {
    endpoint: text('endpoint-url'),
    region: text('region'),
    profile: text('profile'),
    caBundle: text('ca-bundle'),
    verifySsl: values['no-verify-ssl'] === true ? false : undefined,
  };
}

// Provider modules to load: `--provider-module`, the config file's `providers`, and the module of
// each remote the command line names.
function providerModules(
  values: OptionValues,
  config: CliConfig | undefined,
  stores: StoreSet,
  positionals: readonly string[],
): string[] {
  const flag = values['provider-module'];
  const modules = [...(Array.isArray(flag) ? flag : typeof flag === 'string' ? [flag] : [])];
  modules.push(...(config?.providers ?? []));
  const schemes = positionals.map((arg) => /^([a-z][a-z0-9+.-]*):\/\//i.exec(arg)?.[1]);
  if (typeof values.store === 'string') schemes.push(values.store.replace(/:\/\/$/, ''));
  for (const scheme of schemes) {
    const module = scheme === undefined ? undefined : stores.remote(scheme)?.config.providerModule;
    if (module) modules.push(module);
  }
  return [...new Set(modules)];
}

// Option values a command checks itself (sizes, numbers) fail without knowing the command; name
// it so the hint points at that command's --help.
function withCommand(error: unknown, command: string): unknown {
  if (!(error instanceof UsageError) || error.command !== undefined) return error;
  return new UsageError(error.message, command);
}

function printOutcome(outcome: CommandOutcome, io: CliIo, json: boolean, quiet: boolean): void {
  if (outcome.result === undefined && outcome.human === undefined) return;
  if (json) {
    writeLine(io.stdout, toJsonText(outcome.result));
    return;
  }
  if (quiet) return;
  for (const line of outcome.human ?? toHumanLines(outcome.result)) writeLine(io.stdout, line);
}

function reportError(
  error: unknown,
  io: CliIo,
  json: boolean,
  interrupted: boolean,
  setting: ErrorSetting = {},
): number {
  const code = exitCodeFor(error, interrupted);
  if (json) {
    writeLine(
      io.stderr,
      toJsonText({ ...errorJson(error, code, setting), ...(interrupted ? { interrupted: true } : {}) }),
    );
    return code;
  }
  const line = errorLine(error, setting);
  writeLine(io.stderr, interrupted ? `partcopy: interrupted (${line.replace(/^partcopy: /, '')})` : line);
  const where = errorWhere(error);
  if (where && !interrupted) writeLine(io.stderr, where);
  return code;
}

/** Global options written before the command (`partcopy --json ls ...`) and where the command starts. */
function leadingGlobalOptions(argv: readonly string[]): { leading: string[]; index: number } {
  const leading: string[] = [];
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index] as string;
    if (!arg.startsWith('-') || arg === '-' || arg === '--') break;
    leading.push(arg);
    const name = arg.replace(/^--?/, '');
    const spec =
      GLOBAL_OPTIONS[name] ?? Object.values(GLOBAL_OPTIONS).find((option) => option.short === name);
    if (spec?.type === 'string' && !arg.includes('=') && index + 1 < argv.length)
      leading.push(argv[++index] as string);
    index++;
  }
  return { leading, index };
}

function checkArguments(command: CommandSpec, values: OptionValues, positionals: string[]): void {
  const { min, max } = command.positionals;
  if (positionals.length < min || positionals.length > max) {
    const expected = min === max ? `${min}` : max >= 1000 ? `at least ${min}` : `${min} to ${max}`;
    const got = positionals.length === 0 ? 'none' : positionals.map((p) => `"${p}"`).join(' ');
    throw new UsageError(
      `expected ${expected} argument${max === 1 ? '' : 's'} (${command.usage}), got ${got}`,
      command.name,
    );
  }
  const missing = Object.entries(command.options)
    .filter(([name, spec]) => spec.required && (values[name] === undefined || values[name] === ''))
    .map(([name]) => `--${name}`);
  if (missing.length > 0)
    throw new UsageError(
      `missing required option${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      command.name,
    );
}

function parseArgsOptions(options: OptionSpecs): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(options)) {
    out[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  return out;
}

function helpFor(topic: string): string {
  if (!topic) return mainHelp(CLI_VERSION);
  if (COMMAND_FAMILIES.has(topic)) return familyHelp(topic);
  const command = findCommand(topic);
  if (!command) throw new UsageError(`unknown command "${topic}"${suggestion(topic)}`);
  return commandHelp(command);
}

function printed(io: CliIo, text: string): number {
  io.stdout.write(text);
  return EXIT_CODES.ok;
}

// A typo ("lss") gets the closest names; a near miss ("upload-partcopy", "list") the commands
// that share a word with it.
function suggestion(name: string): string {
  const names = [...COMMANDS.map((c) => c.name), ...COMMAND_FAMILIES];
  const close = didYouMean(name, names);
  if (close) return close;
  const words = name.split(/[\s-]+/).filter((word) => word.length > 2);
  const sharing = COMMANDS.map((c) => c.name).filter((candidate) =>
    words.some((word) => candidate.includes(word)),
  );
  return sharing.length > 0
    ? `; did you mean ${sharing.map((c) => `"${c}"`).join(' or ')}?`
    : '; run "partcopy --help" for the list';
}
