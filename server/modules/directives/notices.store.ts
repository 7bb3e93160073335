import { sql, type Insertable, type Selectable } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { NoticesTable } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';
import { activePeopleIn } from '../org/people.store.js';
import type { NonReporterRow } from '../health/health.store.js';

/** The queries of notices. Rules live in notices.service.ts and notices.policy.ts. */

export type NoticeRow = Selectable<NoticesTable>;
export interface TargetUnit {
  id: number;
  name: string;
  path: string;
}
/** `group_name`: the key group the audience was chosen by (020_meetings), when there is one. */
export type NoticeWithTargets = NoticeRow & { targets: TargetUnit[]; publisher: string | null; group_name?: string | null };

export async function insertNotice(tx: Conn, row: Omit<Insertable<NoticesTable>, 'id'>): Promise<NoticeRow> {
  return tx.insertInto('notices').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertNoticeUnits(tx: Conn, noticeId: number, unitIds: readonly number[]): Promise<void> {
  if (unitIds.length) await tx.insertInto('notice_units').values(unitIds.map((unit_id) => ({ notice_id: noticeId, unit_id }))).execute();
}

/**
 * Write the audience out in one statement: active people in the target subtrees with one of the
 * tags (when any), each with their unit of now. Answers how many.
 */
export async function snapshotAudience(tx: Conn, noticeId: number, paths: readonly string[], tags: readonly string[]): Promise<number> {
  const r = await tx
    .insertInto('notice_recipients')
    .columns(['notice_id', 'person_id', 'unit_id'])
    .expression(activePeopleIn(tx, paths, tags).select([sql<number>`${noticeId}`.as('notice_id'), 'people.id as person_id', 'people.unit_id as unit_id']))
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

export async function setAudience(tx: Conn, noticeId: number, audience: number): Promise<void> {
  await tx.updateTable('notices').set({ audience }).where('id', '=', noticeId).execute();
}

/** The audience with the path of each one's unit, to tell each target unit about its own people. */
export async function audienceWithPaths(db: Conn, noticeId: number): Promise<{ person_id: number; path: string }[]> {
  return db
    .selectFrom('notice_recipients')
    .innerJoin('units', 'units.id', 'notice_recipients.unit_id')
    .select(['notice_recipients.person_id as person_id', 'units.path as path'])
    .where('notice_recipients.notice_id', '=', noticeId)
    .execute();
}

/** The target units of each notice, with the paths every scope rule is computed from. */
export async function targetsOf(db: Conn, noticeIds: readonly number[]): Promise<Map<number, TargetUnit[]>> {
  const out = new Map<number, TargetUnit[]>(noticeIds.map((id) => [id, []]));
  if (!noticeIds.length) return out;
  const rows = await db
    .selectFrom('notice_units')
    .innerJoin('units', 'units.id', 'notice_units.unit_id')
    .select(['notice_units.notice_id as notice_id', 'units.id as id', 'units.name as name', 'units.path as path'])
    .where('notice_units.notice_id', 'in', [...noticeIds])
    .orderBy('units.path')
    .execute();
  for (const r of rows) out.get(r.notice_id)!.push({ id: r.id, name: r.name, path: r.path });
  return out;
}

const withPublisher = (db: Conn) =>
  db
    .selectFrom('notices')
    .innerJoin('users', 'users.id', 'notices.published_by_user_id')
    .selectAll('notices')
    .select(sql<string | null>`coalesce(users.display_name, users.username)`.as('publisher'))
    .select(sql<string | null>`(select g.name from key_groups g where g.id = notices.group_id)`.as('group_name'));

export async function findNotice(db: Conn, id: number): Promise<NoticeWithTargets | undefined> {
  const row = await withPublisher(db).where('notices.id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return { ...row, targets: (await targetsOf(db, [id])).get(id)! };
}

/**
 * Notices with a target unit overlapping the scope: a target inside it, or a target above one of
 * its units (`above`: every ancestor path of the scope).
 */
function noticesIn(db: Conn, scope: readonly string[], above: readonly string[], status: string | undefined, q: string | undefined) {
  let query = db.selectFrom('notices').where((eb) =>
    eb.exists(
      eb
        .selectFrom('notice_units')
        .innerJoin('units', 'units.id', 'notice_units.unit_id')
        .select('notice_units.unit_id')
        .whereRef('notice_units.notice_id', '=', 'notices.id')
        .where((w) => w.or([pathInSubtrees(w, 'units.path', scope), ...(above.length ? [w('units.path', 'in', [...above])] : [])])),
    ),
  );
  if (status) query = query.where('notices.status', '=', status);
  // Titles are short and a scope's notices few: a substring match needs no index.
  if (q) query = query.where(sql<boolean>`lower(notices.title) like ${`%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`);
  return query;
}

export async function listNotices(db: Conn, scope: readonly string[], above: readonly string[], status: string | undefined, q: string | undefined, offset: number, limit: number) {
  const [rows, count] = await Promise.all([
    noticesIn(db, scope, above, status, q)
      .innerJoin('users', 'users.id', 'notices.published_by_user_id')
      .selectAll('notices')
      .select(sql<string | null>`coalesce(users.display_name, users.username)`.as('publisher'))
      .select(sql<string | null>`(select g.name from key_groups g where g.id = notices.group_id)`.as('group_name'))
      .orderBy('notices.published_at', 'desc')
      .orderBy('notices.id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute(),
    noticesIn(db, scope, above, status, q).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Audience and read counts of each notice, counting only people whose unit lies in the scope. */
export async function countsInScope(db: Conn, noticeIds: readonly number[], scope: readonly string[]): Promise<Map<number, { audience: number; read: number }>> {
  const out = new Map<number, { audience: number; read: number }>(noticeIds.map((id) => [id, { audience: 0, read: 0 }]));
  if (!noticeIds.length || !scope.length) return out;
  const rows = await db
    .selectFrom('notice_recipients')
    .innerJoin('units', 'units.id', 'notice_recipients.unit_id')
    .select((eb) => ['notice_recipients.notice_id as notice_id', eb.fn.countAll<number>().as('audience'), eb.fn.count<number>('notice_recipients.read_at').as('read')])
    .where('notice_recipients.notice_id', 'in', [...noticeIds])
    .where((w) => pathInSubtrees(w, 'units.path', scope))
    .groupBy('notice_recipients.notice_id')
    .execute();
  for (const r of rows) out.set(r.notice_id, { audience: Number(r.audience), read: Number(r.read) });
  return out;
}

export interface ReceiptRow {
  unit_id: number;
  audience: number;
  read: number;
}

/** One notice's receipts per unit of a subtree (by each person's unit when published): one grouped pass. */
export async function receiptsByUnit(db: Conn, noticeId: number, path: string): Promise<ReceiptRow[]> {
  const rows = await db
    .selectFrom('notice_recipients')
    .innerJoin('units', 'units.id', 'notice_recipients.unit_id')
    .select((eb) => ['notice_recipients.unit_id as unit_id', eb.fn.countAll<number>().as('audience'), eb.fn.count<number>('notice_recipients.read_at').as('read')])
    .where('notice_recipients.notice_id', '=', noticeId)
    .where((w) => pathInSubtrees(w, 'units.path', [path]))
    .groupBy('notice_recipients.unit_id')
    .execute();
  return rows.map((r) => ({ unit_id: r.unit_id, audience: Number(r.audience), read: Number(r.read) }));
}

const unreadIn = (db: Conn, noticeId: number, path: string) =>
  db
    .selectFrom('notice_recipients')
    .innerJoin('units', 'units.id', 'notice_recipients.unit_id')
    .innerJoin('people', 'people.id', 'notice_recipients.person_id')
    .where('notice_recipients.notice_id', '=', noticeId)
    .where('notice_recipients.read_at', 'is', null)
    .where((w) => pathInSubtrees(w, 'units.path', [path]));

export type UnreadRow = NonReporterRow & { reminded_at: number | null };

/** The audience under a unit that has not read the notice, in tree then name order. */
export async function unreadPeople(db: Conn, noticeId: number, path: string, offset: number, limit: number): Promise<{ rows: UnreadRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    unreadIn(db, noticeId, path)
      .select(['people.id as id', 'people.name as name', 'people.employee_no as employee_no', 'people.phone as phone', 'units.id as unit_id', 'units.name as unit_name', 'units.path as unit_path', 'notice_recipients.reminded_at as reminded_at'])
      .orderBy('units.path')
      .orderBy('people.name')
      .orderBy('people.id')
      .offset(offset)
      .limit(limit)
      .execute(),
    unreadIn(db, noticeId, path).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Who under a unit has not read it, split by whether they were reminded after `since`. */
export async function unreadToRemind(db: Conn, noticeId: number, path: string, since: number): Promise<{ due: number[]; skipped: number }> {
  const rows = await unreadIn(db, noticeId, path).select(['notice_recipients.person_id as person_id', 'notice_recipients.reminded_at as reminded_at']).execute();
  const due = rows.filter((r) => r.reminded_at === null || Number(r.reminded_at) <= since).map((r) => r.person_id);
  return { due, skipped: rows.length - due.length };
}

/**
 * Mark these people reminded, only those not reminded after `since` (a twin request racing this
 * one finds them taken). Answers the ids it marked.
 */
export async function markReminded(tx: Conn, noticeId: number, personIds: readonly number[], since: number, now: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < personIds.length; i += 1000) {
    const rows = await tx
      .updateTable('notice_recipients')
      .set({ reminded_at: now })
      .where('notice_id', '=', noticeId)
      .where('person_id', 'in', personIds.slice(i, i + 1000))
      .where('read_at', 'is', null)
      .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('reminded_at', '<=', since)]))
      .returning('person_id')
      .execute();
    out.push(...rows.map((r) => r.person_id));
  }
  return out;
}

export async function withdrawNotice(tx: Conn, id: number, userId: number, reason: string, now: number): Promise<number> {
  const r = await tx
    .updateTable('notices')
    .set({ status: 'withdrawn', withdrawn_by_user_id: userId, withdrawn_at: now, withdraw_reason: reason })
    .where('id', '=', id)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ── one's own notices ───────────────────────────────────────────────────────────────────────────

const mine = (db: Conn, personId: number) =>
  db
    .selectFrom('notice_recipients')
    .innerJoin('notices', 'notices.id', 'notice_recipients.notice_id')
    .where('notice_recipients.person_id', '=', personId)
    .where('notices.status', '=', 'published');

/** The person's published notices, newest first, with their read mark; and how many are unread. */
export async function myNotices(db: Conn, personId: number, offset: number, limit: number) {
  const [rows, count] = await Promise.all([
    mine(db, personId)
      .select(['notices.id as id', 'notices.title as title', 'notices.kind as kind', 'notices.published_at as published_at', 'notice_recipients.read_at as read_at'])
      .orderBy('notices.published_at', 'desc')
      .orderBy('notices.id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute(),
    mine(db, personId)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('notice_recipients.read_at').as('read')])
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n), unread: Number(count.n) - Number(count.read) };
}

/** The person's receipt of a published notice, if they are in its audience. */
export async function myReceipt(db: Conn, noticeId: number, personId: number) {
  return mine(db, personId).select(['notice_recipients.read_at as read_at']).where('notice_recipients.notice_id', '=', noticeId).executeTakeFirst();
}

/** Whether the person is in the notice's published audience. */
export async function isRecipient(db: Conn, noticeId: number, personId: number): Promise<boolean> {
  return Boolean(await myReceipt(db, noticeId, personId));
}

/** The first read is the receipt (and counts on the notice); a second changes nothing. */
export async function markRead(tx: Conn, noticeId: number, personId: number, now: number): Promise<boolean> {
  const r = await tx.updateTable('notice_recipients').set({ read_at: now }).where('notice_id', '=', noticeId).where('person_id', '=', personId).where('read_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await tx
    .updateTable('notices')
    .set((eb) => ({ read_count: eb('read_count', '+', 1) }))
    .where('id', '=', noticeId)
    .execute();
  return true;
}

/** The units of a subtree, for naming the children in a receipts roll-up. */
export async function unitsUnder(db: Conn, path: string) {
  return db.selectFrom('units').select(['id', 'parent_id', 'name', 'path', 'archived_at']).where((eb) => pathInSubtrees(eb, 'units.path', [path])).orderBy('sort_order').orderBy('id').execute();
}
