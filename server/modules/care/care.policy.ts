import type { CareAbilities } from '../../../common/schemas/care.js';
import { can, type Actor } from '../../http/actor.js';

/**
 * Who may do what with care cases (关爱帮扶). Pure functions over the actor's grants and the
 * person's unit of today (a case's scope follows its person).
 *
 * - A case's contents (needs, actions, requests) are read with care.read over the person's unit;
 *   anyone else gets 404 for one case and 403 for a list, however many other permissions they hold
 *   (the admin, the command office and supervisors hold care.figures: counts only).
 * - A case is opened, changed, reassigned, given needs and actions and closed with care.write.
 * - A counselling session's note is shown only to the user who wrote it and to the person cared for.
 * - The person reads their own cases through /me/care, without any grant.
 * - A case's care officer must hold care.write over the person's unit.
 */
export function canReadCare(actor: Actor, unitPath: string): boolean {
  return can(actor, 'care.read', unitPath);
}

export function canWriteCare(actor: Actor, unitPath: string): boolean {
  return can(actor, 'care.write', unitPath);
}

export function canSeeCareFigures(actor: Actor, unitPath: string): boolean {
  return can(actor, 'care.figures', unitPath);
}

/** Whether the viewer may read a counselling note: its writer, or the person it is about. */
export function canReadCounsellingNote(viewer: { userId: number | null; personId: number | null }, note: { writerUserId: number | null; casePersonId: number }): boolean {
  return (viewer.userId !== null && viewer.userId === note.writerUserId) || (viewer.personId !== null && viewer.personId === note.casePersonId);
}

export function careAbilities(actor: Actor, c: { unit_path: string; status: string }): CareAbilities {
  const write = c.status === 'open' && canWriteCare(actor, c.unit_path);
  return { write, close: write, reassign: write };
}
