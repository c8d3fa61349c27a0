import { type CommandSpec, GLOBAL_OPTIONS, type OptionSpecs } from './command.js';
import { COMMAND_GROUPS, COMMANDS } from './command-table.js';

/** `partcopy --help`: every command with its summary, the global options, URLs and exit codes. */
export function mainHelp(version: string): string {
  const lines = [
    `partcopy ${version}: S3 UploadPartCopy semantics on every store, from a terminal`,
    '',
    'Usage: partcopy <command> [arguments] [options]',
  ];
  for (const group of COMMAND_GROUPS) {
    lines.push('', `${group.title}:`);
    for (const command of group.commands) lines.push(`  ${command.name.padEnd(27)} ${command.summary}`);
  }
  lines.push(
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    `  ${'--version'.padEnd(27)} print the version`,
    '',
    'URLs: scheme://bucket/key',
    '  file://   local folders under --data-dir ($PARTCOPY_FS_ROOT, default ./.partcopy-data; created on use)',
    '  mem://    in memory, for the life of one command',
    '  s3://  az://  gs://   need @partcopy/s3, @partcopy/azure, @partcopy/gcs installed next to the CLI',
    '  NAME:bucket/key       a remote of the config file (partcopy config add NAME TYPE ...)',
    '  Store settings: flags, then environment variables, then the remote (see the README).',
    '',
    'Exit codes: 0 ok, 1 operation failed, 2 usage error, 3 not found, 4 precondition failed,',
    '            5 unsupported by the store, 130 interrupted (the started upload is aborted)',
    '',
    'Run "partcopy <command> --help" for a command\'s options and examples.',
  );
  return `${lines.join('\n')}\n`;
}

/** `partcopy <command> --help`. */
export function commandHelp(command: CommandSpec): string {
  const lines = [`Usage: partcopy ${command.name} ${command.usage}`, '', `${capitalise(command.summary)}.`];
  if (command.description) lines.push('', ...command.description);
  if (Object.keys(command.options).length > 0) lines.push('', 'Options:', ...optionLines(command.options));
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  if (command.examples?.length)
    lines.push('', 'Examples:', ...command.examples.map((example) => `  ${example}`));
  return `${lines.join('\n')}\n`;
}

/** `partcopy uploads --help`: the subcommands of a family. */
export function familyHelp(family: string): string {
  const members = COMMANDS.filter((command) => command.name.startsWith(`${family} `));
  const lines = [
    `Usage: partcopy ${family} <${members.map((c) => c.name.slice(family.length + 1)).join('|')}> ...`,
    '',
  ];
  for (const command of members) lines.push(`  ${command.name.padEnd(27)} ${command.summary}`);
  lines.push('', `Run "partcopy ${family} <subcommand> --help" for its options.`);
  return `${lines.join('\n')}\n`;
}

function optionLines(options: OptionSpecs): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
    const notes = [spec.required ? '(required)' : '', spec.multiple ? '(repeatable)' : '']
      .filter(Boolean)
      .join(' ');
    const text = notes ? `${spec.description} ${notes}` : spec.description;
    return flag.length >= 27 ? `  ${flag}\n  ${''.padEnd(27)} ${text}` : `  ${flag.padEnd(27)} ${text}`;
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
