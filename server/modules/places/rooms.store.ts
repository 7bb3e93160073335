import type { Conn } from '../../db/database.js';
import type { RoomsTable } from '../../db/schema.js';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { ancestorIds, pathInSubtrees } from '../../db/tree.js';

/** SQL of rooms. */

export type RoomWithUnit = Selectable<RoomsTable> & { unit_name: string; unit_path: string };

function roomQuery(db: Conn) {
  return db.selectFrom('rooms as r').innerJoin('units as u', 'u.id', 'r.unit_id').selectAll('r').select(['u.name as unit_name', 'u.path as unit_path']);
}

export async function findRoom(db: Conn, id: number): Promise<RoomWithUnit | undefined> {
  return roomQuery(db).where('r.id', '=', id).executeTakeFirst();
}

export interface RoomFilter {
  /** Rooms of units in these subtrees… */
  paths?: readonly string[];
  /** …or of exactly these units. */
  unitIds?: readonly number[];
  archived: boolean;
}

/** One page of rooms, by unit then building then name, and how many matched. */
export async function listRooms(db: Conn, f: RoomFilter, offset: number, limit: number): Promise<{ rows: RoomWithUnit[]; total: number }> {
  let q = db.selectFrom('rooms as r').innerJoin('units as u', 'u.id', 'r.unit_id');
  if (f.paths) {
    const paths = f.paths;
    q = q.where((eb) => pathInSubtrees(eb, 'u.path', paths));
  }
  if (f.unitIds) q = q.where('r.unit_id', 'in', f.unitIds.length ? [...f.unitIds] : [-1]);
  q = q.where('r.archived_at', f.archived ? 'is not' : 'is', null);
  const [rows, count] = await Promise.all([
    q.selectAll('r').select(['u.name as unit_name', 'u.path as unit_path']).orderBy('u.path').orderBy('r.building').orderBy('r.name').orderBy('r.id').offset(offset).limit(limit).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The unit itself and its ancestors: whose rooms a meeting of the unit may use. */
export function chainOf(unitPath: string): number[] {
  return [...ancestorIds(unitPath), Number(unitPath.split('/').filter(Boolean).at(-1))];
}

export async function insertRoom(tx: Conn, row: Insertable<RoomsTable>): Promise<number> {
  const r = await tx.insertInto('rooms').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateRoom(tx: Conn, id: number, set: Updateable<RoomsTable>): Promise<void> {
  await tx.updateTable('rooms').set(set).where('id', '=', id).execute();
}

/** Whether another live room of the unit has this name. */
export async function roomNameTaken(db: Conn, unitId: number, name: string, exceptId: number | null): Promise<boolean> {
  let q = db.selectFrom('rooms').select('id').where('unit_id', '=', unitId).where('name', '=', name).where('archived_at', 'is', null);
  if (exceptId !== null) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}
