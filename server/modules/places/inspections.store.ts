import { sql, type Insertable, type Selectable } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { PlaceFindingFailuresTable, PlaceFindingsTable, PlaceInspectionItemsTable, PlaceInspectionsTable } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/** SQL of inspections, their answers, the findings failed items open and the failures recorded on them. */

export type InspectionRow = Selectable<PlaceInspectionsTable>;
export type InspectionItemRow = Selectable<PlaceInspectionItemsTable>;
export type FindingRow = Selectable<PlaceFindingsTable>;

export interface InspectionView extends InspectionRow {
  place_name: string;
  unit_name: string;
  unit_path: string;
  inspector_name: string | null;
}

function inspectionQuery(db: Conn) {
  return db
    .selectFrom('place_inspections as i')
    .innerJoin('places as p', 'p.id', 'i.place_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .leftJoin('users as us', 'us.id', 'i.inspector_user_id')
    .selectAll('i')
    .select((eb) => ['p.name as place_name', 'u.name as unit_name', 'u.path as unit_path', eb.fn.coalesce('us.display_name', 'us.username').as('inspector_name')]);
}

export async function findInspection(db: Conn, id: number): Promise<InspectionView | undefined> {
  return inspectionQuery(db).where('i.id', '=', id).executeTakeFirst() as Promise<InspectionView | undefined>;
}

/** A place's inspections, newest first. */
export async function inspectionsOfPlace(db: Conn, placeId: number, limit: number): Promise<InspectionView[]> {
  return inspectionQuery(db).where('i.place_id', '=', placeId).orderBy('i.inspected_at', 'desc').orderBy('i.id', 'desc').limit(limit).execute() as Promise<InspectionView[]>;
}

export async function insertInspection(tx: Conn, row: Insertable<PlaceInspectionsTable>): Promise<number> {
  return (await tx.insertInto('place_inspections').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function setInspectionDirective(tx: Conn, id: number, directiveId: number): Promise<void> {
  await tx.updateTable('place_inspections').set({ directive_id: directiveId }).where('id', '=', id).execute();
}

export async function insertInspectionItems(tx: Conn, rows: readonly Insertable<PlaceInspectionItemsTable>[]): Promise<void> {
  if (rows.length) await tx.insertInto('place_inspection_items').values([...rows]).execute();
}

/** The answers of these inspections, in checklist order. */
export async function itemsOfInspections(db: Conn, ids: readonly number[]): Promise<Map<number, InspectionItemRow[]>> {
  const out = new Map<number, InspectionItemRow[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('place_inspection_items').selectAll().where('inspection_id', 'in', ids).orderBy('inspection_id').orderBy('position').orderBy('id').execute();
  for (const r of rows) out.get(r.inspection_id)?.push(r);
  return out;
}

// ── findings ─────────────────────────────────────────────────────────────────────────────────────

export interface FindingView extends FindingRow {
  place_name: string;
  unit_id: number;
  unit_name: string;
  unit_path: string;
}

function findingQuery(db: Conn) {
  return db
    .selectFrom('place_findings as f')
    .innerJoin('places as p', 'p.id', 'f.place_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .selectAll('f')
    .select(['p.name as place_name', 'p.unit_id', 'u.name as unit_name', 'u.path as unit_path']);
}

export async function findFinding(db: Conn, id: number): Promise<FindingView | undefined> {
  return findingQuery(db).where('f.id', '=', id).executeTakeFirst() as Promise<FindingView | undefined>;
}

export async function findingByTask(db: Conn, taskId: number): Promise<FindingRow | undefined> {
  return db.selectFrom('place_findings').selectAll().where('task_id', '=', taskId).executeTakeFirst();
}

/** The unverified findings of a place, by item. */
export async function unverifiedFindings(db: Conn, placeId: number): Promise<Map<number, FindingRow>> {
  const rows = await db.selectFrom('place_findings').selectAll().where('place_id', '=', placeId).where('status', '<>', 'verified').execute();
  return new Map(rows.map((r) => [r.item_id, r]));
}

/** All the findings of a place, newest first. */
export async function findingsOfPlace(db: Conn, placeId: number): Promise<FindingView[]> {
  return findingQuery(db).where('f.place_id', '=', placeId).orderBy('f.opened_at', 'desc').orderBy('f.id', 'desc').execute() as Promise<FindingView[]>;
}

export interface FindingFilter {
  paths: readonly string[];
  status?: string | undefined;
  placeId?: number | undefined;
}

/** One page of findings of these subtrees: open first, then fixed, then verified; oldest first within each. */
export async function listFindings(db: Conn, f: FindingFilter, offset: number, limit: number): Promise<{ rows: FindingView[]; total: number }> {
  let q = findingQuery(db).where((eb) => pathInSubtrees(eb, 'u.path', f.paths));
  if (f.status) q = q.where('f.status', '=', f.status);
  if (f.placeId !== undefined) q = q.where('f.place_id', '=', f.placeId);
  const rank = sql<number>`case f.status when 'open' then 0 when 'fixed' then 1 else 2 end`;
  const [rows, count] = await Promise.all([
    q.orderBy(rank).orderBy('f.opened_at').orderBy('f.id').offset(offset).limit(limit).execute() as Promise<FindingView[]>,
    q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function insertFinding(tx: Conn, row: Insertable<PlaceFindingsTable>): Promise<number> {
  return (await tx.insertInto('place_findings').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

/** Move a finding from one of `from` (answers whether it moved: another request may have moved it first). */
export async function moveFinding(tx: Conn, id: number, from: readonly string[], set: Partial<Insertable<PlaceFindingsTable>>): Promise<boolean> {
  const r = await tx.updateTable('place_findings').set(set).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertFailures(tx: Conn, rows: readonly Insertable<PlaceFindingFailuresTable>[]): Promise<void> {
  if (rows.length) await tx.insertInto('place_finding_failures').values([...rows]).execute();
}

export interface FailureView {
  finding_id: number;
  inspection_id: number;
  at: number;
  note: string | null;
  inspector_name: string | null;
}

/** The failures recorded on these findings, oldest first. */
export async function failuresOf(db: Conn, findingIds: readonly number[]): Promise<Map<number, FailureView[]>> {
  const out = new Map<number, FailureView[]>(findingIds.map((id) => [id, []]));
  if (findingIds.length === 0) return out;
  const rows = (await db
    .selectFrom('place_finding_failures as ff')
    .innerJoin('place_inspections as i', 'i.id', 'ff.inspection_id')
    .leftJoin('users as us', 'us.id', 'i.inspector_user_id')
    .select((eb) => ['ff.finding_id', 'ff.inspection_id', 'ff.at', 'ff.note', eb.fn.coalesce('us.display_name', 'us.username').as('inspector_name')])
    .where('ff.finding_id', 'in', findingIds)
    .orderBy('ff.at')
    .orderBy('ff.id')
    .execute()) as FailureView[];
  for (const r of rows) out.get(r.finding_id)?.push(r);
  return out;
}
