import { ROLE_PERMISSIONS, roleHas, type Permission, type Role } from '../../common/roles.js';
import { isWithin, topmostPaths } from '../db/tree.js';

export interface ActorGrant {
  role: Role;
  unitId: number;
  unitName: string;
  path: string;
}

/** The person a user account is linked to, as read with the actor: whether still active, and where. */
export interface LinkedPerson {
  id: number;
  status: string;
  unitId: number;
  unitPath: string;
}

/** Who is acting, resolved once per request from the session cookie or an API token. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string | null;
  personId: number | null;
  /** The linked person (null: none) when it was read with the session; absent when it was not read. */
  person?: LinkedPerson | null;
  grants: ActorGrant[];
  via: 'session' | 'token';
  sessionId: string | null;
}

/** The subtrees (as paths) in which the actor holds `permission`; empty means nowhere. */
export function scopeFor(actor: Actor, permission: Permission): string[] {
  return topmostPaths(actor.grants.filter((g) => roleHas(g.role, permission)).map((g) => g.path));
}

/** Whether the actor holds `permission` over the unit at `unitPath`. */
export function can(actor: Actor, permission: Permission, unitPath: string): boolean {
  return actor.grants.some((g) => roleHas(g.role, permission) && isWithin(unitPath, g.path));
}

/** Every permission the actor holds anywhere: what the console's menu is built from. */
export function permissionsOf(actor: Actor): Permission[] {
  const out = new Set<Permission>();
  for (const g of actor.grants) for (const p of permissionsOfRole(g.role)) out.add(p);
  return [...out];
}


function permissionsOfRole(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

/** Request context handed to every service call. */
export interface Ctx {
  actor: Actor | null; // null: the system itself (CLI, jobs, first-run setup)
  ip: string | null;
  idempotency?: { key: string; requestHash: string; statusCode: number };
}

export const systemCtx: Ctx = { actor: null, ip: null };

/** The topmost units the actor holds any grant on: the roots of the console's unit picker. */
export function topScopeUnits(actor: Actor): { id: number; name: string }[] {
  const tops = topmostPaths(actor.grants.map((g) => g.path));
  return tops.map((p) => {
    const g = actor.grants.find((x) => x.path === p)!;
    return { id: g.unitId, name: g.unitName };
  });
}
