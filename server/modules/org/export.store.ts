import type { Conn } from '../../db/database.js';
import type { PersonRow } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/** Reads for the people export: counts first, then people a batch of units at a time (memory stays flat). */

/** People (active and left) of each unit in the subtree. */
export async function headcountsByUnit(db: Conn, path: string): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('people')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .select(['people.unit_id as unit_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
    .groupBy('people.unit_id')
    .execute();
  return new Map(rows.map((r) => [r.unit_id, Number(r.n)]));
}

/** The people of these units, each unit's people by name. */
export async function peopleOfUnits(db: Conn, unitIds: readonly number[]): Promise<PersonRow[]> {
  if (unitIds.length === 0) return [];
  return db.selectFrom('people').selectAll().where('unit_id', 'in', [...unitIds]).orderBy('unit_id').orderBy('name').orderBy('id').execute();
}

/** Tags of the people of these units, keyed by person, each list sorted. */
export async function tagsOfUnits(db: Conn, unitIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (unitIds.length === 0) return out;
  const rows = await db
    .selectFrom('person_tags')
    .innerJoin('people', 'people.id', 'person_tags.person_id')
    .select(['person_tags.person_id as person_id', 'person_tags.tag as tag'])
    .where('people.unit_id', 'in', [...unitIds])
    .orderBy('person_tags.tag')
    .execute();
  for (const r of rows) {
    const list = out.get(r.person_id);
    if (list) list.push(r.tag);
    else out.set(r.person_id, [r.tag]);
  }
  return out;
}
