import { sql } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { DiningPlanRow, DiningPlanUnitRow } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/**
 * SQL of dining plans. A plan is in force on day D when it was published (status published or
 * superseded) with from_day ≤ D and (until_day null or D < until_day): days are 'YYYY-MM-DD'
 * text, so the comparisons are plain string ones on both databases.
 */

export interface PlanWithNames extends DiningPlanRow {
  created_by_name: string | null;
  published_by_name: string | null;
}

const published = ['published', 'superseded'];

export async function findPlan(db: Conn, canteenId: number, planId: number): Promise<PlanWithNames | undefined> {
  return db
    .selectFrom('dining_plans as p')
    .leftJoin('users as cu', 'cu.id', 'p.created_by_user_id')
    .leftJoin('users as pu', 'pu.id', 'p.published_by_user_id')
    .selectAll('p')
    .select(['cu.username as created_by_name', 'pu.username as published_by_name'])
    .where('p.id', '=', planId)
    .where('p.canteen_id', '=', canteenId)
    .executeTakeFirst();
}

/** A canteen's plans, newest first. */
export async function plansOf(db: Conn, canteenId: number): Promise<PlanWithNames[]> {
  return db
    .selectFrom('dining_plans as p')
    .leftJoin('users as cu', 'cu.id', 'p.created_by_user_id')
    .leftJoin('users as pu', 'pu.id', 'p.published_by_user_id')
    .selectAll('p')
    .select(['cu.username as created_by_name', 'pu.username as published_by_name'])
    .where('p.canteen_id', '=', canteenId)
    .orderBy('p.id', 'desc')
    .execute();
}

/** The plans of these canteens in force on `day` (one per canteen). */
export async function plansInForce(db: Conn, canteenIds: readonly number[], day: string): Promise<DiningPlanRow[]> {
  if (canteenIds.length === 0) return [];
  return db
    .selectFrom('dining_plans')
    .selectAll()
    .where('canteen_id', 'in', [...canteenIds])
    .where('status', 'in', published)
    .where('from_day', '<=', day)
    .where((eb) => eb.or([eb('until_day', 'is', null), eb('until_day', '>', day)]))
    .execute();
}

/** Published plans of a canteen whose time in force reaches `day` or later (until_day open or after it). */
export async function plansInForceFrom(db: Conn, canteenId: number, day: string): Promise<DiningPlanRow[]> {
  return db
    .selectFrom('dining_plans')
    .selectAll()
    .where('canteen_id', '=', canteenId)
    .where('status', 'in', published)
    .where((eb) => eb.or([eb('until_day', 'is', null), eb('until_day', '>', day)]))
    .execute();
}

/** End every plan of a canteen still in force on or after `day` at that day (superseded); the ids ended. */
export async function endPlansFrom(tx: Conn, canteenId: number, day: string, now: number): Promise<number[]> {
  const ended: number[] = [];
  for (const old of await plansInForceFrom(tx, canteenId, day)) {
    // A plan that had not started by then never comes into force: its range becomes empty.
    await updatePlan(tx, old.id, { status: 'superseded', until_day: old.from_day! >= day ? old.from_day : day, updated_at: now });
    ended.push(old.id);
  }
  return ended;
}

export async function insertPlan(tx: Conn, row: Omit<DiningPlanRow, 'id'>): Promise<number> {
  return (await tx.insertInto('dining_plans').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updatePlan(tx: Conn, id: number, set: Partial<Omit<DiningPlanRow, 'id'>>): Promise<void> {
  await tx.updateTable('dining_plans').set(set).where('id', '=', id).execute();
}

export async function deletePlan(tx: Conn, id: number): Promise<void> {
  await tx.deleteFrom('dining_plan_units').where('plan_id', '=', id).execute();
  await tx.deleteFrom('dining_plans').where('id', '=', id).execute();
}

export async function insertPlanUnits(tx: Conn, rows: readonly DiningPlanUnitRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) if (rows.length) await tx.insertInto('dining_plan_units').values(rows.slice(i, i + 200)).execute();
}

export async function planUnitsOf(db: Conn, planIds: readonly number[]): Promise<(DiningPlanUnitRow & { unit_name: string })[]> {
  if (planIds.length === 0) return [];
  return db
    .selectFrom('dining_plan_units as pu')
    .innerJoin('units as u', 'u.id', 'pu.unit_id')
    .selectAll('pu')
    .select('u.name as unit_name')
    .where('pu.plan_id', 'in', [...planIds])
    .execute();
}

export async function movePlanUnit(tx: Conn, planId: number, meal: string, unitId: number, set: { slot_start: number; slot_end: number; reason: null; forced_reason: string | null }): Promise<void> {
  await tx.updateTable('dining_plan_units').set(set).where('plan_id', '=', planId).where('meal', '=', meal).where('unit_id', '=', unitId).execute();
}

/** Per plan: units placed, units unplaced, people placed (the list's summary). */
export async function planCounts(db: Conn, planIds: readonly number[]): Promise<Map<number, { placed: number; unplaced: number; people: number }>> {
  const out = new Map<number, { placed: number; unplaced: number; people: number }>();
  if (planIds.length === 0) return out;
  const rows = await db
    .selectFrom('dining_plan_units')
    .select([
      'plan_id',
      sql<number>`sum(case when slot_start is null then 0 else 1 end)`.as('placed'),
      sql<number>`sum(case when slot_start is null then 1 else 0 end)`.as('unplaced'),
      sql<number>`sum(case when slot_start is null then 0 else headcount end)`.as('people'),
    ])
    .where('plan_id', 'in', [...planIds])
    .groupBy('plan_id')
    .execute();
  for (const r of rows) out.set(r.plan_id, { placed: Number(r.placed), unplaced: Number(r.unplaced), people: Number(r.people) });
  return out;
}

/**
 * The placed rows, of plans in force on some day of [fromDay, toDay], for these units (the
 * chain of a person's unit): /me/dining and contact searches. With each plan's dates and canteen.
 */
export async function placementsOfUnits(db: Conn, unitIds: readonly number[], fromDay: string, toDay: string) {
  if (unitIds.length === 0) return [];
  return db
    .selectFrom('dining_plan_units as pu')
    .innerJoin('dining_plans as p', 'p.id', 'pu.plan_id')
    .innerJoin('canteens as c', 'c.id', 'p.canteen_id')
    .innerJoin('units as u', 'u.id', 'pu.unit_id')
    .select(['pu.plan_id', 'pu.meal', 'pu.unit_id', 'u.name as unit_name', 'u.path as unit_path', 'pu.slot_start', 'pu.slot_end', 'p.from_day', 'p.until_day', 'p.canteen_id', 'c.name as canteen_name'])
    .where('pu.unit_id', 'in', [...unitIds])
    .where('p.status', 'in', published)
    .where('p.from_day', '<=', toDay)
    .where((eb) => eb.or([eb('p.until_day', 'is', null), eb('p.until_day', '>', fromDay)]))
    .execute();
}

/** The units placed in these (plan, meal, slot) triples, with their paths. */
export async function unitsInSlots(db: Conn, slots: readonly { planId: number; meal: string; slotStart: number }[]) {
  if (slots.length === 0) return [];
  return db
    .selectFrom('dining_plan_units as pu')
    .innerJoin('units as u', 'u.id', 'pu.unit_id')
    .select(['pu.plan_id', 'pu.meal', 'pu.slot_start', 'pu.unit_id', 'u.path as unit_path'])
    .where((eb) => eb.or(slots.map((s) => eb.and([eb('pu.plan_id', '=', s.planId), eb('pu.meal', '=', s.meal), eb('pu.slot_start', '=', s.slotStart)]))))
    .execute();
}

/**
 * Every diner unit (placed or not) of any published plan in force on some day of [fromDay, toDay]
 * whose unit lies in these subtrees: who ate where, for the nearest-diner rule across canteens.
 */
export async function dinerUnitsInForce(db: Conn, paths: readonly string[], fromDay: string, toDay: string) {
  if (paths.length === 0) return [];
  return db
    .selectFrom('dining_plan_units as pu')
    .innerJoin('dining_plans as p', 'p.id', 'pu.plan_id')
    .innerJoin('units as u', 'u.id', 'pu.unit_id')
    .select(['pu.plan_id', 'pu.meal', 'pu.unit_id', 'u.path as unit_path', 'pu.slot_start'])
    .where('p.status', 'in', published)
    .where('p.from_day', '<=', toDay)
    .where((eb) => eb.or([eb('p.until_day', 'is', null), eb('p.until_day', '>', fromDay)]))
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .execute();
}

