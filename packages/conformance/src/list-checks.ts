import { ALL_CHECKS, type CheckId } from './catalog.js';
import type { CheckSummary, GroupName } from './conformance-types.js';

/**
 * Every check with its id, group, title and requirements, so an adapter can document which
 * checks it switches off and why. Pass groups to list only those.
 */
export function listChecks(groups?: readonly GroupName[]): Array<CheckSummary & { id: CheckId }> {
  return ALL_CHECKS.filter((check) => !groups || groups.includes(check.group)).map((check) => ({
    id: check.id,
    group: check.group,
    title: check.title,
    requiredCapabilities: check.requires,
    ...(check.needs ? { otherRequirements: check.needs } : {}),
  }));
}
