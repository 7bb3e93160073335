import type { Permission } from '../../../common/roles.js';
import { roleHas } from '../../../common/roles.js';
import { isWithin } from '../../db/tree.js';
import { can, type Actor } from '../../http/actor.js';

/**
 * Key groups: kept with groups.write over the owner unit; seen with people.read over the owner unit
 * or over a unit under it (a group-wide group is usable by a subsidiary). Members are only ever
 * resolved inside the reader's own people.read scope, so seeing a group reveals nobody.
 */
export function canSeeGroup(actor: Actor, ownerPath: string): boolean {
  return actor.grants.some((g) => roleHas(g.role, 'people.read') && (isWithin(ownerPath, g.path) || isWithin(g.path, ownerPath)));
}

export function groupAbilities(actor: Actor, ownerPath: string, archived: boolean) {
  const write = can(actor, 'groups.write', ownerPath) && !archived;
  return { edit: write, archive: write };
}

/**
 * The part of a group's subtrees in which the actor holds `permission`: a subtree they cover whole
 * stays, one that is above their grants shrinks to the grants inside it. What a campaign or a notice
 * by a group targets, and what the members list reads.
 */
export function clipToScope(groupPaths: readonly string[], scope: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of groupPaths) {
    if (scope.some((s) => isWithin(p, s))) out.add(p);
    else for (const s of scope) if (isWithin(s, p)) out.add(s);
  }
  return [...out];
}

export type { Permission };
