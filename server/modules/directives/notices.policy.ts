import { can, scopeFor, type Actor } from '../../http/actor.js';
import { overlaps } from '../health/campaigns.policy.js';

export { pathsAbove } from '../health/campaigns.policy.js';

/**
 * Who may do what with a notice, as pure functions over the actor's grants and the paths of the
 * notice's target units.
 *
 * A notice is managed (seen in the console, its receipts read, its unread reminded) by whoever
 * holds notices.write over any part of it: over a whole target (the office that published it, or
 * above), or over a unit inside a target (a subsidiary's head, who sees and chases the part of the
 * audience in their subtree). Withdrawing needs notices.write over every target, the level it was
 * published at. Its audience reads it through their own list, whatever their grants.
 */

export function reachesNotice(actor: Actor, targetPaths: readonly string[]): boolean {
  const scope = scopeFor(actor, 'notices.write');
  return targetPaths.some((t) => scope.some((s) => overlaps(s, t)));
}

export function noticeAbilities(actor: Actor, targetPaths: readonly string[], published: boolean) {
  const publisher = targetPaths.length > 0 && targetPaths.every((p) => can(actor, 'notices.write', p));
  return { withdraw: publisher && published, remind: published && reachesNotice(actor, targetPaths) };
}
