import type { Conn } from '../../db/database.js';
import type { CanteenRow } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/** SQL of canteens and their diner units. */

export interface CanteenWithUnit extends CanteenRow {
  unit_name: string;
  unit_path: string;
}

export interface DinerRow {
  canteen_id: number;
  unit_id: number;
  unit_name: string;
  unit_path: string;
  meal: string;
  window_from: number | null;
  window_to: number | null;
}

function canteenQuery(db: Conn) {
  return db.selectFrom('canteens as c').innerJoin('units as u', 'u.id', 'c.unit_id').selectAll('c').select(['u.name as unit_name', 'u.path as unit_path']);
}

export async function findCanteen(db: Conn, id: number): Promise<CanteenWithUnit | undefined> {
  return canteenQuery(db).where('c.id', '=', id).where('c.archived_at', 'is', null).executeTakeFirst();
}

/** Live canteens whose unit lies in these subtrees, in tree order then name. */
export async function canteensIn(db: Conn, paths: readonly string[]): Promise<CanteenWithUnit[]> {
  return canteenQuery(db)
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .where('c.archived_at', 'is', null)
    .orderBy('u.path')
    .orderBy('c.name')
    .orderBy('c.id')
    .execute();
}

/** Serialise changes to one canteen (its diners, its plans' publication): the first write of a transaction. */
export async function lockCanteen(tx: Conn, id: number): Promise<void> {
  await tx.updateTable('canteens').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', id).execute();
}

export async function insertCanteen(tx: Conn, row: Omit<CanteenRow, 'id'>): Promise<number> {
  const r = await tx.insertInto('canteens').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateCanteen(tx: Conn, id: number, set: Partial<Omit<CanteenRow, 'id' | 'unit_id'>>): Promise<void> {
  await tx.updateTable('canteens').set(set).where('id', '=', id).execute();
}

/** The diner rows of some canteens, with their units. */
export async function dinersOf(db: Conn, canteenIds: readonly number[]): Promise<DinerRow[]> {
  if (canteenIds.length === 0) return [];
  return db
    .selectFrom('canteen_diners as d')
    .innerJoin('units as u', 'u.id', 'd.unit_id')
    .select(['d.canteen_id', 'd.unit_id', 'u.name as unit_name', 'u.path as unit_path', 'd.meal', 'd.window_from', 'd.window_to'])
    .where('d.canteen_id', 'in', [...canteenIds])
    .orderBy('u.path')
    .execute();
}

/** Diner rows of units lying in these subtrees (any canteen): the nested diners that take people from a diner unit. */
export async function dinersIn(db: Conn, paths: readonly string[]): Promise<DinerRow[]> {
  if (paths.length === 0) return [];
  return db
    .selectFrom('canteen_diners as d')
    .innerJoin('units as u', 'u.id', 'd.unit_id')
    .select(['d.canteen_id', 'd.unit_id', 'u.name as unit_name', 'u.path as unit_path', 'd.meal', 'd.window_from', 'd.window_to'])
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .execute();
}

/** Which (unit, meal) of these units already eat at a canteen other than `exceptCanteenId`. */
export async function dinersElsewhere(db: Conn, unitIds: readonly number[], exceptCanteenId: number | null): Promise<{ unit_id: number; meal: string; canteen_id: number }[]> {
  if (unitIds.length === 0) return [];
  let q = db.selectFrom('canteen_diners').select(['unit_id', 'meal', 'canteen_id']).where('unit_id', 'in', [...unitIds]);
  if (exceptCanteenId !== null) q = q.where('canteen_id', '!=', exceptCanteenId);
  return q.execute();
}

export async function replaceDiners(tx: Conn, canteenId: number, rows: readonly { unit_id: number; meal: string; window_from: number | null; window_to: number | null }[]): Promise<void> {
  await tx.deleteFrom('canteen_diners').where('canteen_id', '=', canteenId).execute();
  for (let i = 0; i < rows.length; i += 200) {
    const part = rows.slice(i, i + 200).map((r) => ({ ...r, canteen_id: canteenId }));
    if (part.length) await tx.insertInto('canteen_diners').values(part).execute();
  }
}

/** Active people of each unit (its own, not its subtree's), keyed by unit path, in these subtrees: one indexed pass. */
export async function ownHeadcountsIn(db: Conn, paths: readonly string[]): Promise<Map<string, number>> {
  if (paths.length === 0) return new Map();
  const rows = await db
    .selectFrom('people')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .select(['units.path as path', (eb) => eb.fn.countAll<number>().as('n')])
    .where('people.status', '=', 'active')
    .where((eb) => pathInSubtrees(eb, 'units.path', paths))
    .groupBy('units.path')
    .execute();
  return new Map(rows.map((r) => [r.path, Number(r.n)]));
}

/** Units by id with their paths, live or archived. */
export async function unitsByIds(db: Conn, ids: readonly number[]): Promise<{ id: number; name: string; path: string; archived_at: number | null }[]> {
  if (ids.length === 0) return [];
  const out: { id: number; name: string; path: string; archived_at: number | null }[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    out.push(...(await db.selectFrom('units').select(['id', 'name', 'path', 'archived_at']).where('id', 'in', ids.slice(i, i + 500)).execute()));
  }
  return out;
}
