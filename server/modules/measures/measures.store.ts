import { sql, type SqlBool } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { MeasureValueRow } from '../../db/schema.js';
import { hotQuery } from '../../db/hot.js';
import { pathInSubtrees } from '../../db/tree.js';

/** The queries of measures. Rules live in measures.rules.ts and measures.service.ts. */

export type NewMeasureValue = Omit<MeasureValueRow, 'id'>;

/** A row with the unit it was made at: what the rules and the register need. */
export interface ChainRow {
  id: number;
  unit_id: number;
  measure_key: string;
  value: number | null;
  effective_from: string;
  status: string;
  decided_day: string | null;
  decided_by_user_id: number | null;
  decided_at: number | null;
  unit_parent_id: number | null;
  unit_path: string;
  unit_name: string;
}

const CHAIN_COLUMNS = [
  'mv.id',
  'mv.unit_id',
  'mv.measure_key',
  'mv.value',
  'mv.effective_from',
  'mv.status',
  'mv.decided_day',
  'mv.decided_by_user_id',
  'mv.decided_at',
  'a.parent_id as unit_parent_id',
  'a.path as unit_path',
  'a.name as unit_name',
] as const;

/** "a is the target t or one of its ancestors": t's path starts with a's path. */
const ancestorOrSelf = sql<SqlBool>`substr(t.path, 1, length(a.path)) = a.path`;

/**
 * The rows of one measure made at a unit or any of its ancestors, effective by `day`: all that
 * decides what applies there that day. One statement (prepared once per connection), reading only
 * the rows of that measure; the unit is found by primary key and its ancestors by path prefix.
 */
export const chainRowsOn = hotQuery((db: Conn, unitId: number, key: string, day: string) =>
  db
    .selectFrom('measure_values as mv')
    .innerJoin('units as a', 'a.id', 'mv.unit_id')
    .innerJoin('units as t', (j) => j.on('t.id', '=', unitId))
    .select(CHAIN_COLUMNS)
    .where('mv.measure_key', '=', key)
    .where('mv.effective_from', '<=', day)
    .where(ancestorOrSelf),
);

/** Like chainRowsOn for many units at once: each row comes with the target it is an ancestor-or-self of. */
export async function chainRowsOfMany(db: Conn, unitIds: readonly number[], key: string, day: string): Promise<(ChainRow & { target_id: number })[]> {
  if (unitIds.length === 0) return [];
  return db
    .selectFrom('measure_values as mv')
    .innerJoin('units as a', 'a.id', 'mv.unit_id')
    .innerJoin('units as t', (j) => j.on('t.id', 'in', [...unitIds]))
    .select([...CHAIN_COLUMNS, 't.id as target_id'])
    .where('mv.measure_key', '=', key)
    .where('mv.effective_from', '<=', day)
    .where(ancestorOrSelf)
    .execute();
}

/** Every row of every measure (or of one) at the unit and its ancestors, any day, with who decided: the register and the history. */
export async function chainRows(db: Conn, unitId: number, key?: string): Promise<(ChainRow & { decider_name: string | null })[]> {
  let q = db
    .selectFrom('measure_values as mv')
    .innerJoin('units as a', 'a.id', 'mv.unit_id')
    .innerJoin('units as t', (j) => j.on('t.id', '=', unitId))
    .leftJoin('users as dc', 'dc.id', 'mv.decided_by_user_id')
    .select(CHAIN_COLUMNS)
    .select((eb) => eb.fn.coalesce('dc.display_name', 'dc.username').as('decider_name'))
    .where(ancestorOrSelf);
  if (key !== undefined) q = q.where('mv.measure_key', '=', key);
  return q.execute();
}

export async function insertMeasureValue(tx: Conn, row: NewMeasureValue): Promise<MeasureValueRow> {
  return tx.insertInto('measure_values').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Record a decision on a row still pending; undefined when another decision got there first. */
export async function decide(
  tx: Conn,
  id: number,
  set: { status: 'approved' | 'refused' | 'withdrawn'; decided_by_user_id: number | null; decided_at: number; decided_day: string; decision_note: string | null },
): Promise<MeasureValueRow | undefined> {
  return tx.updateTable('measure_values').set(set).where('id', '=', id).where('status', '=', 'pending').returningAll().executeTakeFirst();
}

/** The unit's pending requests for one measure (a new change supersedes them). */
export async function pendingOf(db: Conn, unitId: number, key: string): Promise<MeasureValueRow[]> {
  return db.selectFrom('measure_values').selectAll().where('unit_id', '=', unitId).where('measure_key', '=', key).where('status', '=', 'pending').execute();
}

export type ChangeRow = MeasureValueRow & {
  unit_name: string;
  unit_path: string;
  unit_parent_id: number | null;
  parent_name: string | null;
  requester_name: string | null;
  decider_name: string | null;
};

/** Changes joined to their unit, its parent and the people who asked and decided. */
function changes(db: Conn) {
  return db
    .selectFrom('measure_values as mv')
    .innerJoin('units as u', 'u.id', 'mv.unit_id')
    .leftJoin('units as p', 'p.id', 'u.parent_id')
    .leftJoin('users as rq', 'rq.id', 'mv.requested_by_user_id')
    .leftJoin('users as dc', 'dc.id', 'mv.decided_by_user_id')
    .selectAll('mv')
    .select((eb) => [
      'u.name as unit_name',
      'u.path as unit_path',
      'u.parent_id as unit_parent_id',
      'p.name as parent_name',
      eb.fn.coalesce('rq.display_name', 'rq.username').as('requester_name'),
      eb.fn.coalesce('dc.display_name', 'dc.username').as('decider_name'),
    ]);
}

export async function findChange(db: Conn, id: number): Promise<ChangeRow | undefined> {
  return changes(db).where('mv.id', '=', id).executeTakeFirst() as Promise<ChangeRow | undefined>;
}

/** Every change to one measure at the given units (a unit and its ancestors), newest first. */
export async function changesAt(db: Conn, unitIds: readonly number[], key: string): Promise<ChangeRow[]> {
  if (unitIds.length === 0) return [];
  return changes(db)
    .where('mv.unit_id', 'in', [...unitIds])
    .where('mv.measure_key', '=', key)
    .orderBy('mv.effective_from', 'desc')
    .orderBy('mv.id', 'desc')
    .execute() as Promise<ChangeRow[]>;
}

export interface ExceptionFilter {
  paths: readonly string[];
  status?: string;
  key?: string;
}

/** One page of exceptions (every change that was stricter than the parent) in the subtrees: pending first, newest first. */
export async function listExceptions(db: Conn, f: ExceptionFilter, offset: number, limit: number): Promise<{ rows: ChangeRow[]; total: number }> {
  const filtered = <Q extends ReturnType<typeof changes>>(q: Q) => {
    let out = q.where('mv.status', '!=', 'set').where((eb) => pathInSubtrees(eb, 'u.path', f.paths));
    if (f.status) out = out.where('mv.status', '=', f.status);
    if (f.key) out = out.where('mv.measure_key', '=', f.key);
    return out;
  };
  const [rows, count] = await Promise.all([
    filtered(changes(db))
      .orderBy(sql`case when mv.status = 'pending' then 0 else 1 end`)
      .orderBy('mv.requested_at', 'desc')
      .orderBy('mv.id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute(),
    filtered(changes(db))
      .clearSelect()
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as ChangeRow[], total: Number(count.n) };
}

/** The unit's requests still waiting for a decision, and its changes due after `day`: newest first. */
export async function openChangesAt(db: Conn, unitId: number, day: string): Promise<ChangeRow[]> {
  return changes(db)
    .where('mv.unit_id', '=', unitId)
    .where((eb) => eb.or([eb('mv.status', '=', 'pending'), eb.and([eb('mv.status', '=', 'set'), eb('mv.effective_from', '>', day)])]))
    .orderBy('mv.id', 'desc')
    .execute() as Promise<ChangeRow[]>;
}
