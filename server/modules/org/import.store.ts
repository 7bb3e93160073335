import { CompiledQuery, sql } from 'kysely';
import type { Conn, DbHandle, Dialect } from '../../db/database.js';
import type { PersonRow, UnitRow } from '../../db/schema.js';
import { subtreeUpperBound } from '../../db/tree.js';

/**
 * Bulk SQL for import and the demo organisation: whole subtrees and rosters read in one pass,
 * rows written in multi-row INSERTs. Nothing here runs one query per row of a file.
 */

/** Rows per multi-row INSERT: ~5,500 bound parameters, far under SQLite's 32,766 and PostgreSQL's 65,535. */
const INSERT_BATCH = 500;
/** Keys per IN (...) lookup. */
const LOOKUP_BATCH = 1000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every unit of a subtree, archived ones too (they keep their sort order and their names). */
export async function unitsOfSubtree(db: Conn, path: string): Promise<UnitRow[]> {
  return db.selectFrom('units').selectAll().where('path', '>=', path).where('path', '<', subtreeUpperBound(path)).orderBy('path').execute();
}

export type PersonWithPath = PersonRow & { unit_path: string };

/**
 * Keys per lookup: on PostgreSQL one array parameter holds any number of them (`= any($1)`, a third
 * of the time of IN batches at 100,000 keys); SQLite binds each key, so batches of 1,000.
 */
const lookupBatch = (dialect: Dialect) => (dialect === 'postgres' ? 50_000 : LOOKUP_BATCH);

/** The people holding any of these employee numbers, wherever they are in the tree. */
export async function peopleByEmployeeNos(db: Conn, dialect: Dialect, employeeNos: readonly string[]): Promise<PersonWithPath[]> {
  const out: PersonWithPath[] = [];
  for (const batch of chunks(employeeNos, lookupBatch(dialect))) {
    const rows = await db
      .selectFrom('people')
      .innerJoin('units', 'units.id', 'people.unit_id')
      .selectAll('people')
      .select('units.path as unit_path')
      .where((eb) => (dialect === 'postgres' ? sql<boolean>`people.employee_no = any(${batch}::text[])` : eb('people.employee_no', 'in', batch)))
      .execute();
    out.push(...rows);
  }
  return out;
}

/** Tags of many people, each list sorted. */
export async function tagsOfPeople(db: Conn, dialect: Dialect, personIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const batch of chunks(personIds, lookupBatch(dialect))) {
    const rows = await db
      .selectFrom('person_tags')
      .select(['person_id', 'tag'])
      .where((eb) => (dialect === 'postgres' ? sql<boolean>`person_id = any(${batch}::int[])` : eb('person_id', 'in', batch)))
      .execute();
    for (const r of rows) {
      const list = out.get(r.person_id);
      if (list) list.push(r.tag);
      else out.set(r.person_id, [r.tag]);
    }
  }
  for (const list of out.values()) list.sort();
  return out;
}

/**
 * Reserve `n` consecutive-or-not ids of a table inside the caller's transaction, so that units can
 * be inserted with their final materialised path in one statement (a path holds the unit's own id)
 * and people with their tags without reading ids back. PostgreSQL draws from the identity
 * sequence; SQLite moves its AUTOINCREMENT counter, which also takes the write lock first.
 * (A dialect difference that belongs in db/ once another module needs it.)
 */
export async function reserveIds(tx: Conn, dialect: Dialect, table: 'units' | 'people' | 'users', n: number): Promise<number[]> {
  if (n <= 0) return [];
  if (dialect === 'postgres') {
    const r = await sql<{ id: number }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::int as id from generate_series(1, ${n})`.execute(tx);
    return r.rows.map((x) => Number(x.id)).sort((a, b) => a - b);
  }
  const bumped = await sql<{ seq: number }>`update sqlite_sequence set seq = seq + ${n} where name = ${table} returning seq`.execute(tx);
  let last = bumped.rows[0]?.seq;
  if (last === undefined) {
    // The table never had a row: start after whatever ids exist (none, or explicitly inserted ones).
    const max = await sql<{ m: number | null }>`select max(id) as m from ${sql.table(table)}`.execute(tx);
    last = Number(max.rows[0]?.m ?? 0) + n;
    await sql`insert into sqlite_sequence (name, seq) values (${table}, ${last})`.execute(tx);
  }
  const first = Number(last) - n + 1;
  return Array.from({ length: n }, (_, i) => first + i);
}

/**
 * One multi-row INSERT per batch, written out by hand: at 100,000 rows Kysely's query tree (an
 * object per value) was a third of the time and most of the garbage. On SQLite the full-batch
 * statement is also prepared once and reused on the raw connection (DbHandle.sqlite, which is the
 * connection the open transaction runs on): compiling a 5,000-parameter statement per batch cost
 * another tenth. Table and column names are constants of this file; values are always bound.
 */
async function insertRows<T>(tx: Conn, handle: DbHandle, table: string, columns: readonly (keyof T & string)[], rows: readonly T[], batchSize: number): Promise<void> {
  const pg = handle.dialect === 'postgres';
  const statement = (n: number) => {
    const tuples: string[] = [];
    for (let r = 0, p = 0; r < n; r++) tuples.push(`(${columns.map(() => (pg ? `$${++p}` : '?')).join(', ')})`);
    return `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')}`;
  };
  const full = rows.length >= batchSize ? statement(batchSize) : '';
  const prepared = full && handle.sqlite ? handle.sqlite.prepare(full) : null;
  for (let from = 0; from < rows.length; from += batchSize) {
    const to = Math.min(rows.length, from + batchSize);
    const params: unknown[] = new Array((to - from) * columns.length);
    let k = 0;
    for (let i = from; i < to; i++) for (const c of columns) params[k++] = rows[i]![c];
    if (prepared && to - from === batchSize) prepared.run(params);
    else await tx.executeQuery(CompiledQuery.raw(to - from === batchSize ? full : statement(to - from), params));
  }
}

export type NewUnitRow = Omit<UnitRow, 'archived_at'> & { archived_at: null };
const UNIT_COLUMNS = ['id', 'parent_id', 'name', 'kind', 'code', 'sort_order', 'path', 'depth', 'archived_at', 'created_at', 'updated_at'] as const;

/** Insert units whose ids and paths are already known; parents must come before children. */
export async function insertUnitsBulk(tx: Conn, handle: DbHandle, rows: readonly NewUnitRow[]): Promise<void> {
  await insertRows(tx, handle, 'units', UNIT_COLUMNS, rows, INSERT_BATCH);
}

export type NewPersonRow = PersonRow;
const PERSON_COLUMNS = ['id', 'unit_id', 'name', 'employee_no', 'phone', 'title', 'status', 'left_on', 'created_at', 'updated_at'] as const;

export async function insertPeopleBulk(tx: Conn, handle: DbHandle, rows: readonly NewPersonRow[]): Promise<void> {
  await insertRows(tx, handle, 'people', PERSON_COLUMNS, rows, INSERT_BATCH);
}

export async function insertTagsBulk(tx: Conn, handle: DbHandle, rows: readonly { person_id: number; tag: string }[]): Promise<void> {
  await insertRows(tx, handle, 'person_tags', ['person_id', 'tag'], rows, INSERT_BATCH * 2);
}

export async function deleteTagsOf(tx: Conn, personIds: readonly number[]): Promise<void> {
  for (const batch of chunks(personIds, LOOKUP_BATCH)) await tx.deleteFrom('person_tags').where('person_id', 'in', batch).execute();
}

export async function updateUnitKind(tx: Conn, id: number, kind: string, now: number): Promise<void> {
  await tx.updateTable('units').set({ kind, updated_at: now }).where('id', '=', id).execute();
}

export async function updatePersonFields(tx: Conn, id: number, set: Partial<Omit<PersonRow, 'id' | 'created_at'>>): Promise<void> {
  await tx.updateTable('people').set(set).where('id', '=', id).execute();
}

/** Whether the organisation has anyone on its roster yet (the demo loads only into an empty one). */
export async function hasPeople(db: Conn): Promise<boolean> {
  return (await db.selectFrom('people').select('id').limit(1).executeTakeFirst()) !== undefined;
}
