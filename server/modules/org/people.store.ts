import type { SelectQueryBuilder } from 'kysely';
import type { Conn, DbHandle } from '../../db/database.js';
import { hotQuery } from '../../db/hot.js';
import type { PersonRow } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';
import { likeText } from '../../db/sql.js';

export type PersonWithUnit = PersonRow & { unit_name: string; unit_path: string };

export interface PeopleFilter {
  paths: readonly string[];
  q?: string;
  tag?: string;
  status?: 'active' | 'left' | 'all';
  /** Subtrees where the reader may see phone numbers: a number is searchable only there. */
  phonePaths?: readonly string[];
}

/** Whether the scope is the whole organisation: every root unit's subtree. */
async function coversEveryRoot(db: Conn, paths: readonly string[]): Promise<boolean> {
  if (!paths.some((p) => p.split('/').filter(Boolean).length === 1)) return false;
  const roots = await db.selectFrom('units').select('path').where('parent_id', 'is', null).execute();
  return roots.every((r) => paths.includes(r.path));
}

/**
 * The people matching a filter. When the scope is the whole organisation the subtree condition is
 * left out: then SQLite walks the name index in order and stops at the page's LIMIT instead of
 * visiting every unit's people and sorting them (100 ms → a few ms for a whole-tree name search).
 * The units join is then needed only for the page's unit names, so a whole-organisation count
 * reads `people` alone.
 */
function filtered(db: Conn, f: PeopleFilter, whole: boolean) {
  return matching(db.selectFrom('people').innerJoin('units', 'units.id', 'people.unit_id'), db, f, whole, true);
}

/** How many people match: over `people` alone when no condition needs the unit's path. */
async function countMatching(db: Conn, f: PeopleFilter, whole: boolean): Promise<number> {
  const needsPath = !whole || Boolean(f.q && phoneSearch(f.q) && f.phonePaths?.length);
  const q = needsPath ? filtered(db, f, whole) : matching(db.selectFrom('people'), db, f, whole, false);
  const row = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

const phoneSearch = (text: string): boolean => /^[0-9+ -]{3,}$/.test(text);

// The one place the filter's conditions are written; `withUnits` says whether units is joined.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the same where-clauses apply to the query with or without the units join
function matching<Q extends SelectQueryBuilder<any, any, any>>(query: Q, db: Conn, f: PeopleFilter, whole: boolean, withUnits: boolean): Q {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: Kysely's builder types differ by the joined tables only
  let q = query as SelectQueryBuilder<any, any, any>;
  if (!whole) q = q.where((eb) => pathInSubtrees(eb, 'units.path', f.paths));
  const status = f.status ?? 'active';
  if (status !== 'all') q = q.where('people.status', '=', status);
  if (f.tag) {
    const tag = f.tag;
    q = q.where((eb) => eb.exists(eb.selectFrom('person_tags').select('person_tags.person_id').whereRef('person_tags.person_id', '=', 'people.id').where('person_tags.tag', '=', tag)));
  }
  if (f.q) {
    const text = f.q;
    q = q.where((eb) =>
      eb.or([
        likeText(db, 'people.name', text, 'contains'),
        likeText(db, 'people.employee_no', text, 'prefix'),
        // Searching by number is reading it: without people.phone one could recover a masked number digit by digit.
        ...(phoneSearch(text) && f.phonePaths?.length && withUnits ? [eb.and([likeText(db, 'people.phone', text, 'contains'), pathInSubtrees(eb, 'units.path', f.phonePaths)])] : []),
      ]),
    );
  }
  return q as Q;
}

/** One page of people in the given subtrees, ordered by name, and the total that matched. */
export async function listPeople(db: Conn, f: PeopleFilter, offset: number, limit: number): Promise<{ rows: PersonWithUnit[]; total: number }> {
  const whole = await coversEveryRoot(db, f.paths);
  const [rows, total] = await Promise.all([
    filtered(db, f, whole)
      .selectAll('people')
      .select(['units.name as unit_name', 'units.path as unit_path'])
      .orderBy('people.name')
      .orderBy('people.id')
      .offset(offset)
      .limit(limit)
      .execute(),
    countMatching(db, f, whole),
  ]);
  return { rows, total };
}

/** Every person in the subtrees, in unit then name order: the export's rows. */
export async function allPeopleIn(db: Conn, f: PeopleFilter): Promise<PersonWithUnit[]> {
  return filtered(db, f, await coversEveryRoot(db, f.paths))
    .selectAll('people')
    .select(['units.name as unit_name', 'units.path as unit_path'])
    .orderBy('units.path')
    .orderBy('people.name')
    .execute();
}

function personQuery(db: Conn, id: number) {
  return db
    .selectFrom('people')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .selectAll('people')
    .select(['units.name as unit_name', 'units.path as unit_path'])
    .where('people.id', '=', id);
}

export async function findPerson(db: Conn, id: number): Promise<PersonWithUnit | undefined> {
  return personQuery(db, id).executeTakeFirst();
}

/** findPerson as a cached prepared statement on SQLite (db/hot.ts): every check-in reads it. */
const personHot = hotQuery(personQuery);
export async function findPersonHot(handle: DbHandle, id: number): Promise<PersonWithUnit | undefined> {
  return (await personHot(handle, id))[0];
}

export async function findPersonByEmployeeNo(db: Conn, employeeNo: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('employee_no', '=', employeeNo).executeTakeFirst();
}

/** Names of people by id (whoever a board or a scorecard's misses name), in one query. */
export async function personNames(db: Conn, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('people').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function tagsOf(db: Conn, personIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (personIds.length === 0) return out;
  const rows = await db.selectFrom('person_tags').selectAll().where('person_id', 'in', [...personIds]).orderBy('tag').execute();
  for (const r of rows) {
    const list = out.get(r.person_id) ?? [];
    list.push(r.tag);
    out.set(r.person_id, list);
  }
  return out;
}

export async function replaceTags(tx: Conn, personId: number, tags: readonly string[]): Promise<void> {
  await tx.deleteFrom('person_tags').where('person_id', '=', personId).execute();
  const unique = [...new Set(tags)];
  if (unique.length > 0) await tx.insertInto('person_tags').values(unique.map((tag) => ({ person_id: personId, tag }))).execute();
}

export async function insertPerson(
  tx: Conn,
  p: { unit_id: number; name: string; employee_no: string; phone: string | null; title: string | null; now: number },
): Promise<PersonRow> {
  return tx
    .insertInto('people')
    .values({ unit_id: p.unit_id, name: p.name, employee_no: p.employee_no, phone: p.phone, title: p.title, status: 'active', left_on: null, created_at: p.now, updated_at: p.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updatePerson(tx: Conn, id: number, set: Partial<Omit<PersonRow, 'id'>>): Promise<void> {
  await tx.updateTable('people').set(set).where('id', '=', id).execute();
}

/**
 * The active people in these subtrees, with one of the tags when any are given (a key group): the
 * audience a campaign or a notice fixes when it starts. People joined to their unit; the caller
 * picks the columns.
 */
export function activePeopleIn(db: Conn, paths: readonly string[], tags: readonly string[]) {
  let q = db
    .selectFrom('people')
    .innerJoin('units', 'units.id', 'people.unit_id')
    .where('people.status', '=', 'active')
    .where((w) => pathInSubtrees(w, 'units.path', paths));
  if (tags.length) q = q.where((w) => w.exists(w.selectFrom('person_tags').select('person_tags.person_id').whereRef('person_tags.person_id', '=', 'people.id').where('person_tags.tag', 'in', [...tags])));
  return q;
}
