import type { PlaceAbilities } from '../../../common/schemas/places.js';
import { can, type Actor } from '../../http/actor.js';

/**
 * Who may do what with key places. Pure functions over the actor's grants and the place's unit;
 * the abilities travel with each place so the console and the phone show only what is allowed.
 *
 * - A place, its history, its findings and the blind spots are seen with places.read over its unit.
 * - A place is registered, changed, its checklist kept and archived with places.write.
 * - A place is inspected with places.inspect (liaisons, unit heads, the command office, supervisors).
 * - An inspection (and its photos) is seen by readers of the place and by its own inspector.
 * - An archived place is history: it can no longer be changed or inspected.
 */
export function canReadPlace(actor: Actor, unitPath: string): boolean {
  return can(actor, 'places.read', unitPath);
}

export function canWritePlace(actor: Actor, unitPath: string): boolean {
  return can(actor, 'places.write', unitPath);
}

export function canInspectPlace(actor: Actor, unitPath: string): boolean {
  return can(actor, 'places.inspect', unitPath);
}

/** Seen at all: reading or inspecting it (an inspector must see the place to inspect it). */
export function canSeePlace(actor: Actor, unitPath: string): boolean {
  return canReadPlace(actor, unitPath) || canInspectPlace(actor, unitPath);
}

export function placeAbilities(actor: Actor, p: { unit_path: string; archived_at: number | null }): PlaceAbilities {
  const active = p.archived_at === null;
  const write = canWritePlace(actor, p.unit_path);
  return { edit: write && active, inspect: active && canInspectPlace(actor, p.unit_path), archive: write && active };
}
