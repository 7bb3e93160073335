import type { Permission } from '../../../common/roles.js';
import { can, scopeFor, type Actor } from '../../http/actor.js';
import { errors } from '../../http/errors.js';

/**
 * Who may do what in the org module. Pure functions over the actor's grants and the target's unit
 * path; the abilities they compute travel with the data so the console shows only what is allowed.
 */
export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw errors.unauthenticated();
  return actor;
}

/** Out of the actor's read scope reads as not found: no endpoint reveals that a record exists. */
export function assertVisible(actor: Actor, readPermission: Permission, unitPath: string | undefined, entity: string): string {
  if (!unitPath || !can(actor, readPermission, unitPath)) throw errors.notFound(entity);
  return unitPath;
}

export function assertAllowed(actor: Actor, permission: Permission, unitPath: string): void {
  if (!can(actor, permission, unitPath)) throw errors.forbidden();
}

export function requireScope(actor: Actor, permission: Permission): string[] {
  const scope = scopeFor(actor, permission);
  if (scope.length === 0) throw errors.forbidden();
  return scope;
}

const isRootPath = (path: string) => path.split('/').filter(Boolean).length === 1;

export function unitAbilities(actor: Actor, path: string) {
  const write = can(actor, 'units.write', path);
  const root = isRootPath(path);
  return {
    update: write,
    createChild: write,
    move: write && !root,
    archive: write && !root,
    delete: write && !root,
    addPerson: can(actor, 'people.write', path),
    export: can(actor, 'people.export', path),
    import: can(actor, 'people.import', path),
  };
}

export function personAbilities(actor: Actor, path: string) {
  const write = can(actor, 'people.write', path);
  return { update: write, transfer: write, markLeft: write };
}

export function userAbilities(actor: Actor, path: string | null) {
  const write = path ? can(actor, 'users.write', path) : scopeFor(actor, 'users.write').some(isRootPath);
  return { update: write, disable: write, resetPassword: write, createToken: write, grant: write };
}

export { isRootPath };
