import { can, type Actor } from '../../http/actor.js';

/**
 * Who may do what with canteens and their dining plans. A canteen and its plans are seen with
 * places.read over the canteen's unit, kept with places.write; plans are run, adjusted and
 * published with dining.plan (the command office). The abilities travel with the data.
 */
export const canReadCanteen = (actor: Actor, unitPath: string) => can(actor, 'places.read', unitPath);

export function canteenAbilities(actor: Actor, unitPath: string) {
  return { write: can(actor, 'places.write', unitPath), plan: can(actor, 'dining.plan', unitPath) };
}

export function planAbilities(actor: Actor, unitPath: string, status: string) {
  const plan = can(actor, 'dining.plan', unitPath) && status === 'draft';
  return { move: plan, publish: plan, discard: plan };
}
