import type { Conn } from '../../db/database.js';
import { pathInSubtrees } from '../../db/tree.js';

/** SQL of the contact search: the people a source names, in one pass each. */

export interface PersonBrief {
  id: number;
  name: string;
  employee_no: string;
  status: string;
  unit_id: number;
  unit_name: string;
  unit_path: string;
}

/** The active people of one unit (not its subtree). */
export async function activePeopleOfUnit(db: Conn, unitId: number): Promise<number[]> {
  const rows = await db.selectFrom('people').select('id').where('unit_id', '=', unitId).where('status', '=', 'active').execute();
  return rows.map((r) => r.id);
}

/** The live units of these subtrees with their paths. */
export async function unitsIn(db: Conn, paths: readonly string[]): Promise<{ id: number; path: string }[]> {
  if (paths.length === 0) return [];
  return db.selectFrom('units').select(['id', 'path']).where((eb) => pathInSubtrees(eb, 'path', paths)).execute();
}

/** The active people of exactly these units: 500 units a statement. */
export async function activePeopleOfUnits(db: Conn, unitIds: readonly number[]): Promise<{ id: number; unit_id: number }[]> {
  const out: { id: number; unit_id: number }[] = [];
  for (let i = 0; i < unitIds.length; i += 500) {
    out.push(...(await db.selectFrom('people').select(['id', 'unit_id']).where('status', '=', 'active').where('unit_id', 'in', unitIds.slice(i, i + 500)).execute()));
  }
  return out;
}

/** People by id with their units: 500 ids a statement. */
export async function peopleByIds(db: Conn, ids: readonly number[]): Promise<PersonBrief[]> {
  const out: PersonBrief[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('people')
        .innerJoin('units', 'units.id', 'people.unit_id')
        .select(['people.id', 'people.name', 'people.employee_no', 'people.status', 'people.unit_id', 'units.name as unit_name', 'units.path as unit_path'])
        .where('people.id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}
