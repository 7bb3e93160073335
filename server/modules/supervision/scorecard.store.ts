import { sql, type Expression, type RawBuilder } from 'kysely';
import { dialectOf, type Conn } from '../../db/database.js';
import { childPathSql, pathInSubtrees } from '../../db/tree.js';

/**
 * The scorecard's passes: one indexed pass per metric over a subtree and a time window (both periods
 * at once), grouped in SQL by unit and by hour since the window's start, so the service sums units
 * up the tree and hours into days and periods in memory. Never a query per unit. Drills are left out.
 */

export const HOUR = 3_600_000;

/** Whole hours from `base` to a timestamp column (≥ base): the bucket a row is counted in. */
const hourOf = (col: Expression<number> | RawBuilder<number>, base: number) => sql<number>`cast((${col} - ${base}) / ${HOUR} as integer)`;

/**
 * A count of duties that fell due in one hour of the window under one child of the asked unit (its
 * whole subtree; the asked unit's own path for its own), and how many were met.
 */
export interface DueBucket {
  child_path: string;
  hour: number;
  due: number;
  met: number;
}

const numeric = (rows: { child_path: string; hour: number | string; due: number | string; met: number | string | null }[]): DueBucket[] =>
  rows.map((r) => ({ child_path: r.child_path, hour: Number(r.hour), due: Number(r.due), met: Number(r.met ?? 0) }));

const childOf = (db: Conn, path: string) => childPathSql(dialectOf(db), 'u.path', path).as('child_path');

/**
 * Tasks (not of a drill directive) of the subtree whose deadline fell in [base, cap): met when done
 * or verified by the deadline. Rides tasks_deadline (deadline, status).
 */
export async function taskBuckets(db: Conn, path: string, base: number, cap: number): Promise<DueBucket[]> {
  const rows = await db
    .selectFrom('tasks as t')
    .innerJoin('directives as d', 'd.id', 't.directive_id')
    .innerJoin('units as u', 'u.id', 't.unit_id')
    .where('t.deadline', '>=', base)
    .where('t.deadline', '<', cap)
    .where('d.drill', '=', 0)
    .where((eb) => pathInSubtrees(eb, 'u.path', [path]))
    .select((eb) => [
      childOf(db, path),
      hourOf(eb.ref('t.deadline'), base).as('hour'),
      eb.fn.countAll<number>().as('due'),
      eb.fn.sum<number>(sql`case when t.status in ('done', 'verified') and t.completed_at <= t.deadline then 1 else 0 end`).as('met'),
    ])
    .groupBy([sql.ref('child_path'), sql.ref('hour')])
    .execute();
  return numeric(rows);
}

/**
 * Incident levels (not of drills) at the subtree's units reached in [base, cap) with a time limit,
 * counted once their deadline has passed (or they were acknowledged): met when acknowledged by it.
 */
export async function incidentLevelBuckets(db: Conn, path: string, base: number, cap: number, now: number): Promise<DueBucket[]> {
  const rows = await db
    .selectFrom('incident_levels as l')
    .innerJoin('incidents as i', 'i.id', 'l.incident_id')
    .innerJoin('units as u', 'u.id', 'l.unit_id')
    .where('l.arrived_at', '>=', base)
    .where('l.arrived_at', '<', cap)
    .where('l.deadline', 'is not', null)
    .where('i.drill', '=', 0)
    .where((eb) => eb.or([eb('l.deadline', '<=', now), eb('l.acknowledged_at', 'is not', null)]))
    .where((eb) => pathInSubtrees(eb, 'u.path', [path]))
    .select((eb) => [
      childOf(db, path),
      hourOf(sql<number>`l.arrived_at`, base).as('hour'),
      eb.fn.countAll<number>().as('due'),
      eb.fn.sum<number>(sql`case when l.acknowledged_at is not null and l.acknowledged_at <= l.deadline then 1 else 0 end`).as('met'),
    ])
    .groupBy([sql.ref('child_path'), sql.ref('hour')])
    .execute();
  return numeric(rows);
}

/**
 * Stricter-than-parent exceptions (measure_values not simply 'set') asked by the subtree's units in
 * [base, cap): `due` = asked, `met` = refused. Rides measure_values_status (status, requested_at).
 */
export async function exceptionBuckets(db: Conn, path: string, base: number, cap: number): Promise<DueBucket[]> {
  const rows = await db
    .selectFrom('measure_values as v')
    .innerJoin('units as u', 'u.id', 'v.unit_id')
    .where('v.status', 'in', ['pending', 'approved', 'refused', 'withdrawn'])
    .where('v.requested_at', '>=', base)
    .where('v.requested_at', '<', cap)
    .where((eb) => pathInSubtrees(eb, 'u.path', [path]))
    .select((eb) => [
      childOf(db, path),
      hourOf(eb.ref('v.requested_at'), base).as('hour'),
      eb.fn.countAll<number>().as('due'),
      eb.fn.sum<number>(sql`case when v.status = 'refused' then 1 else 0 end`).as('met'),
    ])
    .groupBy([sql.ref('child_path'), sql.ref('hour')])
    .execute();
  return numeric(rows);
}

/** A key place of the subtree that was active at some point after `since`. */
export interface PlaceForSchedule {
  id: number;
  unit_id: number;
  name: string;
  responsible_person_id: number | null;
  frequency_days: number;
  created_at: number;
  last_inspected_at: number | null;
  archived_at: number | null;
  /** The last inspection before `since`, if any (one index probe per place). */
  last_before: number | null;
}

/** The subtree's places active at some point since `since`, each with its last inspection before then. */
export async function placesForSchedule(db: Conn, path: string, since: number): Promise<PlaceForSchedule[]> {
  const rows = await db
    .selectFrom('places as p')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .where((eb) => eb.or([eb('p.archived_at', 'is', null), eb('p.archived_at', '>', since)]))
    .where((eb) => pathInSubtrees(eb, 'u.path', [path]))
    .select((eb) => [
      'p.id',
      'p.unit_id',
      'p.name',
      'p.responsible_person_id',
      'p.frequency_days',
      'p.created_at',
      'p.last_inspected_at',
      'p.archived_at',
      eb.selectFrom('place_inspections as pi').whereRef('pi.place_id', '=', 'p.id').where('pi.inspected_at', '<', since).select((e) => e.fn.max('pi.inspected_at').as('m')).as('last_before'),
    ])
    .execute();
  return rows.map((r) => ({
    ...r,
    frequency_days: Number(r.frequency_days),
    created_at: Number(r.created_at),
    last_inspected_at: r.last_inspected_at === null ? null : Number(r.last_inspected_at),
    archived_at: r.archived_at === null ? null : Number(r.archived_at),
    last_before: r.last_before === null || r.last_before === undefined ? null : Number(r.last_before),
  }));
}

/** The inspection times of the subtree's places in [from, to), by place, in order. */
export async function inspectionTimes(db: Conn, path: string, from: number, to: number): Promise<Map<number, number[]>> {
  const rows = await db
    .selectFrom('place_inspections as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .where('i.inspected_at', '>=', from)
    .where('i.inspected_at', '<', to)
    .where((eb) => pathInSubtrees(eb, 'u.path', [path]))
    .select(['i.place_id', 'i.inspected_at'])
    .orderBy('i.place_id')
    .orderBy('i.inspected_at')
    .execute();
  const out = new Map<number, number[]>();
  for (const r of rows) {
    const list = out.get(r.place_id) ?? [];
    list.push(Number(r.inspected_at));
    out.set(r.place_id, list);
  }
  return out;
}

/** The units of the subtree that keep a roster, and since when. */
export async function rosterUnits(db: Conn, path: string): Promise<{ id: number; name: string; since: number }[]> {
  const rows = await db
    .selectFrom('duty_rosters as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .where('u.archived_at', 'is', null)
    .where((eb) => pathInSubtrees(eb, 'u.path', [path]))
    .select(['u.id', 'u.name', 'r.created_at'])
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, since: Number(r.created_at) }));
}

/** The units of a subtree (archived ones too: their past duties count), with their paths. */
export async function unitsOf(db: Conn, path: string): Promise<{ id: number; name: string; path: string; parent_id: number | null; archived_at: number | null }[]> {
  return db
    .selectFrom('units')
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
    .select(['id', 'name', 'path', 'parent_id', 'archived_at'])
    .execute();
}

/** A task that fell due in the window and was not done by its deadline (drills left out). */
export async function missedTasks(db: Conn, path: string, from: number, cap: number, offset: number, limit: number) {
  const base = db
    .selectFrom('tasks as t')
    .innerJoin('directives as d', 'd.id', 't.directive_id')
    .innerJoin('units as u', 'u.id', 't.unit_id')
    .where('t.deadline', '>=', from)
    .where('t.deadline', '<', cap)
    .where('d.drill', '=', 0)
    .where((eb) => eb.not(eb.and([eb('t.status', 'in', ['done', 'verified']), eb('t.completed_at', '<=', eb.ref('t.deadline'))])))
    .where((eb) => pathInSubtrees(eb, 'u.path', [path]));
  const [rows, count] = await Promise.all([
    base
      .leftJoin('people as p', 'p.id', 't.responsible_person_id')
      .select(['t.id', 't.unit_id', 'u.name as unit_name', 't.title', 't.deadline', 't.completed_at', 't.responsible_person_id', 'p.name as person_name'])
      .orderBy('t.deadline')
      .orderBy('t.id')
      .offset(offset)
      .limit(limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** An incident level (not of a drill) reached in the window whose deadline passed without its acknowledgement in time. */
export async function missedLevels(db: Conn, path: string, from: number, cap: number, now: number, offset: number, limit: number) {
  const base = db
    .selectFrom('incident_levels as l')
    .innerJoin('incidents as i', 'i.id', 'l.incident_id')
    .innerJoin('units as u', 'u.id', 'l.unit_id')
    .where('l.arrived_at', '>=', from)
    .where('l.arrived_at', '<', cap)
    .where('l.deadline', 'is not', null)
    .where('l.deadline', '<=', now)
    .where('i.drill', '=', 0)
    .where((eb) => eb.or([eb('l.acknowledged_at', 'is', null), eb('l.acknowledged_at', '>', eb.ref('l.deadline'))]))
    .where((eb) => pathInSubtrees(eb, 'u.path', [path]));
  const [rows, count] = await Promise.all([
    base
      .select(['l.id', 'l.incident_id', 'l.position', 'l.unit_id', 'u.name as unit_name', 'u.path as unit_path', 'l.deadline', 'l.acknowledged_at'])
      .orderBy('l.deadline')
      .orderBy('l.id')
      .offset(offset)
      .limit(limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Exceptions asked by the subtree's units in the window and refused. */
export async function refusedExceptions(db: Conn, path: string, from: number, cap: number, offset: number, limit: number) {
  const base = db
    .selectFrom('measure_values as v')
    .innerJoin('units as u', 'u.id', 'v.unit_id')
    .where('v.status', '=', 'refused')
    .where('v.requested_at', '>=', from)
    .where('v.requested_at', '<', cap)
    .where((eb) => pathInSubtrees(eb, 'u.path', [path]));
  const [rows, count] = await Promise.all([
    base
      .leftJoin('users as us', 'us.id', 'v.requested_by_user_id')
      .leftJoin('people as p', 'p.id', 'us.person_id')
      .select(['v.id', 'v.unit_id', 'u.name as unit_name', 'u.path as unit_path', 'v.measure_key', 'v.requested_at', 'v.decided_at', 'v.requested_by_user_id', 'us.person_id', 'p.name as person_name', 'us.display_name', 'us.username'])
      .orderBy('v.requested_at')
      .orderBy('v.id')
      .offset(offset)
      .limit(limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Units by id with their names and paths. */
export async function unitsByIds(db: Conn, ids: readonly number[]): Promise<Map<number, { name: string; path: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('units').where('id', 'in', [...new Set(ids)]).select(['id', 'name', 'path']).execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, path: r.path }]));
}

