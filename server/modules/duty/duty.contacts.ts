import type { Conn } from '../../db/database.js';

/**
 * What the contact search (places/contacts.*) reads of duty rosters: who was on duty beside a
 * person. Two people shared a shift when shifts of one roster (one unit) that they were on overlap
 * in time — being on the same shift is the common case, since a unit's shifts never overlap.
 */

export interface SharedShift {
  /** The other person. */
  personId: number;
  /** The roster's unit. */
  unitId: number;
  unitName: string;
  /** The overlap of their shifts, clipped to [from, to). */
  from: number;
  to: number;
  minutes: number;
}

/**
 * For each other person on a shift of the same roster overlapping a shift `personId` was on, within
 * [from, to) (epoch ms): the overlap, one row per pair of overlapping shifts. One statement.
 */
export async function sharedShifts(db: Conn, personId: number, from: number, to: number): Promise<SharedShift[]> {
  const rows = await db
    .selectFrom('duty_shift_members as mine')
    .innerJoin('duty_shifts as s1', 's1.id', 'mine.shift_id')
    .innerJoin('duty_shifts as s2', (j) => j.onRef('s2.unit_id', '=', 's1.unit_id').onRef('s2.starts_at', '<', 's1.ends_at').onRef('s2.ends_at', '>', 's1.starts_at'))
    .innerJoin('duty_shift_members as other', 'other.shift_id', 's2.id')
    .innerJoin('units as u', 'u.id', 's1.unit_id')
    .select(['other.person_id', 's1.unit_id', 'u.name as unit_name', 's1.starts_at as s1_start', 's1.ends_at as s1_end', 's2.starts_at as s2_start', 's2.ends_at as s2_end'])
    .where('mine.person_id', '=', personId)
    .where('other.person_id', '<>', personId)
    .where('s1.starts_at', '<', to)
    .where('s1.ends_at', '>', from)
    .execute();
  const out: SharedShift[] = [];
  for (const r of rows) {
    const a = Math.max(Number(r.s1_start), Number(r.s2_start), from);
    const b = Math.min(Number(r.s1_end), Number(r.s2_end), to);
    if (b <= a) continue;
    out.push({ personId: r.person_id, unitId: r.unit_id, unitName: r.unit_name, from: a, to: b, minutes: Math.round((b - a) / 60_000) });
  }
  return out.sort((x, y) => x.from - y.from || x.personId - y.personId);
}
