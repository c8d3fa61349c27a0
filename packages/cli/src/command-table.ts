import type { CommandSpec } from './command.js';
import { composeCommand } from './commands/compose-command.js';
import {
  configAddCommand,
  configListCommand,
  configRemoveCommand,
  configShowCommand,
} from './commands/config-commands.js';
import { cpCommand } from './commands/cp-command.js';
import {
  fleetCancelCommand,
  fleetPauseCommand,
  fleetResumeCommand,
  fleetStatusCommand,
} from './commands/fleet-commands.js';
import { gcCommand } from './commands/gc-command.js';
import {
  abortMultipartUploadCommand,
  completeMultipartUploadCommand,
  createMultipartUploadCommand,
  listPartsCommand,
  uploadPartCommand,
  uploadPartCopyCommand,
} from './commands/multipart-commands.js';
import {
  getCommand,
  headCommand,
  lsCommand,
  mbCommand,
  putCommand,
  rbCommand,
  rmCommand,
} from './commands/object-commands.js';
import { serveS3Command } from './commands/serve-command.js';
import {
  sessionsAbortCommand,
  sessionsListCommand,
  sessionsResumeCommand,
} from './commands/sessions-commands.js';
import { syncCommand } from './commands/sync-command.js';
import { uploadsAbortCommand, uploadsListCommand } from './commands/uploads-commands.js';
import { workerCommand } from './commands/worker-command.js';

/** Every command, in the order `partcopy --help` lists them, grouped. */
export const COMMAND_GROUPS: ReadonlyArray<{ title: string; commands: readonly CommandSpec[] }> = [
  { title: 'Copy', commands: [cpCommand, composeCommand, uploadPartCopyCommand] },
  {
    title: 'Sessions (resumable copies)',
    commands: [sessionsListCommand, sessionsResumeCommand, sessionsAbortCommand],
  },
  {
    title: 'Fleet (workers on BullMQ / Redis)',
    commands: [
      workerCommand,
      syncCommand,
      fleetStatusCommand,
      fleetPauseCommand,
      fleetResumeCommand,
      fleetCancelCommand,
    ],
  },
  { title: 'Uploads and clean-up', commands: [uploadsListCommand, uploadsAbortCommand, gcCommand] },
  {
    title: 'Multipart (like aws s3api)',
    commands: [
      createMultipartUploadCommand,
      uploadPartCommand,
      completeMultipartUploadCommand,
      listPartsCommand,
      abortMultipartUploadCommand,
    ],
  },
  {
    title: 'Objects and buckets',
    commands: [mbCommand, rbCommand, putCommand, getCommand, headCommand, lsCommand, rmCommand],
  },
  { title: 'Serve', commands: [serveS3Command] },
  {
    title: 'Configuration (remotes)',
    commands: [configAddCommand, configListCommand, configShowCommand, configRemoveCommand],
  },
];

export const COMMANDS: readonly CommandSpec[] = COMMAND_GROUPS.flatMap((group) => group.commands);

/** Commands with subcommands (`uploads list`), by their first word. */
export const COMMAND_FAMILIES: ReadonlySet<string> = new Set(
  COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0] as string),
);

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}
