import type { Conn } from '../../db/database.js';
import { pathInSubtrees } from '../../db/tree.js';

/**
 * What the health module tells the care module (issue 7): who, in a subtree, is under an open
 * health watch, checked in today as "in quarantine", or is away on a trip. Only who and since when
 * — never the reason, the temperature or the destination: care officers hold no health.read.
 * Scope follows each person's unit of today; only active people.
 */

export interface CareSignalRow {
  person_id: number;
  person_name: string;
  employee_no: string;
  unit_id: number;
  unit_name: string;
  /** The watch's or trip's id, or the check-in's day. */
  source: string;
  /** Since when: the watch's first day, the check-in's day, the trip's first day. */
  since: string;
  /** For a watch: why it opened (test_positive, checkin_abnormal, trip_return, manual); else null. */
  reason: string | null;
}

const LIMIT = 2000;

/** People of the subtrees under an open health watch. */
export async function openWatchSignals(db: Conn, paths: readonly string[]): Promise<CareSignalRow[]> {
  const rows = await db
    .selectFrom('health_watches as w')
    .innerJoin('people as p', 'p.id', 'w.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['w.person_id', 'p.name as person_name', 'p.employee_no', 'p.unit_id', 'u.name as unit_name', 'w.id as source', 'w.start_day as since', 'w.reason'])
    .where('w.status', '=', 'open')
    .where('p.status', '=', 'active')
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .orderBy('w.id')
    .limit(LIMIT)
    .execute();
  return rows.map((r) => ({ ...r, source: String(r.source) }));
}

/** People of the subtrees whose check-in of `day` says they are in quarantine. */
export async function quarantineCheckinSignals(db: Conn, paths: readonly string[], day: string): Promise<CareSignalRow[]> {
  return db
    .selectFrom('checkins as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['c.person_id', 'p.name as person_name', 'p.employee_no', 'p.unit_id', 'u.name as unit_name', 'c.day as source', 'c.day as since'])
    .select((eb) => eb.val<string | null>(null).as('reason'))
    .where('c.day', '=', day)
    .where('c.location', '=', 'quarantine')
    .where('p.status', '=', 'active')
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .orderBy('c.id')
    .limit(LIMIT)
    .execute() as Promise<CareSignalRow[]>;
}

/** People of the subtrees away on a trip today (started, not back, not cancelled). */
export async function tripSignals(db: Conn, paths: readonly string[], today: string): Promise<CareSignalRow[]> {
  const rows = await db
    .selectFrom('trips as t')
    .innerJoin('people as p', 'p.id', 't.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['t.person_id', 'p.name as person_name', 'p.employee_no', 'p.unit_id', 'u.name as unit_name', 't.id as source', 't.start_on as since'])
    .where('t.status', 'in', ['planned', 'away'])
    .where('t.start_on', '<=', today)
    .where('p.status', '=', 'active')
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .orderBy('t.id')
    .limit(LIMIT)
    .execute();
  return rows.map((r) => ({ ...r, source: String(r.source), reason: null }));
}
