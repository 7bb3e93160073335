import type { ShiftAbilities } from '../../../common/schemas/duty.js';
import { isWithin } from '../../db/tree.js';
import { can, type Actor } from '../../http/actor.js';

/**
 * Who may do what with duty rosters. Pure functions over the actor's grants, the unit of the roster
 * and the people on a shift; the abilities travel with each shift so the console and the phone show
 * only what is allowed.
 *
 * - A roster and its shifts, swaps, gaps and log are seen with duty.read over the unit; a shift is
 *   also seen by the people on it.
 * - A roster is kept (generated, shifts changed, swaps approved or refused) with duty.write.
 * - A handover is written by the people on the shift (or duty.write) from the shift's start until
 *   HANDOVER_GRACE_MS after its end.
 * - "Who is on duty now" at a unit: anyone with any grant over the unit — they must know whom to
 *   call; phones whole only with people.phone over each person's unit.
 */
export const HANDOVER_GRACE_MS = 12 * 3_600_000;

export const isOn = (actor: Actor, personIds: readonly number[]) => actor.personId !== null && personIds.includes(actor.personId);

export function canReadDuty(actor: Actor, unitPath: string): boolean {
  return can(actor, 'duty.read', unitPath);
}

export function canWriteDuty(actor: Actor, unitPath: string): boolean {
  return can(actor, 'duty.write', unitPath);
}

/** Any grant at all over the unit (any role): enough to see who is on duty there and above. */
export function hasGrantOver(actor: Actor, unitPath: string): boolean {
  return actor.grants.some((g) => isWithin(unitPath, g.path));
}

export function shiftAbilities(actor: Actor, s: { unit_path: string; starts_at: number; ends_at: number }, personIds: readonly number[], now: number): ShiftAbilities {
  const write = canWriteDuty(actor, s.unit_path);
  const on = isOn(actor, personIds);
  return {
    update: write && now < s.ends_at,
    delete: write && now < s.starts_at,
    handover: (on || write) && now >= s.starts_at && now <= s.ends_at + HANDOVER_GRACE_MS,
    swap: on && now < s.starts_at,
  };
}
