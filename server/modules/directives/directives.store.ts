import { sql } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { DirectiveRow } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';
import { likeText } from '../../db/sql.js';
import { OPEN_STATUSES } from './tasks.store.js';

/** The queries of directives. Rules live in directives.service.ts. */

// `drill` defaults to 0: only a plan run as a drill (issue 8) sets it.
export type NewDirective = Omit<DirectiveRow, 'id' | 'drill'> & { drill?: number };

export async function insertDirective(tx: Conn, row: NewDirective): Promise<DirectiveRow> {
  return tx.insertInto('directives').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateDirective(tx: Conn, id: number, set: Partial<NewDirective>): Promise<void> {
  await tx.updateTable('directives').set(set).where('id', '=', id).execute();
}

export type DirectiveView = DirectiveRow & { unit_name: string; unit_path: string; created_by_name: string | null };

function views(db: Conn) {
  return db
    .selectFrom('directives')
    .innerJoin('units', 'units.id', 'directives.unit_id')
    .leftJoin('users', 'users.id', 'directives.created_by_user_id')
    .selectAll('directives')
    .select(['units.name as unit_name', 'units.path as unit_path', 'users.display_name as display_name', 'users.username as username']);
}

type Raw = DirectiveRow & { unit_name: string; unit_path: string; display_name: string | null; username: string | null };
const present = ({ display_name, username, ...d }: Raw): DirectiveView => ({ ...d, created_by_name: display_name ?? username ?? null });

export async function findDirective(db: Conn, id: number): Promise<DirectiveView | undefined> {
  const r = await views(db).where('directives.id', '=', id).executeTakeFirst();
  return r && present(r);
}

/** Whether any task of the directive lies in these subtrees, or names this person responsible. */
export async function directiveReaches(db: Conn, directiveId: number, paths: readonly string[], personId: number | null): Promise<boolean> {
  const r = await db
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .select('tasks.id')
    .where('tasks.directive_id', '=', directiveId)
    .where((eb) => {
      const inScope = pathInSubtrees(eb, 'units.path', paths);
      return personId ? eb.or([inScope, eb('tasks.responsible_person_id', '=', personId)]) : inScope;
    })
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

export interface DirectiveFilter {
  /** Directives recorded in these subtrees, or with a task in them. */
  paths: readonly string[];
  /** Narrow to directives recorded at or reaching into this subtree. */
  unitPath?: string;
  source?: string;
  q?: string;
}

function filtered(db: Conn, f: DirectiveFilter) {
  const within = f.unitPath ? [f.unitPath] : f.paths;
  let q = views(db).where((eb) =>
    eb.or([
      pathInSubtrees(eb, 'units.path', within),
      eb.exists(
        eb
          .selectFrom('tasks')
          .innerJoin('units as tu', 'tu.id', 'tasks.unit_id')
          .select('tasks.id')
          .whereRef('tasks.directive_id', '=', 'directives.id')
          .where((e2) => pathInSubtrees(e2, 'tu.path', within)),
      ),
    ]),
  );
  // A narrowing unit must itself lie in the scope: the service checks that before calling.
  if (f.source) q = q.where('directives.source', '=', f.source);
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => eb.or([likeText(db, 'directives.title', text, 'contains'), likeText(db, 'directives.document_no', text, 'contains')]));
  }
  return q;
}

/** One page of directives, newest received first. */
export async function listDirectives(db: Conn, f: DirectiveFilter, offset: number, limit: number): Promise<{ rows: DirectiveView[]; total: number }> {
  const [rows, count] = await Promise.all([
    filtered(db, f).orderBy('directives.received_at', 'desc').orderBy('directives.id', 'desc').offset(offset).limit(limit).execute(),
    filtered(db, f)
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(present), total: Number(count.n) };
}

export interface FigureRow {
  directive_id: number;
  total: number;
  open_in_time: number;
  overdue: number;
  done: number;
  verified: number;
  late: number;
}

/** Task counts per directive over the tasks in these subtrees (or of this person). */
export async function directiveFigures(db: Conn, directiveIds: readonly number[], paths: readonly string[], personId: number | null, now: number): Promise<Map<number, FigureRow>> {
  if (directiveIds.length === 0) return new Map();
  const open = sql`tasks.status in (${sql.join(OPEN_STATUSES.map((s) => sql.lit(s)))})`;
  const rows = await db
    .selectFrom('tasks')
    .innerJoin('units', 'units.id', 'tasks.unit_id')
    .select((eb) => [
      'tasks.directive_id',
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(sql`case when ${open} and tasks.deadline >= ${now} then 1 else 0 end`).as('open_in_time'),
      eb.fn.sum<number>(sql`case when ${open} and tasks.deadline < ${now} then 1 else 0 end`).as('overdue'),
      eb.fn.sum<number>(sql`case when tasks.status = 'done' then 1 else 0 end`).as('done'),
      eb.fn.sum<number>(sql`case when tasks.status = 'verified' then 1 else 0 end`).as('verified'),
      eb.fn.sum<number>(sql`case when tasks.completed_at > tasks.deadline then 1 else 0 end`).as('late'),
    ])
    .where('tasks.directive_id', 'in', directiveIds)
    .where((eb) => {
      const inScope = pathInSubtrees(eb, 'units.path', paths);
      return personId ? eb.or([inScope, eb('tasks.responsible_person_id', '=', personId)]) : inScope;
    })
    .groupBy('tasks.directive_id')
    .execute();
  return new Map(
    rows.map((r) => [
      r.directive_id,
      {
        directive_id: r.directive_id,
        total: Number(r.total),
        open_in_time: Number(r.open_in_time ?? 0),
        overdue: Number(r.overdue ?? 0),
        done: Number(r.done ?? 0),
        verified: Number(r.verified ?? 0),
        late: Number(r.late ?? 0),
      },
    ]),
  );
}
