import { can, type Actor } from '../../http/actor.js';

/**
 * Who may do what with measures. Reading a unit's register needs measures.read over it; setting or
 * removing its own value needs measures.write over it; deciding an exception needs measures.write
 * over the PARENT unit — the level above decides — and is never the requester's own request.
 */

/** The parent's path of a unit path ('/1/5/23/' → '/1/5/'); null for a root. */
export function parentPathOf(path: string): string | null {
  const ids = path.split('/').filter(Boolean);
  return ids.length <= 1 ? null : `/${ids.slice(0, -1).join('/')}/`;
}

export function registerAbilities(actor: Actor, unitPath: string, hasOwn: boolean) {
  const write = can(actor, 'measures.write', unitPath);
  return { set: write, remove: write && hasOwn };
}

/** Whether the actor may decide this exception: measures.write over the parent level, not the requester. */
export function mayDecide(actor: Actor, unitPath: string, requestedBy: number | null): boolean {
  const parent = parentPathOf(unitPath);
  return parent !== null && can(actor, 'measures.write', parent) && requestedBy !== actor.userId;
}

export function exceptionAbilities(actor: Actor, unitPath: string, requestedBy: number | null, status: string) {
  const decide = status === 'pending' && mayDecide(actor, unitPath, requestedBy);
  return { approve: decide, refuse: decide };
}
