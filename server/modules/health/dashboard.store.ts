import { sql } from 'kysely';
import type { Conn } from '../../db/database.js';
import { pathInSubtrees } from '../../db/tree.js';

/**
 * The dashboard's queries over the per-(day, unit) tables (checkin_counts, headcounts): a period
 * is one indexed pass per table, grouped in SQL; check-in rows are never counted here.
 */

/**
 * Snapshot today's active people per unit for the whole organisation. A second snapshot of the
 * same day changes nothing: the first one stands.
 */
export async function snapshotHeadcounts(db: Conn, day: string): Promise<void> {
  await db
    .insertInto('headcounts')
    .columns(['day', 'unit_id', 'headcount'])
    .expression((eb) =>
      eb
        .selectFrom('people')
        .select([sql<string>`cast(${day} as text)`.as('day'), 'people.unit_id', eb.fn.countAll<number>().as('headcount')])
        .where('people.status', '=', 'active')
        .groupBy('people.unit_id'),
    )
    .onConflict((oc) => oc.columns(['day', 'unit_id']).doNothing())
    .execute();
}

/** Whether a headcount snapshot of the day exists. */
export async function hasHeadcountSnapshot(db: Conn, day: string): Promise<boolean> {
  return (await db.selectFrom('headcounts').select('day').where('day', '=', day).limit(1).executeTakeFirst()) !== undefined;
}

/** The days of the period that have a snapshot: the days a period's figures count. */
export async function snapshotDays(db: Conn, from: string, to: string): Promise<string[]> {
  const rows = await db.selectFrom('headcounts').select('day').distinct().where('day', '>=', from).where('day', '<=', to).orderBy('day').execute();
  return rows.map((r) => r.day);
}

export interface DayCounts {
  day: string;
  checked_in: number;
  abnormal: number;
  on_time: number;
}

/** Per day of the period, the subtree's summed counts (days without any check-in are absent). */
export async function countsByDay(db: Conn, path: string, from: string, to: string): Promise<DayCounts[]> {
  const rows = await db
    .selectFrom('checkin_counts')
    .innerJoin('units', 'units.id', 'checkin_counts.unit_id')
    .select((eb) => [
      'checkin_counts.day as day',
      eb.fn.sum<number>('checkin_counts.checked_in').as('checked_in'),
      eb.fn.sum<number>('checkin_counts.abnormal').as('abnormal'),
      eb.fn.sum<number>('checkin_counts.on_time').as('on_time'),
    ])
    .where('checkin_counts.day', '>=', from)
    .where('checkin_counts.day', '<=', to)
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
    .groupBy('checkin_counts.day')
    .execute();
  return rows.map((r) => ({ day: r.day, checked_in: Number(r.checked_in), abnormal: Number(r.abnormal), on_time: Number(r.on_time) }));
}

/** Per day of the period, the subtree's snapshotted headcount (days with no snapshot row are absent). */
export async function headcountsByDay(db: Conn, path: string, from: string, to: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('headcounts')
    .innerJoin('units', 'units.id', 'headcounts.unit_id')
    .select((eb) => ['headcounts.day as day', eb.fn.sum<number>('headcounts.headcount').as('n')])
    .where('headcounts.day', '>=', from)
    .where('headcounts.day', '<=', to)
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
    .groupBy('headcounts.day')
    .execute();
  return new Map(rows.map((r) => [r.day, Number(r.n)]));
}

export interface UnitPeriodRow {
  path: string;
  checked_in: number;
  on_time: number;
  headcount_days: number;
}

/**
 * Per unit of the subtree, its check-ins and on-time check-ins over the period's snapshot days
 * (`days`, at most 92), and the sum of its snapshotted headcounts over them.
 */
export async function periodByUnit(db: Conn, path: string, days: readonly string[]): Promise<UnitPeriodRow[]> {
  if (days.length === 0) return [];
  const [counts, heads] = await Promise.all([
    db
      .selectFrom('checkin_counts')
      .innerJoin('units', 'units.id', 'checkin_counts.unit_id')
      .select((eb) => ['units.path as path', eb.fn.sum<number>('checkin_counts.checked_in').as('checked_in'), eb.fn.sum<number>('checkin_counts.on_time').as('on_time')])
      .where('checkin_counts.day', 'in', days)
      .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
      .groupBy('units.path')
      .execute(),
    db
      .selectFrom('headcounts')
      .innerJoin('units', 'units.id', 'headcounts.unit_id')
      .select((eb) => ['units.path as path', eb.fn.sum<number>('headcounts.headcount').as('n')])
      .where('headcounts.day', 'in', days)
      .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
      .groupBy('units.path')
      .execute(),
  ]);
  const byPath = new Map<string, UnitPeriodRow>();
  const row = (p: string) => {
    let r = byPath.get(p);
    if (!r) byPath.set(p, (r = { path: p, checked_in: 0, on_time: 0, headcount_days: 0 }));
    return r;
  };
  for (const c of counts) Object.assign(row(c.path), { checked_in: Number(c.checked_in), on_time: Number(c.on_time) });
  for (const h of heads) row(h.path).headcount_days = Number(h.n);
  return [...byPath.values()];
}
