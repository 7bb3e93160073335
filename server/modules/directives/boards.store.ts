import { sql } from 'kysely';
import type { Conn } from '../../db/database.js';
import { pathInSubtrees } from '../../db/tree.js';
import { OPEN_STATUSES } from './tasks.store.js';

/** The queries of the boards: one indexed pass each, summed up the tree in memory by the service. */

export interface BoardTask {
  id: number;
  parent_id: number | null;
  unit_id: number;
  unit_path: string;
  status: string;
  deadline: number;
  completed_at: number | null;
  responsible_person_id: number;
}

/**
 * Every task of a directive in a subtree, with its unit's path: the progress tree is built from
 * these. Only what the counts need (names are looked up for the few rows shown), so 5,000 tasks
 * are one pass over the directive index and the units' primary key.
 */
export async function directiveTasksIn(db: Conn, directiveId: number, path: string): Promise<BoardTask[]> {
  const rows = await db
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .select(['tasks.id', 'tasks.parent_id', 'tasks.unit_id', 'units.path as unit_path', 'tasks.status', 'tasks.deadline', 'tasks.completed_at', 'tasks.responsible_person_id'])
    .where('tasks.directive_id', '=', directiveId)
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
    .execute();
  for (const r of rows) {
    r.deadline = Number(r.deadline);
    if (r.completed_at !== null) r.completed_at = Number(r.completed_at);
  }
  return rows;
}

/** Names of units by id (the child units a progress tree drills into). */
export async function unitNames(db: Conn, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('units').select(['id', 'name']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface OnTimeRow {
  unit_id: number;
  unit_path: string;
  due: number;
  on_time: number;
  late: number;
  missed: number;
  pending: number;
}

/** Per unit of a subtree, the tasks whose deadline fell in [from, to] and how they ended. */
export async function onTimeByUnit(db: Conn, path: string, from: number, to: number, now: number): Promise<OnTimeRow[]> {
  const open = sql`tasks.status in (${sql.join(OPEN_STATUSES.map((s) => sql.lit(s)))})`;
  const rows = await db
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .select((eb) => [
      'tasks.unit_id',
      'units.path as unit_path',
      eb.fn.countAll<number>().as('due'),
      eb.fn.sum<number>(sql`case when tasks.completed_at is not null and tasks.completed_at <= tasks.deadline then 1 else 0 end`).as('on_time'),
      eb.fn.sum<number>(sql`case when tasks.completed_at is not null and tasks.completed_at > tasks.deadline then 1 else 0 end`).as('late'),
      eb.fn.sum<number>(sql`case when ${open} and tasks.deadline < ${now} then 1 else 0 end`).as('missed'),
      eb.fn.sum<number>(sql`case when ${open} and tasks.deadline >= ${now} then 1 else 0 end`).as('pending'),
    ])
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]))
    .where('tasks.deadline', '>=', from)
    .where('tasks.deadline', '<=', to)
    // Drills (演练, issue 8) are left out of every real figure.
    .where((eb) => eb.exists(eb.selectFrom('directives').select('directives.id').whereRef('directives.id', '=', 'tasks.directive_id').where('directives.drill', '=', 0)))
    .groupBy(['tasks.unit_id', 'units.path'])
    .execute();
  return rows.map((r) => ({
    unit_id: r.unit_id,
    unit_path: r.unit_path,
    due: Number(r.due),
    on_time: Number(r.on_time ?? 0),
    late: Number(r.late ?? 0),
    missed: Number(r.missed ?? 0),
    pending: Number(r.pending ?? 0),
  }));
}

export interface FigureCounts {
  total: number;
  in_time: number;
  overdue: number;
  done: number;
  verified: number;
  late: number;
}

/** Task counts over the tasks in these subtrees whose deadline falls in [from, to]. */
export async function figuresIn(db: Conn, paths: readonly string[], from: number, to: number, now: number): Promise<FigureCounts> {
  const open = sql`tasks.status in (${sql.join(OPEN_STATUSES.map((s) => sql.lit(s)))})`;
  const r = await db
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(sql`case when ${open} and tasks.deadline >= ${now} then 1 else 0 end`).as('in_time'),
      eb.fn.sum<number>(sql`case when ${open} and tasks.deadline < ${now} then 1 else 0 end`).as('overdue'),
      eb.fn.sum<number>(sql`case when tasks.status = 'done' then 1 else 0 end`).as('done'),
      eb.fn.sum<number>(sql`case when tasks.status = 'verified' then 1 else 0 end`).as('verified'),
      eb.fn.sum<number>(sql`case when tasks.completed_at > tasks.deadline then 1 else 0 end`).as('late'),
    ])
    .where((eb) => pathInSubtrees(eb, 'units.path', paths))
    .where('tasks.deadline', '>=', from)
    .where('tasks.deadline', '<=', to)
    // Drills (演练, issue 8) are left out of every real figure.
    .where((eb) => eb.exists(eb.selectFrom('directives').select('directives.id').whereRef('directives.id', '=', 'tasks.directive_id').where('directives.drill', '=', 0)))
    .executeTakeFirstOrThrow();
  return { total: Number(r.total), in_time: Number(r.in_time ?? 0), overdue: Number(r.overdue ?? 0), done: Number(r.done ?? 0), verified: Number(r.verified ?? 0), late: Number(r.late ?? 0) };
}
