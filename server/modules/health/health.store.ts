import { sql } from 'kysely';
import type { Conn, DbHandle } from '../../db/database.js';
import { hotQuery } from '../../db/hot.js';
import type { CheckinRow, CheckinCountsTable } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';
import { COUNT_COLUMNS, type CountVector } from './health.policy.js';

/** The queries of the health module. Rules live in the service and health.policy.ts. */

export async function findCheckin(db: Conn, personId: number, day: string): Promise<CheckinRow | undefined> {
  return db.selectFrom('checkins').selectAll().where('person_id', '=', personId).where('day', '=', day).executeTakeFirst();
}

/** findCheckin as a cached prepared statement on SQLite (db/hot.ts), for the check-in path. */
const checkinHot = hotQuery((db: Conn, personId: number, day: string) => db.selectFrom('checkins').selectAll().where('person_id', '=', personId).where('day', '=', day));
export async function findCheckinHot(handle: DbHandle, personId: number, day: string): Promise<CheckinRow | undefined> {
  return (await checkinHot(handle, personId, day))[0];
}

/** A person's check-ins from `fromDay` on, newest first. */
export async function checkinsOfPerson(db: Conn, personId: number, fromDay: string): Promise<CheckinRow[]> {
  return db.selectFrom('checkins').selectAll().where('person_id', '=', personId).where('day', '>=', fromDay).orderBy('day', 'desc').execute();
}

export type NewCheckin = Omit<CheckinRow, 'id'>;

export async function insertCheckin(tx: Conn, row: NewCheckin): Promise<CheckinRow> {
  return tx.insertInto('checkins').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateCheckin(tx: Conn, id: number, set: Partial<NewCheckin>): Promise<CheckinRow> {
  return tx.updateTable('checkins').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** The statement both write paths use to add a delta to one (day, unit) row of counts. */
export const ADD_COUNTS_SQL = `insert into checkin_counts (day, unit_id, ${COUNT_COLUMNS.map((c) => `"${c}"`).join(', ')})
  values (${['?', '?', ...COUNT_COLUMNS.map(() => '?')].join(', ')})
  on conflict (day, unit_id) do update set ${COUNT_COLUMNS.map((c) => `"${c}" = checkin_counts."${c}" + excluded."${c}"`).join(', ')}`;

export async function addCounts(tx: Conn, day: string, unitId: number, delta: CountVector): Promise<void> {
  await tx
    .insertInto('checkin_counts')
    .values({ day, unit_id: unitId, ...delta })
    .onConflict((oc) =>
      oc.columns(['day', 'unit_id']).doUpdateSet(Object.fromEntries(COUNT_COLUMNS.map((c) => [c, sql<number>`${sql.ref(`checkin_counts.${c}`)} + ${sql.ref(`excluded.${c}`)}`])) as Record<keyof CountVector, ReturnType<typeof sql<number>>>),
    )
    .execute();
}

export type CountsRow = CheckinCountsTable & { path: string };

/** The day's counts of every unit in the subtree: one pass over the (day, unit) key. */
export async function countsIn(db: Conn, path: string, day: string): Promise<CountsRow[]> {
  return db
    .selectFrom('checkin_counts')
    .innerJoin('units', 'units.id', 'checkin_counts.unit_id')
    .selectAll('checkin_counts')
    .select('units.path as path')
    .where('checkin_counts.day', '=', day)
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
    .execute();
}

export interface RollupUnitRow {
  id: number;
  parent_id: number | null;
  name: string;
  path: string;
  archived_at: number | null;
}

/** The units of a subtree with only what a roll-up shows: 5,000 units in one indexed range. */
export async function unitsForRollup(db: Conn, path: string): Promise<RollupUnitRow[]> {
  return db
    .selectFrom('units')
    .select(['id', 'parent_id', 'name', 'path', 'archived_at'])
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
}

/**
 * Active people per unit of a subtree (keyed by unit id), now: read from unit_headcounts, which
 * triggers on people keep exact in the same transaction as every write (migration 007_rollup).
 */
export async function headcountsIn(db: Conn, path: string): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('unit_headcounts')
    .innerJoin('units', 'units.id', 'unit_headcounts.unit_id')
    .select(['unit_headcounts.unit_id as unit_id', 'unit_headcounts.active as n'])
    .where('unit_headcounts.active', '<>', 0)
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
    .execute();
  return new Map(rows.map((r) => [r.unit_id, Number(r.n)]));
}

export type CheckinListRow = CheckinRow & { person_name: string; employee_no: string; unit_name: string; unit_path: string };

function checkinsOfDayIn(db: Conn, paths: readonly string[], day: string) {
  return db
    .selectFrom('checkins')
    .innerJoin('units', 'units.id', 'checkins.unit_id')
    .innerJoin('people', 'people.id', 'checkins.person_id')
    .where('checkins.day', '=', day)
    .where((eb) => pathInSubtrees(eb, 'units.path', paths));
}

/** One page of the day's check-ins in the subtrees, in tree then name order, and how many there are. */
export async function listCheckins(db: Conn, paths: readonly string[], day: string, offset: number, limit: number): Promise<{ rows: CheckinListRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    checkinsOfDayIn(db, paths, day)
      .selectAll('checkins')
      .select(['people.name as person_name', 'people.employee_no as employee_no', 'units.name as unit_name', 'units.path as unit_path'])
      .orderBy('units.path')
      .orderBy('people.name')
      .orderBy('checkins.id')
      .offset(offset)
      .limit(limit)
      .execute(),
    checkinsOfDayIn(db, paths, day).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

function nonReportersQuery(db: Conn, path: string, day: string) {
  return db
    .selectFrom('people')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .where('people.status', '=', 'active')
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('checkins').select('checkins.id').whereRef('checkins.person_id', '=', 'people.id').where('checkins.day', '=', day))));
}

/** A person someone has to reach (a non-reporter, someone not yet tested), with where to find them. */
export interface NonReporterRow {
  id: number;
  name: string;
  employee_no: string;
  phone: string | null;
  unit_id: number;
  unit_name: string;
  unit_path: string;
}

/** Active people in the subtree with no check-in on the day, in tree then name order. */
export async function nonReporters(db: Conn, path: string, day: string, offset: number, limit: number): Promise<{ rows: NonReporterRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    nonReportersQuery(db, path, day)
      .select(['people.id as id', 'people.name as name', 'people.employee_no as employee_no', 'people.phone as phone', 'people.unit_id as unit_id', 'units.name as unit_name', 'units.path as unit_path'])
      .orderBy('units.path')
      .orderBy('people.name')
      .orderBy('people.id')
      .offset(offset)
      .limit(limit)
      .execute(),
    nonReportersQuery(db, path, day).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
