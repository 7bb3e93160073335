import type { Responsible } from '../../../common/schemas/supervision.js';
import type { Conn } from '../../db/database.js';
import { pathInSubtrees } from '../../db/tree.js';

/** SQL of the responsibility matrix: the units of a subtree, the holders of unit posts, open tasks. One pass each, never per unit. */

export interface MatrixUnitRow {
  id: number;
  name: string;
  parent_id: number | null;
  path: string;
  depth: number;
}

/** Active units of these subtrees in tree order. */
export async function unitsIn(db: Conn, paths: readonly string[]): Promise<MatrixUnitRow[]> {
  return db
    .selectFrom('units as u')
    .select(['u.id', 'u.name', 'u.parent_id', 'u.path', 'u.depth'])
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .where('u.archived_at', 'is', null)
    .orderBy('u.path')
    .execute();
}

/** Holders of the role's grant at units of these subtrees (at the unit itself), active users, by unit. */
export async function holdersIn(db: Conn, paths: readonly string[], role: 'unit_head' | 'liaison'): Promise<Map<number, Responsible[]>> {
  const rows = await db
    .selectFrom('grants as g')
    .innerJoin('units as u', 'u.id', 'g.unit_id')
    .innerJoin('users as us', 'us.id', 'g.user_id')
    .leftJoin('people as p', 'p.id', 'us.person_id')
    .select(['g.unit_id', 'us.id as user_id', 'us.username', 'us.display_name', 'p.id as person_id', 'p.name as person_name'])
    .where('g.role', '=', role)
    .where('us.disabled_at', 'is', null)
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .orderBy('g.unit_id')
    .orderBy('us.id')
    .execute();
  const out = new Map<number, Responsible[]>();
  for (const r of rows) {
    const list = out.get(r.unit_id) ?? [];
    if (!list.some((x) => x.userId === r.user_id)) list.push({ personId: r.person_id, userId: r.user_id, name: r.person_name ?? r.display_name ?? r.username });
    out.set(r.unit_id, list);
  }
  return out;
}

const OPEN = ['assigned', 'acknowledged'];

/** Open (not done or verified) tasks per unit in these subtrees, drills' left out. */
export async function openTaskCounts(db: Conn, paths: readonly string[]): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('tasks as t')
    .innerJoin('directives as d', 'd.id', 't.directive_id')
    .innerJoin('units as u', 'u.id', 't.unit_id')
    .select(['t.unit_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('t.status', 'in', OPEN)
    .where('d.drill', '=', 0)
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .groupBy('t.unit_id')
    .execute();
  return new Map(rows.map((r) => [r.unit_id, Number(r.n)]));
}

export interface OpenTaskRow {
  id: number;
  unit_id: number;
  title: string;
  status: string;
  deadline: number;
  responsible_person_id: number;
  person_name: string;
}

/** Open tasks of these units (not drills'), soonest deadline first. */
export async function openTasksOf(db: Conn, unitIds: readonly number[]): Promise<OpenTaskRow[]> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom('tasks as t')
    .innerJoin('directives as d', 'd.id', 't.directive_id')
    .innerJoin('people as p', 'p.id', 't.responsible_person_id')
    .select(['t.id', 't.unit_id', 't.title', 't.status', 't.deadline', 't.responsible_person_id', 'p.name as person_name'])
    .where('t.unit_id', 'in', unitIds)
    .where('t.status', 'in', OPEN)
    .where('d.drill', '=', 0)
    .orderBy('t.deadline')
    .orderBy('t.id')
    .execute();
  return rows.map((r) => ({ ...r, deadline: Number(r.deadline) }));
}
