import type { VolunteerAbilities } from '../../../common/schemas/volunteers.js';
import { can, type Actor } from '../../http/actor.js';

/**
 * Who may do what with volunteers (issue 8). Pure functions over the actor's grants and the unit
 * (a volunteer's: their person's unit; a post's or a request's: the post's unit).
 *
 * - The pool, posts, shifts, requests, who is on shift and hours are seen with volunteers.read.
 * - People are added to the pool, posts and shifts kept, volunteers assigned, requests made and
 *   cancelled with volunteers.write over the unit.
 * - A request is answered (people assigned under it) by the pool's keeper: volunteers.write over the
 *   unit ABOVE the post's unit (the command office), or over the root itself for a root unit's post.
 * - Anyone signed in with a person signs up, changes their profile and leaves for themselves.
 */
export function canReadVolunteers(actor: Actor, unitPath: string): boolean {
  return can(actor, 'volunteers.read', unitPath);
}

export function canWriteVolunteers(actor: Actor, unitPath: string): boolean {
  return can(actor, 'volunteers.write', unitPath);
}

/** The path of the unit above (the root's own path for a root). */
export function parentPathOf(unitPath: string): string {
  const ids = unitPath.split('/').filter(Boolean);
  if (ids.length <= 1) return unitPath;
  return `/${ids.slice(0, -1).join('/')}/`;
}

/** The pool's keeper of a post's unit: volunteers.write at an ancestor. */
export function canAnswerRequest(actor: Actor, postUnitPath: string): boolean {
  return can(actor, 'volunteers.write', parentPathOf(postUnitPath));
}

export function volunteerAbilities(actor: Actor, v: { unit_path: string; left_at: number | null }): VolunteerAbilities {
  const write = v.left_at === null && canWriteVolunteers(actor, v.unit_path);
  return { edit: write, assign: write, leave: write };
}
