import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { KeyGroupsTable } from '../../db/schema.js';
import { likeText } from '../../db/sql.js';
import { pathInSubtrees } from '../../db/tree.js';

/** SQL of key groups (重点人群). */

export type GroupRow = Selectable<KeyGroupsTable> & { owner_name: string; owner_path: string };
export interface GroupUnit {
  group_id: number;
  id: number;
  name: string;
  path: string;
  archived_at: number | null;
}

function groupQuery(db: Conn) {
  return db.selectFrom('key_groups as g').innerJoin('units as o', 'o.id', 'g.owner_unit_id').selectAll('g').select(['o.name as owner_name', 'o.path as owner_path']);
}

export async function findGroup(db: Conn, id: number): Promise<GroupRow | undefined> {
  return groupQuery(db).where('g.id', '=', id).executeTakeFirst();
}

/** The units of these groups, each group's in tree order. */
export async function unitsOfGroups(db: Conn, groupIds: readonly number[]): Promise<Map<number, GroupUnit[]>> {
  const out = new Map<number, GroupUnit[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return out;
  const rows = await db
    .selectFrom('key_group_units as gu')
    .innerJoin('units as u', 'u.id', 'gu.unit_id')
    .select(['gu.group_id', 'u.id', 'u.name', 'u.path', 'u.archived_at'])
    .where('gu.group_id', 'in', [...groupIds])
    .orderBy('u.path')
    .execute();
  for (const r of rows) out.get(r.group_id)!.push(r);
  return out;
}

export interface GroupFilter {
  /** Owners inside these subtrees… */
  paths: readonly string[];
  /** …or exactly these units (the ancestors of the reader's scope: a group-wide group is usable below). */
  ownerIds: readonly number[];
  q?: string;
}

/** One page of live groups, by name, and how many matched. */
export async function listGroups(db: Conn, f: GroupFilter, offset: number, limit: number): Promise<{ rows: GroupRow[]; total: number }> {
  const filtered = () => {
    let q = db
      .selectFrom('key_groups as g')
      .innerJoin('units as o', 'o.id', 'g.owner_unit_id')
      .where('g.archived_at', 'is', null)
      .where((eb) => eb.or([pathInSubtrees(eb, 'o.path', f.paths), ...(f.ownerIds.length ? [eb('o.id', 'in', [...f.ownerIds])] : [])]));
    if (f.q) {
      const text = f.q;
      q = q.where(() => likeText(db, 'g.name', text, 'contains'));
    }
    return q;
  };
  const [rows, count] = await Promise.all([
    filtered().selectAll('g').select(['o.name as owner_name', 'o.path as owner_path']).orderBy('g.name').orderBy('g.id').offset(offset).limit(limit).execute(),
    filtered().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function insertGroup(tx: Conn, row: Insertable<KeyGroupsTable>): Promise<number> {
  return (await tx.insertInto('key_groups').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateGroup(tx: Conn, id: number, set: Updateable<KeyGroupsTable>): Promise<void> {
  await tx.updateTable('key_groups').set(set).where('id', '=', id).execute();
}

export async function replaceGroupUnits(tx: Conn, groupId: number, unitIds: readonly number[]): Promise<void> {
  await tx.deleteFrom('key_group_units').where('group_id', '=', groupId).execute();
  if (unitIds.length) await tx.insertInto('key_group_units').values(unitIds.map((unit_id) => ({ group_id: groupId, unit_id }))).execute();
}

/** Whether another live group of the owner has this name. */
export async function groupNameTaken(db: Conn, ownerUnitId: number, name: string, exceptId: number | null): Promise<boolean> {
  let q = db.selectFrom('key_groups').select('id').where('owner_unit_id', '=', ownerUnitId).where('name', '=', name).where('archived_at', 'is', null);
  if (exceptId !== null) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/**
 * One page of the active people in `base` (the group's subtrees) that also lie in `scope` (the
 * reader's), with one of `tags` when any, by name; and how many there are.
 */
export async function membersOf(db: Conn, base: readonly string[], scope: readonly string[], tags: readonly string[], offset: number, limit: number) {
  const filtered = () => {
    let q = db
      .selectFrom('people as p')
      .innerJoin('units as u', 'u.id', 'p.unit_id')
      .where('p.status', '=', 'active')
      .where((eb) => pathInSubtrees(eb, 'u.path', base))
      .where((eb) => pathInSubtrees(eb, 'u.path', scope));
    if (tags.length) q = q.where((eb) => eb.exists(eb.selectFrom('person_tags as t').select('t.person_id').whereRef('t.person_id', '=', 'p.id').where('t.tag', 'in', [...tags])));
    return q;
  };
  const [rows, count] = await Promise.all([
    filtered().select(['p.id as personId', 'p.name', 'p.employee_no as employeeNo', 'u.id as unitId', 'u.name as unitName']).orderBy('p.name').orderBy('p.id').offset(offset).limit(limit).execute(),
    filtered().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
