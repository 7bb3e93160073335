import { sql } from 'kysely';
import { dialectOf, type Conn } from '../../db/database.js';
import type { TaskEventRow, TaskRow } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/** The queries of tasks and their events. Rules live in tasks.service.ts. */

export type NewTask = Omit<TaskRow, 'id'>;
export type NewTaskEvent = Omit<TaskEventRow, 'id'>;

export const OPEN_STATUSES = ['assigned', 'acknowledged'] as const;

/** Rows go to the database in slices: SQLite and PostgreSQL both cap the parameters of one statement. */
export function* slices<T>(xs: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < xs.length; i += size) yield xs.slice(i, i + size);
}

/** The columns of a task row and their PostgreSQL types, for the one-statement insert below. */
const TASK_COLUMNS = [
  ['directive_id', 'integer'],
  ['parent_id', 'integer'],
  ['unit_id', 'integer'],
  ['title', 'text'],
  ['instructions', 'text'],
  ['responsible_person_id', 'integer'],
  ['deadline', 'bigint'],
  ['evidence', 'text'],
  ['status', 'text'],
  ['assigned_by_user_id', 'integer'],
  ['assigned_at', 'bigint'],
  ['acknowledged_at', 'bigint'],
  ['completed_at', 'bigint'],
  ['report', 'text'],
  ['photo_ids', 'text'],
  ['file_ids', 'text'],
  ['verified_at', 'bigint'],
  ['return_reason', 'text'],
  ['overdue_at', 'bigint'],
  ['reminded_at', 'bigint'],
  ['updated_at', 'bigint'],
] as const satisfies readonly (readonly [keyof NewTask, string])[];

/**
 * Many rows in one statement on PostgreSQL: one array parameter per column, unnested into rows
 * (a directive to every unit is ~5,000 tasks; 400-row VALUES lists cost 13 statements of 8,400
 * parameters each, three times slower). `returning` is in the rows' order of the arrays.
 */
async function insertUnnested<R>(tx: Conn, table: string, columns: readonly (readonly [string, string])[], rows: readonly Record<string, unknown>[], returning: string): Promise<R[]> {
  const arrays = columns.map(([c, type]) => sql`${rows.map((r) => r[c] ?? null)}::${sql.raw(type)}[]`);
  const q = sql<R>`insert into ${sql.table(table)} (${sql.join(columns.map(([c]) => sql.ref(c)))}) select * from unnest(${sql.join(arrays)}) ${sql.raw(returning)}`;
  return (await q.execute(tx)).rows;
}

/**
 * Many tasks in few statements: one on PostgreSQL (unnest), multi-row inserts of 400 on SQLite
 * (21 columns: ~8,400 parameters, under its cap; each statement runs in-process, so there the
 * count of statements costs little). Returns each new id with its unit, which is how the caller
 * matches them (one task per unit per call).
 */
export async function insertTasks(tx: Conn, rows: readonly NewTask[]): Promise<{ id: number; unit_id: number }[]> {
  if (rows.length === 0) return [];
  if (dialectOf(tx) === 'postgres') return insertUnnested(tx, 'tasks', TASK_COLUMNS, rows as unknown as Record<string, unknown>[], 'returning id, unit_id');
  const out: { id: number; unit_id: number }[] = [];
  for (const part of slices(rows, 400)) out.push(...(await tx.insertInto('tasks').values(part).returning(['id', 'unit_id']).execute()));
  return out;
}

const EVENT_COLUMNS = [
  ['task_id', 'integer'],
  ['action', 'text'],
  ['actor_user_id', 'integer'],
  ['at', 'bigint'],
  ['note', 'text'],
] as const;

export async function insertTaskEvents(tx: Conn, rows: readonly NewTaskEvent[]): Promise<void> {
  if (rows.length === 0) return;
  if (dialectOf(tx) === 'postgres' && rows.length > 50) {
    await insertUnnested(tx, 'task_events', EVENT_COLUMNS, rows as unknown as Record<string, unknown>[], '');
    return;
  }
  for (const part of slices(rows, 1000)) await tx.insertInto('task_events').values(part).execute();
}

export async function updateTask(tx: Conn, id: number, set: Partial<NewTask>): Promise<void> {
  await tx.updateTable('tasks').set(set).where('id', '=', id).execute();
}

/** Move a task from one status to another, only if it is still in `from`; false when it moved meanwhile. */
export async function moveTask(tx: Conn, id: number, from: readonly string[], set: Partial<NewTask>): Promise<boolean> {
  const r = await tx.updateTable('tasks').set(set).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A task as every answer shows it: with its directive, units, responsible person and parts. */
export interface TaskView extends TaskRow {
  unit_name: string;
  unit_path: string;
  responsible_name: string;
  directive_title: string;
  directive_source: string;
  /** 1: the directive is a plan run as a drill (issue 8). */
  directive_drill: number;
  document_no: string | null;
  directive_unit_path: string;
  parent_unit_path: string | null;
  parent_responsible_person_id: number | null;
  part_count: number;
  parts_verified: number;
}

function views(db: Conn) {
  return db
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .innerJoin('people as rp', 'rp.id', 'tasks.responsible_person_id')
    .innerJoin('directives', 'directives.id', 'tasks.directive_id')
    .innerJoin('units as du', 'du.id', 'directives.unit_id')
    .leftJoin('tasks as parent', 'parent.id', 'tasks.parent_id')
    .leftJoin('units as pu', 'pu.id', 'parent.unit_id');
}

type ViewQuery = ReturnType<typeof views>;

function selectView(q: ViewQuery) {
  return q
    .selectAll('tasks')
    .select([
      'units.name as unit_name',
      'units.path as unit_path',
      'rp.name as responsible_name',
      'directives.title as directive_title',
      'directives.source as directive_source',
      'directives.drill as directive_drill',
      'directives.document_no as document_no',
      'du.path as directive_unit_path',
      'pu.path as parent_unit_path',
      'parent.responsible_person_id as parent_responsible_person_id',
    ]);
}

type ViewRow = Omit<TaskView, 'part_count' | 'parts_verified'>;

/**
 * The part counts of these tasks, in one grouped query over the parent index (a correlated
 * subquery per row was evaluated for every row of a directive before the sort, not for the page's).
 */
async function withPartCounts(db: Conn, rows: ViewRow[]): Promise<TaskView[]> {
  const counts = new Map<number, { total: number; verified: number }>();
  for (const part of slices(
    rows.map((r) => r.id),
    1000,
  )) {
    const found = await db
      .selectFrom('tasks')
      .select((eb) => ['parent_id', eb.fn.countAll<number>().as('total'), eb.fn.sum<number>(sql`case when status = 'verified' then 1 else 0 end`).as('verified')])
      .where('parent_id', 'in', part)
      .groupBy('parent_id')
      .execute();
    for (const c of found) counts.set(c.parent_id!, { total: Number(c.total), verified: Number(c.verified ?? 0) });
  }
  return rows.map((r) => ({ ...r, part_count: counts.get(r.id)?.total ?? 0, parts_verified: counts.get(r.id)?.verified ?? 0 }));
}

export async function findTaskView(db: Conn, id: number): Promise<TaskView | undefined> {
  const r = await selectView(views(db)).where('tasks.id', '=', id).executeTakeFirst();
  return r && (await withPartCounts(db, [r]))[0];
}

export async function partsOf(db: Conn, parentId: number): Promise<TaskView[]> {
  return withPartCounts(db, await selectView(views(db)).where('tasks.parent_id', '=', parentId).orderBy('units.path').execute());
}

export interface TaskFilter {
  /** Tasks of units in these subtrees, or (when personId is set) for which the person is responsible. */
  paths: readonly string[];
  personId?: number | null;
  directiveId?: number;
  /** Only the tasks of this very unit. */
  unitId?: number;
  /** Only tasks without a parent (assigned from the directive itself). */
  topLevel?: boolean;
  state: 'open' | 'overdue' | 'done' | 'verified' | 'all';
  /** Deadline in [from, to]. */
  deadlineFrom?: number;
  deadlineTo?: number;
  now: number;
}

function filtered(db: Conn, f: TaskFilter): ViewQuery {
  let q = views(db).where((eb) => {
    const inScope = pathInSubtrees(eb, 'units.path', f.paths);
    return f.personId ? eb.or([inScope, eb('tasks.responsible_person_id', '=', f.personId)]) : inScope;
  });
  if (f.directiveId !== undefined) q = q.where('tasks.directive_id', '=', f.directiveId);
  if (f.unitId !== undefined) q = q.where('tasks.unit_id', '=', f.unitId);
  if (f.topLevel) q = q.where('tasks.parent_id', 'is', null);
  if (f.deadlineFrom !== undefined) q = q.where('tasks.deadline', '>=', f.deadlineFrom);
  if (f.deadlineTo !== undefined) q = q.where('tasks.deadline', '<=', f.deadlineTo);
  if (f.state === 'open') q = q.where('tasks.status', 'in', OPEN_STATUSES);
  else if (f.state === 'overdue') q = q.where('tasks.status', 'in', OPEN_STATUSES).where('tasks.deadline', '<', f.now);
  else if (f.state !== 'all') q = q.where('tasks.status', '=', f.state);
  return q;
}

/** One page of tasks: open ones first by nearest deadline, then the rest newest deadline first. */
export async function listTasks(db: Conn, f: TaskFilter, offset: number, limit: number): Promise<{ rows: TaskView[]; total: number }> {
  const [rows, count] = await Promise.all([
    selectView(filtered(db, f))
      .orderBy(sql`case when tasks.status in ('assigned', 'acknowledged') then 0 else 1 end`)
      .orderBy(sql`case when tasks.status in ('assigned', 'acknowledged') then tasks.deadline else -tasks.deadline end`)
      .orderBy('tasks.id')
      .offset(offset)
      .limit(limit)
      .execute(),
    filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: await withPartCounts(db, rows), total: Number(count.n) };
}

export type TaskEventView = TaskEventRow & { actor_name: string | null };

/** A task's log, oldest first, with each actor's display name. */
export async function eventsOf(db: Conn, taskId: number): Promise<TaskEventView[]> {
  const rows = await db
    .selectFrom('task_events')
    .leftJoin('users', 'users.id', 'task_events.actor_user_id')
    .selectAll('task_events')
    .select(['users.display_name as display_name', 'users.username as username'])
    .where('task_events.task_id', '=', taskId)
    .orderBy('task_events.id')
    .execute();
  return rows.map(({ display_name, username, ...e }) => ({ ...e, actor_name: display_name ?? username ?? null }));
}

export interface TargetUnit {
  id: number;
  name: string;
  path: string;
  depth: number;
}

const UNIT_COLUMNS = ['id', 'name', 'path', 'depth'] as const;

/** Units by id (archived ones too: the caller refuses them by name). */
export async function unitsByIds(db: Conn, ids: readonly number[]): Promise<(TargetUnit & { archived: boolean })[]> {
  const out: (TargetUnit & { archived: boolean })[] = [];
  for (const part of slices(ids, 1000)) {
    const rows = await db.selectFrom('units').select([...UNIT_COLUMNS, 'archived_at']).where('id', 'in', part).execute();
    out.push(...rows.map(({ archived_at, ...u }) => ({ ...u, archived: archived_at !== null })));
  }
  return out;
}

/** The live units strictly below `path`, or only those at `depth` (absolute), in tree order. */
export async function unitsBelow(db: Conn, path: string, depth?: number): Promise<TargetUnit[]> {
  let q = db
    .selectFrom('units')
    .select(UNIT_COLUMNS)
    .where((eb) => pathInSubtrees(eb, 'path', [path]))
    .where('path', '!=', path)
    .where('archived_at', 'is', null);
  if (depth !== undefined) q = q.where('depth', '=', depth);
  return q.orderBy('path').execute();
}

/**
 * The default responsible person of each unit: the person linked to an active account holding the
 * unit_head role by a grant on that very unit (the earliest such grant when there are several).
 */
export async function unitHeadPeople(db: Conn, unitIds: readonly number[]): Promise<Map<number, { personId: number; name: string }>> {
  const out = new Map<number, { personId: number; name: string }>();
  for (const part of slices(unitIds, 1000)) {
    const rows = await db
      .selectFrom('grants')
      .innerJoin('users', 'users.id', 'grants.user_id')
      .innerJoin('people', 'people.id', 'users.person_id')
      .select(['grants.unit_id', 'grants.id as grant_id', 'people.id as person_id', 'people.name'])
      .where('grants.role', '=', 'unit_head')
      .where('grants.unit_id', 'in', part)
      .where('users.disabled_at', 'is', null)
      .where('people.status', '=', 'active')
      .orderBy('grants.id')
      .execute();
    for (const r of rows) if (!out.has(r.unit_id)) out.set(r.unit_id, { personId: r.person_id, name: r.name });
  }
  return out;
}

/** People by id with their unit's path: a named responsible person is checked against the unit. */
export async function peopleByIds(db: Conn, ids: readonly number[]): Promise<Map<number, { id: number; name: string; status: string; unit_path: string }>> {
  const out = new Map<number, { id: number; name: string; status: string; unit_path: string }>();
  for (const part of slices(ids, 1000)) {
    const rows = await db
      .selectFrom('people')
      .innerJoin('units', 'units.id', 'people.unit_id')
      .select(['people.id', 'people.name', 'people.status', 'units.path as unit_path'])
      .where('people.id', 'in', part)
      .execute();
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/** The units that already hold a part of this task: a unit gets one part of a task. */
export async function partUnitIds(db: Conn, parentId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('tasks').select('unit_id').where('parent_id', '=', parentId).execute();
  return new Set(rows.map((r) => r.unit_id));
}

/** Counts of a task's parts: all, and verified. */
export async function partCounts(db: Conn, parentId: number): Promise<{ total: number; verified: number }> {
  const r = await db
    .selectFrom('tasks')
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.sum<number>(sql`case when status = 'verified' then 1 else 0 end`).as('verified')])
    .where('parent_id', '=', parentId)
    .executeTakeFirstOrThrow();
  return { total: Number(r.total), verified: Number(r.verified ?? 0) };
}

// ── the deadline jobs ────────────────────────────────────────────────────────────────────────────

/** Open tasks whose deadline has passed and that were not yet marked overdue (a slice at a time). */
export async function unmarkedOverdue(db: Conn, now: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('tasks')
    .select('id')
    .where('deadline', '<', now)
    .where('status', 'in', OPEN_STATUSES)
    .where('overdue_at', 'is', null)
    .orderBy('deadline')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Mark these tasks overdue if they still are (open, past the deadline, not yet marked); returns those marked. */
export async function markOverdue(tx: Conn, ids: readonly number[], now: number): Promise<{ id: number; unit_id: number; title: string; deadline: number; responsible_person_id: number }[]> {
  if (ids.length === 0) return [];
  return tx
    .updateTable('tasks')
    .set({ overdue_at: now, updated_at: now })
    .where('id', 'in', ids)
    .where('deadline', '<', now)
    .where('status', 'in', OPEN_STATUSES)
    .where('overdue_at', 'is', null)
    .returning(['id', 'unit_id', 'title', 'deadline', 'responsible_person_id'])
    .execute();
}

/** Mark the open, not yet reminded tasks of one deadline as reminded; returns those marked. */
export async function markReminded(tx: Conn, deadline: number, now: number): Promise<{ id: number; unit_id: number; title: string; responsible_person_id: number }[]> {
  return tx
    .updateTable('tasks')
    .set({ reminded_at: now, updated_at: now })
    .where('deadline', '=', deadline)
    .where('status', 'in', OPEN_STATUSES)
    .where('reminded_at', 'is', null)
    .returning(['id', 'unit_id', 'title', 'responsible_person_id'])
    .execute();
}
