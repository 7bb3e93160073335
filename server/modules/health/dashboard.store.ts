import { sql } from 'kysely';
import { dialectOf, type Conn, type Db } from '../../db/database.js';
import { childPathSql, pathInSubtrees } from '../../db/tree.js';

/**
 * The dashboard's queries over the per-(day, unit) tables (checkin_counts, headcounts): a period
 * is one indexed pass per table, grouped in SQL; check-in rows are never counted here.
 */

/**
 * Snapshot the day's active people per unit for the whole organisation, once: the day's row in
 * headcount_days and its counts commit together, and a second snapshot of the day changes nothing.
 */
export async function snapshotHeadcounts(db: Db, day: string, now: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const taken = await tx.insertInto('headcount_days').values({ day, taken_at: now }).onConflict((oc) => oc.column('day').doNothing()).returning('day').executeTakeFirst();
    if (!taken) return;
    await tx
      .insertInto('headcounts')
      .columns(['unit_id', 'day', 'headcount'])
      .expression((eb) =>
        eb
          .selectFrom('people')
          .select(['people.unit_id', sql<string>`cast(${day} as text)`.as('day'), eb.fn.countAll<number>().as('headcount')])
          .where('people.status', '=', 'active')
          .groupBy('people.unit_id'),
      )
      .execute();
  });
}

/** Whether the day's headcount snapshot was taken. */
export async function hasHeadcountSnapshot(db: Conn, day: string): Promise<boolean> {
  return (await db.selectFrom('headcount_days').select('day').where('day', '=', day).executeTakeFirst()) !== undefined;
}

/** The days of the period that have a snapshot: the days a period's figures count. */
export async function snapshotDays(db: Conn, from: string, to: string): Promise<string[]> {
  const rows = await db.selectFrom('headcount_days').select('day').where('day', '>=', from).where('day', '<=', to).orderBy('day').execute();
  return rows.map((r) => r.day);
}

/** How many units a subtree has (one range of the path index): which way to read its counts. */
export async function unitCountIn(db: Conn, path: string): Promise<number> {
  const r = await db
    .selectFrom('units')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Below this many units, a subtree's rows are read unit by unit (a few key lookups each); above it,
 * day by day across the organisation, keeping the subtree's rows. Without statistics SQLite's
 * planner would take one way whatever the size; CROSS JOIN keeps the join order as written.
 */
const UNIT_BY_UNIT_BELOW = 400;

/** A subtree's check-in counts on the given days (≤ 92), read the cheaper way for its size. */
function countsOf(db: Conn, path: string, days: readonly string[], units: number) {
  const q =
    units < UNIT_BY_UNIT_BELOW
      ? db.selectFrom('units').crossJoin('checkin_counts').whereRef('checkin_counts.unit_id', '=', 'units.id')
      : db.selectFrom('checkin_counts').innerJoin('units', 'units.id', 'checkin_counts.unit_id');
  return q.where('checkin_counts.day', 'in', days).where((eb) => pathInSubtrees(eb, 'units.path', [path]));
}

/** A subtree's snapshotted headcounts on the given days, the same way. */
function headcountsOf(db: Conn, path: string, days: readonly string[], units: number) {
  const q =
    units < UNIT_BY_UNIT_BELOW
      ? db.selectFrom('units').crossJoin('headcounts').whereRef('headcounts.unit_id', '=', 'units.id')
      : db.selectFrom('headcounts').innerJoin('units', 'units.id', 'headcounts.unit_id');
  return q.where('headcounts.day', 'in', days).where((eb) => pathInSubtrees(eb, 'units.path', [path]));
}

export interface DayCounts {
  day: string;
  checked_in: number;
  abnormal: number;
  on_time: number;
}

/** Per day, the subtree's summed counts (days without any check-in are absent). */
export async function countsByDay(db: Conn, path: string, days: readonly string[], units: number): Promise<DayCounts[]> {
  if (days.length === 0) return [];
  const rows = await countsOf(db, path, days, units)
    .select((eb) => [
      'checkin_counts.day as day',
      eb.fn.sum<number>('checkin_counts.checked_in').as('checked_in'),
      eb.fn.sum<number>('checkin_counts.abnormal').as('abnormal'),
      eb.fn.sum<number>('checkin_counts.on_time').as('on_time'),
    ])
    .groupBy('checkin_counts.day')
    .execute();
  return rows.map((r) => ({ day: r.day, checked_in: Number(r.checked_in), abnormal: Number(r.abnormal), on_time: Number(r.on_time) }));
}

/** Per day, the subtree's snapshotted headcount (days with no snapshot row in the subtree are absent). */
export async function headcountsByDay(db: Conn, path: string, days: readonly string[], units: number): Promise<Map<string, number>> {
  if (days.length === 0) return new Map();
  const rows = await headcountsOf(db, path, days, units)
    .select((eb) => ['headcounts.day as day', eb.fn.sum<number>('headcounts.headcount').as('n')])
    .groupBy('headcounts.day')
    .execute();
  return new Map(rows.map((r) => [r.day, Number(r.n)]));
}

export interface UnitPeriodRow {
  unit_id: number;
  checked_in: number;
  on_time: number;
  headcount_days: number;
}

/**
 * Per unit of the subtree, its check-ins and on-time check-ins over the given days (the period's
 * snapshot days), and the sum of its snapshotted headcounts over them.
 */
export async function periodByUnit(db: Conn, path: string, days: readonly string[], units: number): Promise<UnitPeriodRow[]> {
  if (days.length === 0) return [];
  const [counts, heads] = await Promise.all([
    countsOf(db, path, days, units)
      .select((eb) => ['checkin_counts.unit_id as unit_id', eb.fn.sum<number>('checkin_counts.checked_in').as('checked_in'), eb.fn.sum<number>('checkin_counts.on_time').as('on_time')])
      .groupBy('checkin_counts.unit_id')
      .execute(),
    headcountsOf(db, path, days, units)
      .select((eb) => ['headcounts.unit_id as unit_id', eb.fn.sum<number>('headcounts.headcount').as('n')])
      .groupBy('headcounts.unit_id')
      .execute(),
  ]);
  const byUnit = new Map<number, UnitPeriodRow>();
  const row = (id: number) => {
    let r = byUnit.get(id);
    if (!r) byUnit.set(id, (r = { unit_id: id, checked_in: 0, on_time: 0, headcount_days: 0 }));
    return r;
  };
  for (const c of counts) Object.assign(row(c.unit_id), { checked_in: Number(c.checked_in), on_time: Number(c.on_time) });
  for (const h of heads) row(h.unit_id).headcount_days = Number(h.n);
  return [...byUnit.values()];
}

export interface ChildDayRow {
  /** The path of the child of the asked unit the rows lie under (the asked unit's own path for its own people). */
  child_path: string;
  day: string;
  checked_in: number;
  on_time: number;
  headcount_days: number;
}

/**
 * Per child of a unit (its whole subtree) and per day of `days` (≤ 184), the check-ins, on-time
 * check-ins and snapshotted headcount: one pass over each table, summed per child in SQL, so the
 * whole organisation (5,000 units × 60 days) answers with a row per child and day.
 */
export async function countsByChildAndDay(db: Conn, path: string, days: readonly string[]): Promise<ChildDayRow[]> {
  if (days.length === 0) return [];
  const child = childPathSql(dialectOf(db), 'units.path', path);
  const [counts, heads] = await Promise.all([
    db
      .selectFrom('checkin_counts')
      .innerJoin('units', 'units.id', 'checkin_counts.unit_id')
      .where('checkin_counts.day', 'in', days)
      .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
      .select((eb) => [child.as('child_path'), 'checkin_counts.day as day', eb.fn.sum<number>('checkin_counts.checked_in').as('checked_in'), eb.fn.sum<number>('checkin_counts.on_time').as('on_time')])
      .groupBy([sql.ref('child_path'), 'checkin_counts.day'])
      .execute(),
    db
      .selectFrom('headcounts')
      .innerJoin('units', 'units.id', 'headcounts.unit_id')
      .where('headcounts.day', 'in', days)
      .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
      .select((eb) => [child.as('child_path'), 'headcounts.day as day', eb.fn.sum<number>('headcounts.headcount').as('n')])
      .groupBy([sql.ref('child_path'), 'headcounts.day'])
      .execute(),
  ]);
  const out = new Map<string, ChildDayRow>();
  const row = (child_path: string, day: string) => {
    const k = `${child_path} ${day}`;
    let r = out.get(k);
    if (!r) out.set(k, (r = { child_path, day, checked_in: 0, on_time: 0, headcount_days: 0 }));
    return r;
  };
  for (const c of counts) Object.assign(row(c.child_path, c.day), { checked_in: Number(c.checked_in), on_time: Number(c.on_time) });
  for (const h of heads) row(h.child_path, h.day).headcount_days = Number(h.n);
  return [...out.values()];
}
