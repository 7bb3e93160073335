import { can, type Actor } from '../../http/actor.js';
import type { TripRow } from '../../db/schema.js';
import type { EffectiveStatus } from './trips.store.js';

/**
 * The rules of a trip, as pure functions: its status as of a day, whether it is overdue, and who
 * may see or change it. The person acts on their own trips; a liaison (health.write over the
 * person's unit of today) acts for them; health.read over that unit sees them.
 */

type TripDays = Pick<TripRow, 'status' | 'start_on' | 'end_on' | 'returned_on'>;

/** A stored 'planned' trip whose start day has come is away: no job has to flip it first. */
export function effectiveStatus(t: TripDays, today: string): EffectiveStatus {
  if (t.status === 'planned' || t.status === 'away') return t.start_on <= today ? 'away' : 'planned';
  return t.status as EffectiveStatus;
}

/** Away past the planned last day, with no return reported. */
export function isOverdue(t: TripDays, today: string): boolean {
  return effectiveStatus(t, today) === 'away' && t.end_on < today;
}

export const isOwnTrip = (actor: Actor, personId: number) => actor.personId !== null && actor.personId === personId;

/** Whether the actor may see the trip at all (else it reads as not found). */
export function seesTrip(actor: Actor, personId: number, personUnitPath: string): boolean {
  return isOwnTrip(actor, personId) || can(actor, 'health.read', personUnitPath);
}

/** Whether the actor may change it: the person, or a liaison over the person's unit. */
export function actsOnTrip(actor: Actor, personId: number, personUnitPath: string): boolean {
  return isOwnTrip(actor, personId) || can(actor, 'health.write', personUnitPath);
}

/** What the UI may offer on a trip, as of today. */
export function tripAbilities(actor: Actor, t: TripDays & { person_id: number }, personUnitPath: string, today: string) {
  const acts = actsOnTrip(actor, t.person_id, personUnitPath);
  const s = effectiveStatus(t, today);
  return { edit: acts && s === 'planned', cancel: acts && s === 'planned', reportReturn: acts && s === 'away' };
}
