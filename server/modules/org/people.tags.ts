import type { Conn } from '../../db/database.js';
import { pathInSubtrees } from '../../db/tree.js';

/** Active people of the subtrees carrying one of these tags (the care module's overseas and front-line suggestions). */
export async function peopleTaggedIn(
  db: Conn,
  paths: readonly string[],
  tags: readonly string[],
  limit = 2000,
): Promise<{ person_id: number; person_name: string; employee_no: string; unit_id: number; unit_name: string; tag: string }[]> {
  if (tags.length === 0) return [];
  return db
    .selectFrom('person_tags as t')
    .innerJoin('people as p', 'p.id', 't.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['t.person_id', 'p.name as person_name', 'p.employee_no', 'p.unit_id', 'u.name as unit_name', 't.tag'])
    .where('t.tag', 'in', tags)
    .where('p.status', '=', 'active')
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .orderBy('t.person_id')
    .limit(limit)
    .execute();
}
