import type { Conn } from '../../db/database.js';

/**
 * Who is on shift where, at one instant: the interface other modules (incidents, notify) call.
 * Phones come whole: a caller that shows them to a user masks them where that user lacks
 * people.phone (org/people.service.ts phoneAsSeenBy); a caller that pages or alerts uses them.
 */
export interface OnDutyPerson {
  personId: number;
  /** The person's (enabled) login, to notify in the app; null when they have none. */
  userId: number | null;
  name: string;
  phone: string | null;
  shiftId: number;
}
export interface OnDuty {
  leaders: OnDutyPerson[];
  officers: OnDutyPerson[];
}

// A list of ids is sent as bound parameters; keep each statement well under SQLite's limit.
const CHUNK = 500;

/**
 * Who is on shift at each of these units at instant `at` (ms). A unit with no shift then maps to
 * empty lists. Usable inside a transaction.
 *
 * One query per 500 units. The range condition rides the (unit_id, ends_at) index: only the shifts
 * of each unit still running or to come at `at` are read, not the roster's history.
 */
export async function onDutyAt(db: Conn, unitIds: readonly number[], at: number): Promise<Map<number, OnDuty>> {
  const out = new Map<number, OnDuty>();
  const ids = [...new Set(unitIds)];
  for (const id of ids) out.set(id, { leaders: [], officers: [] });
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('duty_shifts as s')
      .innerJoin('duty_shift_members as m', 'm.shift_id', 's.id')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .where('s.unit_id', 'in', chunk)
      .where('s.ends_at', '>', at)
      .where('s.starts_at', '<=', at)
      .select((eb) => [
        's.unit_id',
        's.id as shift_id',
        'm.role',
        'm.position',
        'p.id as person_id',
        'p.name',
        'p.phone',
        // A person may have more than one login; the oldest enabled one receives notices.
        eb
          .selectFrom('users as u')
          .whereRef('u.person_id', '=', 'p.id')
          .where('u.disabled_at', 'is', null)
          .select((e) => e.fn.min<number>('u.id').as('uid'))
          .as('user_id'),
      ])
      .orderBy('s.unit_id')
      .orderBy('m.position')
      .orderBy('p.id')
      .execute();
    for (const r of rows) {
      const entry = out.get(r.unit_id)!;
      const person: OnDutyPerson = {
        personId: r.person_id,
        userId: r.user_id === null || r.user_id === undefined ? null : Number(r.user_id),
        name: r.name,
        phone: r.phone,
        shiftId: r.shift_id,
      };
      (r.role === 'leader' ? entry.leaders : entry.officers).push(person);
    }
  }
  return out;
}
