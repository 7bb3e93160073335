import { can, type Actor } from '../../http/actor.js';

/**
 * Who may do what with a report request, as pure functions over the actor's grants and the paths
 * of the units it asks. A request is seen by whoever holds tasks.read over one of its units (the
 * command office that sent it, or a unit asked); each sees the rows of the units in their scope.
 * Closing it needs directives.write over every unit it asks: the level that sent it, or above.
 */
interface Pathed {
  path: string;
}

export function seesRequest(actor: Actor, targets: readonly Pathed[]): boolean {
  return targets.some((t) => can(actor, 'tasks.read', t.path));
}

export function commandsRequest(actor: Actor, targets: readonly Pathed[]): boolean {
  return targets.length > 0 && targets.every((t) => can(actor, 'directives.write', t.path));
}

/** A unit's submission may be written by tasks.work over it, while the request is open; corrected only until the deadline. */
export function maySubmit(actor: Actor, unitPath: string, open: boolean, submitted: boolean, deadline: number, now: number): boolean {
  return open && can(actor, 'tasks.work', unitPath) && (!submitted || now <= deadline);
}

/** `targets` are all the request's units (close) or those in the actor's read scope (submit). */
export function requestAbilities(actor: Actor, targets: readonly Pathed[], open: boolean) {
  return { close: open && commandsRequest(actor, targets), submit: open && targets.some((t) => can(actor, 'tasks.work', t.path)) };
}
