import { sql } from 'kysely';
import { daysFrom } from '../../../common/day.js';
import { dialectOf, type Conn, type Db } from '../../db/database.js';
import { pathInSubtrees } from '../../db/tree.js';

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

/**
 * How many units a subtree has (one range of the path index): which way to read its counts; with
 * no path, how many there are in all (a subtree with as many is the whole database).
 */
export async function unitCountIn(db: Conn, path: string | null): Promise<number> {
  let q = db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n'));
  if (path !== null) q = q.where((eb) => pathInSubtrees(eb, 'units.path', [path]));
  return Number((await q.executeTakeFirstOrThrow()).n);
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

/** Which way to read a subtree's per-(day, unit) rows (see countsOf), or every row: the subtree is the whole database. */
export interface Reach {
  path: string;
  units: number;
  whole: boolean;
}

/** Whether `days` (in order) are every day from the first to the last: then a range says the same as the list, cheaper. */
const unbroken = (days: readonly string[]) => days.length > 0 && daysFrom(days[0]!, days.at(-1)!) === days.length - 1;

// The whole database needs no units join nor path range; the selections below name the base table's
// columns only, so the builder of the joined read stands in for its type. PostgreSQL tests a long
// `in` list row by row: a run of days without a gap is read as a range.
const countsIn = (db: Conn, r: Reach, days: readonly string[]) => {
  if (!r.whole) return countsOf(db, r.path, days, r.units);
  const q = db.selectFrom('checkin_counts');
  return (unbroken(days) ? q.where('checkin_counts.day', '>=', days[0]!).where('checkin_counts.day', '<=', days.at(-1)!) : q.where('checkin_counts.day', 'in', days)) as unknown as ReturnType<typeof countsOf>;
};
const headcountsIn = (db: Conn, r: Reach, days: readonly string[]) => {
  if (!r.whole) return headcountsOf(db, r.path, days, r.units);
  const q = db.selectFrom('headcounts');
  return (unbroken(days) ? q.where('headcounts.day', '>=', days[0]!).where('headcounts.day', '<=', days.at(-1)!) : q.where('headcounts.day', 'in', days)) as unknown as ReturnType<typeof headcountsOf>;
};

export interface CheckinSums {
  headcount_days: number;
  checked_in: number;
  on_time: number;
  /** Check-ins capped at the headcount unit by unit and day: completeness's numerator. */
  met: number;
}

export interface UnitPeriodSums extends CheckinSums {
  unit_id: number;
  /** The current period (days ≥ `from`), else the previous one. */
  current: boolean;
}

export interface DaySums extends CheckinSums {
  day: string;
}

/** Above this many units with a possible surplus, their surplus is read through the subtree rather than by id. */
const SURPLUS_BY_ID_UP_TO = 1_000;

/**
 * Per unit of the subtree and period (days < `from`, days ≥ `from`) and, with `series`, per day of
 * the current period: headcount × days, check-ins, on-time check-ins, and check-ins capped at the
 * headcount per (unit, day). Grouped by unit id (no units join, no child path in SQL: the caller
 * sums units into children in memory). The cap needs a (unit, day) join of the two tables, costly
 * over the whole organisation, so it is taken only where it can bite: a unit whose most check-ins
 * on a day of a period exceed its least headcount in it (no row: 0); for those, the days with more
 * check-ins than headcount are read and their surplus taken off.
 */
export async function checkinsByUnitAndDay(db: Conn, reach: Reach, days: readonly string[], from: string, series: boolean): Promise<{ units: UnitPeriodSums[]; days: DaySums[] }> {
  if (days.length === 0) return { units: [], days: [] };
  const current = days.filter((d) => d >= from);
  const daysIn = [days.length - current.length, current.length];
  const isCurrent = (col: string) => sql<number>`case when ${sql.ref(col)} >= ${from} then 1 else 0 end`;
  // The day a row counts on in the series: the current period's days only.
  const seriesDay = (col: string) => sql<string | null>`case when ${sql.ref(col)} >= ${from} then ${sql.ref(col)} end`;
  const withSeries = series && current.length > 0;
  // PostgreSQL sums per unit and period and per day in one scan of each table (grouping sets); SQLite
  // has no grouping sets and reads the current period's days a second time, through the day index.
  const oneScan = dialectOf(db) === 'postgres' && withSeries;
  const bySets = sql`grouping sets ((${sql.ref('unit_id')}, ${sql.ref('current')}), (${sql.ref('series_day')}))`;
  const countSums = countsIn(db, reach, days).select((eb) => [
    'checkin_counts.unit_id as unit_id',
    isCurrent('checkin_counts.day').as('current'),
    eb.fn.sum<number>('checkin_counts.checked_in').as('checked_in'),
    eb.fn.sum<number>('checkin_counts.on_time').as('on_time'),
    eb.fn.max<number>('checkin_counts.checked_in').as('most'),
  ]);
  const headSums = headcountsIn(db, reach, days).select((eb) => [
    'headcounts.unit_id as unit_id',
    isCurrent('headcounts.day').as('current'),
    eb.fn.sum<number>('headcounts.headcount').as('n'),
    eb.fn.min<number>('headcounts.headcount').as('least'),
    eb.fn.countAll<number>().as('rows'),
  ]);
  type CountRow = { unit_id: number | null; current: number; checked_in: number; on_time: number; most: number; series_day?: string | null };
  type HeadRow = { unit_id: number | null; current: number; n: number; least: number; rows: number; series_day?: string | null };
  const [countRows, headRows, countsByDayRows, headsByDayRows] = await Promise.all([
    oneScan
      ? countSums.select(seriesDay('checkin_counts.day').as('series_day')).groupBy(bySets).execute()
      : countSums.groupBy(['checkin_counts.unit_id', sql.ref('current')]).execute(),
    oneScan
      ? headSums.select(seriesDay('headcounts.day').as('series_day')).groupBy(bySets).execute()
      : headSums.groupBy(['headcounts.unit_id', sql.ref('current')]).execute(),
    withSeries && !oneScan
      ? countsIn(db, reach, current)
          .select((eb) => ['checkin_counts.day as day', eb.fn.sum<number>('checkin_counts.checked_in').as('checked_in'), eb.fn.sum<number>('checkin_counts.on_time').as('on_time')])
          .groupBy('checkin_counts.day')
          .execute()
      : [],
    withSeries && !oneScan
      ? headcountsIn(db, reach, current)
          .select((eb) => ['headcounts.day as day', eb.fn.sum<number>('headcounts.headcount').as('n')])
          .groupBy('headcounts.day')
          .execute()
      : [],
  ]);
  // Grouping sets give the per-day rows with no unit (and one row with neither: the previous period's).
  const counts = (countRows as CountRow[]).filter((r) => r.unit_id !== null) as (CountRow & { unit_id: number })[];
  const heads = (headRows as HeadRow[]).filter((r) => r.unit_id !== null) as (HeadRow & { unit_id: number })[];
  const countsByDay = oneScan ? (countRows as CountRow[]).flatMap((r) => (r.unit_id === null && r.series_day ? [{ ...r, day: r.series_day }] : [])) : countsByDayRows;
  const headsByDay = oneScan ? (headRows as HeadRow[]).flatMap((r) => (r.unit_id === null && r.series_day ? [{ ...r, day: r.series_day }] : [])) : headsByDayRows;
  const byUnit = new Map<string, UnitPeriodSums>();
  const unitRow = (id: number, cur: boolean) => {
    const k = `${id} ${cur ? 1 : 0}`;
    let r = byUnit.get(k);
    if (!r) byUnit.set(k, (r = { unit_id: id, current: cur, headcount_days: 0, checked_in: 0, on_time: 0, met: 0 }));
    return r;
  };
  const least = new Map<string, number>();
  for (const h of heads) {
    const cur = Number(h.current) === 1;
    unitRow(h.unit_id, cur).headcount_days = Number(h.n);
    // A snapshot day without the unit's row is a headcount of 0.
    least.set(`${h.unit_id} ${cur ? 1 : 0}`, Number(h.rows) < daysIn[cur ? 1 : 0]! ? 0 : Number(h.least));
  }
  const surplusMayBite = new Set<number>();
  for (const c of counts) {
    const cur = Number(c.current) === 1;
    const r = unitRow(c.unit_id, cur);
    r.checked_in = r.met = Number(c.checked_in);
    r.on_time = Number(c.on_time);
    if (Number(c.most) > (least.get(`${c.unit_id} ${cur ? 1 : 0}`) ?? 0)) surplusMayBite.add(c.unit_id);
  }
  const byDay = new Map<string, DaySums>(current.map((d) => [d, { day: d, headcount_days: 0, checked_in: 0, on_time: 0, met: 0 }]));
  for (const c of countsByDay) Object.assign(byDay.get(c.day)!, { checked_in: Number(c.checked_in), met: Number(c.checked_in), on_time: Number(c.on_time) });
  for (const h of headsByDay) byDay.get(h.day)!.headcount_days = Number(h.n);
  if (surplusMayBite.size > 0) {
    const ids = [...surplusMayBite];
    const base =
      ids.length <= SURPLUS_BY_ID_UP_TO ? db.selectFrom('checkin_counts').where('checkin_counts.day', 'in', days).where('checkin_counts.unit_id', 'in', ids) : countsIn(db, reach, days);
    const surplus = await base
      .leftJoin('headcounts', (j) => j.onRef('headcounts.unit_id', '=', 'checkin_counts.unit_id').onRef('headcounts.day', '=', 'checkin_counts.day'))
      .where(sql<boolean>`checkin_counts.checked_in > coalesce(headcounts.headcount, 0)`)
      .select(['checkin_counts.unit_id as unit_id', 'checkin_counts.day as day', sql<number>`checkin_counts.checked_in - coalesce(headcounts.headcount, 0)`.as('surplus')])
      .execute();
    for (const s of surplus) {
      const cur = s.day >= from;
      unitRow(s.unit_id, cur).met -= Number(s.surplus);
      const d = byDay.get(s.day);
      if (d) d.met -= Number(s.surplus);
    }
  }
  return { units: [...byUnit.values()], days: series ? [...byDay.values()] : [] };
}
