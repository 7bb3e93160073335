import type { Permission } from '../../../common/roles.js';
import type { Conn } from '../../db/database.js';
import { topmostPaths } from '../../db/tree.js';
import { scopeFor, type Actor } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { canSeeGroup, clipToScope } from './groups.policy.js';
import * as store from './groups.store.js';

/**
 * A key group as a target population: what campaigns and notices (`groupId`) and care (issue 7)
 * call instead of reading the group's tables.
 */

export interface GroupTarget {
  /** The units whose subtrees are targeted: the group's, clipped to where the actor holds the permission. */
  unitIds: number[];
  /** Only people with one of these (none: everyone in the units). */
  tags: string[];
  /** The group, for the caller to record and show. */
  group: { id: number; name: string };
}

/**
 * Expand group `groupId` for the actor into `{ unitIds, tags }`: its units (none given: the owner's
 * subtree), each kept whole where the actor holds `permission` over it, or narrowed to the actor's
 * grants inside it (a group-wide group used by a subsidiary targets that subsidiary's part). A group
 * the actor may not see, an archived one, or one with no part in their scope is a validation error
 * on `groupId`.
 */
export async function groupTarget(db: Conn, actor: Actor, groupId: number, permission: Permission = 'people.read'): Promise<GroupTarget> {
  const g = await store.findGroup(db, groupId);
  if (!g || !canSeeGroup(actor, g.owner_path)) throw errors.validation({ groupId: 'no such group' });
  if (g.archived_at !== null) throw errors.validation({ groupId: 'the group is archived' });
  const all = (await store.unitsOfGroups(db, [g.id])).get(g.id)!;
  // An archived unit targets nobody; a group whose every unit is archived must not fall back to the owner's whole subtree.
  const paths = all.length ? all.filter((u) => u.archived_at === null).map((u) => u.path) : [g.owner_path];
  const clipped = topmostPaths(clipToScope(paths, scopeFor(actor, permission)));
  if (clipped.length === 0) throw errors.validation({ groupId: 'no part of the group lies where you may do this' });
  return { unitIds: clipped.map((p) => Number(p.split('/').filter(Boolean).at(-1))), tags: JSON.parse(g.tags) as string[], group: { id: g.id, name: g.name } };
}
