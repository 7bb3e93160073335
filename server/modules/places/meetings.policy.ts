import { can, type Actor } from '../../http/actor.js';
import { isWithin } from '../../db/tree.js';

/**
 * Who may do what with rooms and meeting registrations: pure functions over the actor's grants and
 * the target's unit path. The abilities travel with the data, so the console shows only what is allowed.
 */

/** Rooms are kept with places.write and read with places.read over their unit. */
export function roomAbilities(actor: Actor, unitPath: string, archived: boolean) {
  const write = can(actor, 'places.write', unitPath);
  return { edit: write && !archived, archive: write && !archived };
}

/**
 * A registration is seen by places.read (the command office, supervisors), meetings.register and
 * meetings.approve holders over its unit, and by its organiser.
 */
export function canSeeMeeting(actor: Actor, unitPath: string, registeredBy: number | null): boolean {
  return registeredBy === actor.userId || can(actor, 'places.read', unitPath) || can(actor, 'meetings.register', unitPath) || can(actor, 'meetings.approve', unitPath);
}

const settled = (status: string) => status === 'refused' || status === 'cancelled';

/** What the actor may do to a registration now. */
export function meetingAbilities(actor: Actor, unitPath: string, registeredBy: number | null, status: string) {
  const approver = can(actor, 'meetings.approve', unitPath);
  const registrar = can(actor, 'meetings.register', unitPath);
  return {
    edit: !settled(status) && (registrar || approver),
    decide: status === 'pending' && approver,
    cancel: !settled(status) && (approver || (registeredBy === actor.userId && registrar)),
  };
}

/** A room a meeting of the unit at `meetingUnitPath` may use: the unit's own or an ancestor's. */
export function roomUsableBy(roomUnitPath: string, meetingUnitPath: string): boolean {
  return isWithin(meetingUnitPath, roomUnitPath);
}
