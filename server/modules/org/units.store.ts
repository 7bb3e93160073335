import { sql } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { NewUnit, UnitRow, UnitUpdate } from '../../db/schema.js';
import { pathInSubtrees, subtreeUpperBound } from '../../db/tree.js';

export async function findUnit(db: Conn, id: number): Promise<UnitRow | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUnitPath(db: Conn, id: number): Promise<string | undefined> {
  const r = await db.selectFrom('units').select('path').where('id', '=', id).executeTakeFirst();
  return r?.path;
}

export async function findUnitsByIds(db: Conn, ids: readonly number[]): Promise<UnitRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('units').selectAll().where('id', 'in', [...ids]).execute();
}

/** Every unit in the given subtrees, in tree order (path order keeps parents before children). */
export async function listUnitsIn(db: Conn, paths: readonly string[], includeArchived: boolean): Promise<UnitRow[]> {
  let q = db
    .selectFrom('units')
    .selectAll()
    .where((eb) => pathInSubtrees(eb, 'units.path', paths));
  if (!includeArchived) q = q.where('archived_at', 'is', null);
  return q.orderBy('depth').orderBy('sort_order').orderBy('id').execute();
}

export async function listChildren(db: Conn, parentId: number, includeArchived: boolean): Promise<UnitRow[]> {
  let q = db.selectFrom('units').selectAll().where('parent_id', '=', parentId);
  if (!includeArchived) q = q.where('archived_at', 'is', null);
  return q.orderBy('sort_order').orderBy('id').execute();
}

export async function listRootUnits(db: Conn): Promise<UnitRow[]> {
  return db.selectFrom('units').selectAll().where('parent_id', 'is', null).orderBy('id').execute();
}

/** Insert a unit; its path needs its own id, so it is written in a second step of the same transaction. */
export async function insertUnit(tx: Conn, row: Omit<NewUnit, 'path'>, parentPath: string | null): Promise<UnitRow> {
  const { id } = await tx
    .insertInto('units')
    .values({ ...row, path: `${parentPath ?? '/'}pending-${Math.random()}/` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return tx
    .updateTable('units')
    .set({ path: `${parentPath ?? '/'}${id}/` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateUnit(tx: Conn, id: number, set: UnitUpdate): Promise<UnitRow> {
  return tx.updateTable('units').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function maxSortOrder(db: Conn, parentId: number): Promise<number> {
  const r = await db
    .selectFrom('units')
    .select((eb) => eb.fn.max('sort_order').as('m'))
    .where('parent_id', '=', parentId)
    .executeTakeFirst();
  return Number(r?.m ?? -1);
}

/**
 * Move a whole branch: one statement rewrites every path under the old prefix. People reference
 * units by id, so none of their rows change, and scope follows on the very next query.
 */
export async function rewriteBranchPaths(tx: Conn, oldPath: string, newPath: string, depthDelta: number, now: number): Promise<number> {
  const r = await tx
    .updateTable('units')
    .set({
      path: sql<string>`cast(${newPath} as text) || substr(path, ${oldPath.length + 1})`,
      depth: sql<number>`depth + ${depthDelta}`,
      updated_at: now,
    })
    .where('path', '>=', oldPath)
    .where('path', '<', subtreeUpperBound(oldPath))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** People (active or left) whose unit lies in the subtree: a unit with any cannot be deleted. */
export async function countPeopleInSubtree(db: Conn, path: string, activeOnly: boolean): Promise<number> {
  let q = db
    .selectFrom('people')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]));
  if (activeOnly) q = q.where('people.status', '=', 'active');
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Active headcount of each unit's own people (keyed by unit path) in the given subtrees: one indexed pass. */
export async function ownHeadcounts(db: Conn, paths: readonly string[]): Promise<Map<string, number>> {
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

/** Archive every live unit below `path` (the unit itself is updated by the caller). */
export async function archiveBelow(tx: Conn, path: string, now: number): Promise<void> {
  await tx
    .updateTable('units')
    .set({ archived_at: now, updated_at: now })
    .where('path', '>', path)
    .where('path', '<', subtreeUpperBound(path))
    .where('archived_at', 'is', null)
    .execute();
}

export async function deleteUnit(tx: Conn, id: number): Promise<void> {
  await tx.deleteFrom('units').where('id', '=', id).execute();
}
