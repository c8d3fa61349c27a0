/**
 * `partcopy fleet status|pause|resume|cancel ID`: look at or steer a fleet session (`cp --queue`)
 * or bulk copy (`sync`) from any machine that reaches the Redis; no store credentials needed.
 */
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { formatBytes } from '../sizes.js';
import { loadFleet, QUEUE_OPTIONS, requireQueue } from './fleet-queue.js';

type Action = 'status' | 'pause' | 'resume' | 'cancel';

const SUMMARIES: Record<Action, string> = {
  status: 'show the progress of a fleet session or bulk copy, summed over every worker',
  pause: 'pause a fleet session or bulk copy: its waiting jobs wait; those in flight finish',
  resume: 'resume a paused fleet session or bulk copy',
  cancel: 'cancel a fleet session or bulk copy: the rest is not copied, the upload is aborted by a worker',
};

function fleetCommand(action: Action): CommandSpec {
  return {
    name: `fleet ${action}`,
    summary: SUMMARIES[action],
    usage: 'ID --queue redis://HOST:PORT',
    positionals: { min: 1, max: 1 },
    options: { ...QUEUE_OPTIONS },
    examples: [`partcopy fleet ${action} s0b5e... --queue redis://127.0.0.1:6379`],
    run: (ctx) => runAction(ctx, action),
  };
}

async function runAction(ctx: CommandContext, action: Action): Promise<CommandOutcome> {
  const id = ctx.positional(0);
  const { FleetClient } = await loadFleet();
  const fleet = new FleetClient(requireQueue(ctx));
  try {
    // Bulk copy ids start with `b`, session ids with `s`.
    const bulk = id.startsWith('b');
    if (action === 'status') {
      if (bulk) {
        const r = await fleet.bulkReport(id);
        return {
          result: r,
          human: [
            `bulk copy ${id}: ${bulkState(r)}, ${r.copied} copied (${formatBytes(r.copiedBytes)}), ${r.skipped} skipped, ${r.failed} failed of ${r.listed}${r.listingDone ? '' : '+'} objects`,
            ...r.failures.map((f) => `  failed: ${f.key}: ${f.error}`),
          ],
        };
      }
      const p = await fleet.progress(id);
      return {
        result: p,
        human: [
          `session ${id}: ${p.state}, ${p.partsDone}/${p.partsCount} parts, ${formatBytes(p.bytesDone)} of ${formatBytes(p.totalBytes)}, ` +
            `${formatBytes(p.bytesPerSecond)}/s (${formatBytes(p.serverSideBytes)} server-side, ${formatBytes(p.clientBytes)} through workers)` +
            (p.error ? `: ${p.error}` : ''),
        ],
      };
    }
    const changed =
      action === 'cancel'
        ? await (bulk ? fleet.cancelBulk(id) : fleet.cancel(id))
        : action === 'pause'
          ? await (bulk ? fleet.pauseBulk(id) : fleet.pause(id))
          : await (bulk ? fleet.resumeBulk(id) : fleet.resume(id));
    const state = bulk ? bulkState(await fleet.bulkReport(id)) : (await fleet.progress(id)).state;
    return {
      result: { id, changed, state },
      human: [changed ? `${id}: ${state}` : `${id}: unchanged, it is ${state}`],
    };
  } finally {
    await fleet.close();
  }
}

function bulkState(report: { state: string; paused: boolean }): string {
  return report.paused && report.state !== 'done' ? `${report.state}, paused` : report.state;
}

export const fleetStatusCommand = fleetCommand('status');
export const fleetPauseCommand = fleetCommand('pause');
export const fleetResumeCommand = fleetCommand('resume');
export const fleetCancelCommand = fleetCommand('cancel');
