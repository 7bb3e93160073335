import type { Permission } from '../../../common/roles.js';
import { can, scopeFor, type Actor } from '../../http/actor.js';

/**
 * Who may do what with a testing campaign, as pure functions over the actor's grants and the
 * paths of the campaign's target units.
 *
 * A campaign is seen by whoever holds health.read over any part of it: over a whole target unit
 * (the command office that started it, or above), or over a unit inside a target (a department's
 * liaison, who sees the part of it in their subtree). Closing it and importing its results need
 * campaigns.write over every target unit, the level it was started at.
 */

/** Whether two subtrees overlap: one path lies within the other. */
export const overlaps = (a: string, b: string): boolean => a.startsWith(b) || b.startsWith(a);

export function reachesCampaign(actor: Actor, permission: Permission, targetPaths: readonly string[]): boolean {
  const scope = scopeFor(actor, permission);
  return targetPaths.some((t) => scope.some((s) => overlaps(s, t)));
}

/** Every ancestor path of each scope path, the path itself included: '/1/5/' → '/1/', '/1/5/'. */
export function pathsAbove(scope: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of scope) {
    const ids = s.split('/').filter(Boolean);
    for (let i = 1; i <= ids.length; i++) out.add(`/${ids.slice(0, i).join('/')}/`);
  }
  return [...out];
}

export function campaignAbilities(actor: Actor, targetPaths: readonly string[], open: boolean) {
  const command = targetPaths.length > 0 && targetPaths.every((p) => can(actor, 'campaigns.write', p));
  return { close: command && open, importResults: command, recordSamples: open && reachesCampaign(actor, 'health.write', targetPaths) };
}

/** Whether a person (by unit path and tags) falls in a campaign's target now. */
export function inTarget(unitPath: string, personTags: readonly string[], targetPaths: readonly string[], tags: readonly string[]): boolean {
  return targetPaths.some((t) => unitPath.startsWith(t)) && (tags.length === 0 || tags.some((tag) => personTags.includes(tag)));
}
