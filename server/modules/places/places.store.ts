import type { Conn } from '../../db/database.js';
import type { PlaceChecklistItemsTable, PlacesTable } from '../../db/schema.js';
import type { Insertable, Selectable } from 'kysely';
import { likeText } from '../../db/sql.js';
import { pathInSubtrees } from '../../db/tree.js';

/** SQL of key places and their checklists: the register, its lists, the due and blind-spot passes. */

export type PlaceRow = Selectable<PlacesTable>;
export type ChecklistItemRow = Selectable<PlaceChecklistItemsTable>;

/** A place with its unit, responsible person's name and count of unverified findings. */
export interface PlaceView extends PlaceRow {
  unit_name: string;
  unit_path: string;
  responsible_name: string | null;
  open_findings: number;
}

function placeQuery(db: Conn) {
  return db
    .selectFrom('places as p')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .leftJoin('people as rp', 'rp.id', 'p.responsible_person_id')
    .selectAll('p')
    .select((eb) => [
      'u.name as unit_name',
      'u.path as unit_path',
      'rp.name as responsible_name',
      eb
        .selectFrom('place_findings as f')
        .whereRef('f.place_id', '=', 'p.id')
        .where('f.status', '<>', 'verified')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('open_findings'),
    ]);
}

const normalise = (r: PlaceView): PlaceView => ({ ...r, open_findings: Number(r.open_findings) });

export async function findPlace(db: Conn, id: number): Promise<PlaceView | undefined> {
  const r = (await placeQuery(db).where('p.id', '=', id).executeTakeFirst()) as PlaceView | undefined;
  return r && normalise(r);
}

export async function insertPlace(tx: Conn, row: Insertable<PlacesTable>): Promise<number> {
  const r = await tx.insertInto('places').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updatePlace(tx: Conn, id: number, set: Partial<Insertable<PlacesTable>>): Promise<void> {
  await tx.updateTable('places').set(set).where('id', '=', id).execute();
}

export interface PlaceFilter {
  paths: readonly string[];
  kind?: string | undefined;
  risk?: string | undefined;
  q?: string | undefined;
  /** Only places whose due_at is at or before this instant. */
  dueBy?: number | undefined;
  archived: boolean;
}

function filtered(db: Conn, f: PlaceFilter) {
  let q = placeQuery(db)
    .where((eb) => pathInSubtrees(eb, 'u.path', f.paths))
    .where('p.archived_at', f.archived ? 'is not' : 'is', null);
  if (f.kind) q = q.where('p.kind', '=', f.kind);
  if (f.risk) q = q.where('p.risk', '=', f.risk);
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => eb.or([likeText(db, 'p.name', text, 'contains'), likeText(db, 'p.address', text, 'contains')]));
  }
  if (f.dueBy !== undefined) q = q.where('p.due_at', '<=', f.dueBy);
  return q;
}

/** One page of places; due lists most overdue first, others in tree order then by name. */
export async function listPlaces(db: Conn, f: PlaceFilter, offset: number, limit: number): Promise<{ rows: PlaceView[]; total: number }> {
  const base = filtered(db, f);
  let q = base;
  q = f.dueBy !== undefined ? q.orderBy('p.due_at').orderBy('p.id') : q.orderBy('u.path').orderBy('p.name').orderBy('p.id');
  const [rows, count] = await Promise.all([
    q.offset(offset).limit(limit).execute() as Promise<PlaceView[]>,
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(normalise), total: Number(count.n) };
}

/** Active places of these subtrees that are overdue (due_at before `overdueBefore`) or have no responsible person, most overdue first. */
export async function blindPlaces(db: Conn, paths: readonly string[], overdueBefore: number, limit: number): Promise<{ rows: PlaceView[]; total: number }> {
  const base = placeQuery(db)
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .where('p.archived_at', 'is', null)
    .where((eb) => eb.or([eb('p.due_at', '<', overdueBefore), eb('p.responsible_person_id', 'is', null)]));
  const [rows, count] = await Promise.all([
    base.orderBy('p.due_at').orderBy('p.id').limit(limit).execute() as Promise<PlaceView[]>,
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(normalise), total: Number(count.n) };
}

/** Active places of these subtrees, soonest due first, with their count of current checklist items. */
export async function inspectablePlaces(db: Conn, paths: readonly string[], q: string | undefined, limit: number): Promise<(PlaceView & { item_count: number })[]> {
  const rows = (await filtered(db, { paths, q, archived: false })
    .select((eb) =>
      eb
        .selectFrom('place_checklist_items as i')
        .whereRef('i.place_id', '=', 'p.id')
        .where('i.retired_at', 'is', null)
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('item_count'),
    )
    .orderBy('p.due_at')
    .orderBy('p.id')
    .limit(limit)
    .execute()) as (PlaceView & { item_count: number })[];
  return rows.map((r) => ({ ...normalise(r), item_count: Number(r.item_count) }));
}

// ── checklists ───────────────────────────────────────────────────────────────────────────────────

/** The items of these places: current ones in order, then retired ones. */
export async function checklistsOf(db: Conn, placeIds: readonly number[]): Promise<Map<number, ChecklistItemRow[]>> {
  const out = new Map<number, ChecklistItemRow[]>(placeIds.map((id) => [id, []]));
  if (placeIds.length === 0) return out;
  const rows = await db.selectFrom('place_checklist_items').selectAll().where('place_id', 'in', placeIds).orderBy('place_id').orderBy('position').orderBy('id').execute();
  for (const r of rows) out.get(r.place_id)?.push(r);
  for (const list of out.values()) list.sort((a, b) => Number(a.retired_at !== null) - Number(b.retired_at !== null) || a.position - b.position || a.id - b.id);
  return out;
}

export async function insertItems(tx: Conn, rows: readonly Insertable<PlaceChecklistItemsTable>[]): Promise<void> {
  if (rows.length) await tx.insertInto('place_checklist_items').values([...rows]).execute();
}

export async function updateItem(tx: Conn, id: number, set: Partial<Insertable<PlaceChecklistItemsTable>>): Promise<void> {
  await tx.updateTable('place_checklist_items').set(set).where('id', '=', id).execute();
}

/** Rewrite the positions of a place's current items to 1..n in the given order. */
export async function renumber(tx: Conn, orderedIds: readonly number[], now: number): Promise<void> {
  for (const [i, id] of orderedIds.entries()) await tx.updateTable('place_checklist_items').set({ position: i + 1, updated_at: now }).where('id', '=', id).where('position', '<>', i + 1).execute();
}

/** Whether an active person with this id belongs to the subtree at `unitPath`; answers the person's name. */
export async function personIn(db: Conn, personId: number, unitPath: string): Promise<{ id: number; name: string } | undefined> {
  const r = await db
    .selectFrom('people')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .select(['people.id', 'people.name', 'units.path'])
    .where('people.id', '=', personId)
    .where('people.status', '=', 'active')
    .executeTakeFirst();
  return r && r.path.startsWith(unitPath) ? { id: r.id, name: r.name } : undefined;
}

/** Active places of these subtrees with their responsible person (null: none), in unit then name order: the supervision matrix's read (issue 7). */
export async function placeResponsiblesIn(
  db: Conn,
  paths: readonly string[],
): Promise<{ id: number; name: string; unit_id: number; responsible_person_id: number | null; responsible_name: string | null }[]> {
  return db
    .selectFrom('places as p')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .leftJoin('people as rp', 'rp.id', 'p.responsible_person_id')
    .select(['p.id', 'p.name', 'p.unit_id', 'p.responsible_person_id', 'rp.name as responsible_name'])
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .where('p.archived_at', 'is', null)
    .orderBy('p.unit_id')
    .orderBy('p.name')
    .orderBy('p.id')
    .execute();
}
