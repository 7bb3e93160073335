import { dayOf } from '../../../common/day.js';
import type { MeetingBreach, MeetingLimits } from '../../../common/schemas/meetings.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { effectiveMeasureIn } from '../measures/measures.effective.js';
import { findUnitsByIds } from '../org/units.store.js';

/**
 * The meeting measures (会议报备): a registration is checked against the values in force for its
 * organising unit on the meeting's day in the deployment's zone — a value set at a parent, an approved
 * stricter exception at the unit, a value that starts tomorrow all count exactly as the measures
 * module resolves them for that day.
 */

export interface CheckedMeeting {
  unitId: number;
  startAt: number;
  minutes: number;
  attendees: number;
  ventilated: boolean;
  room: { capacity: number } | null;
}

/** The limits for a unit on a day, read through `db` (a transaction's connection, or deps.db). */
export async function meetingLimits(db: Conn, deps: Deps, unitId: number, day: string, room: { capacity: number } | null): Promise<MeetingLimits> {
  const [size, minutes, density] = [
    await effectiveMeasureIn(db, deps, 'meeting.max_size', unitId, day),
    await effectiveMeasureIn(db, deps, 'meeting.max_minutes', unitId, day),
    await effectiveMeasureIn(db, deps, 'room.density', unitId, day),
  ];
  return {
    day,
    maxSize: size.stored,
    maxSizeFromUnitId: size.fromUnitId,
    maxMinutes: minutes.stored,
    maxMinutesFromUnitId: minutes.fromUnitId,
    density: density.stored / 100,
    densityFromUnitId: density.fromUnitId,
    roomLimit: room ? roomLimitOf(room.capacity, density.stored) : null,
  };
}

/**
 * How many people a room may hold under the density: floor(capacity × density). The density is kept
 * in hundredths, so this is integer arithmetic (0.3 × 10 in floating point is 2.9999…, which would
 * floor to 2).
 */
export function roomLimitOf(capacity: number, densityHundredths: number): number {
  return Math.floor((capacity * densityHundredths) / 100);
}

type UnnamedBreach = Omit<MeetingBreach, 'fromUnitName'>;

/** The limits a meeting goes over, in a fixed order; at the limit is within it. */
export function breachesOf(m: CheckedMeeting, l: MeetingLimits): UnnamedBreach[] {
  const out: UnnamedBreach[] = [];
  if (m.attendees > l.maxSize) out.push({ kind: 'max_size', measureKey: 'meeting.max_size', limit: l.maxSize, value: m.attendees, fromUnitId: l.maxSizeFromUnitId });
  if (m.minutes > l.maxMinutes) out.push({ kind: 'max_minutes', measureKey: 'meeting.max_minutes', limit: l.maxMinutes, value: m.minutes, fromUnitId: l.maxMinutesFromUnitId });
  if (l.roomLimit !== null && m.attendees > l.roomLimit) out.push({ kind: 'room_density', measureKey: 'room.density', limit: l.roomLimit, value: m.attendees, fromUnitId: l.densityFromUnitId });
  // The order asks for ventilated rooms: a closed one is over the rule whatever the size.
  if (!m.ventilated) out.push({ kind: 'unventilated', measureKey: null, limit: 1, value: 0, fromUnitId: null });
  return out;
}

/** Check a meeting: the limits of its unit on its day and the breaches, each naming the unit its measure comes from. */
export async function checkMeeting(db: Conn, deps: Deps, m: CheckedMeeting): Promise<{ limits: MeetingLimits; breaches: MeetingBreach[] }> {
  const day = dayOf(m.startAt, deps.config.timeZone);
  const limits = await meetingLimits(db, deps, m.unitId, day, m.room);
  const raw = breachesOf(m, limits);
  const ids = [...new Set(raw.map((b) => b.fromUnitId).filter((id): id is number => id !== null))];
  const names = new Map((ids.length ? await findUnitsByIds(db, ids) : []).map((u) => [u.id, u.name]));
  return { limits, breaches: raw.map((b) => ({ ...b, fromUnitName: b.fromUnitId === null ? null : (names.get(b.fromUnitId) ?? null) })) };
}
