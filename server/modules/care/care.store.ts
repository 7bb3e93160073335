import { sql, type Insertable, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { CareActionsTable, CareCasesTable, CareNeedsTable, CareRequestsTable } from '../../db/schema.js';
import { likeText } from '../../db/sql.js';
import { pathInSubtrees } from '../../db/tree.js';

/** SQL of the care module: cases, needs, actions, requests, dismissals and contact alerts. No rules here. */

export type CareCaseRow = Selectable<CareCasesTable>;
export type CareNeedRow = Selectable<CareNeedsTable>;
export type CareActionRow = Selectable<CareActionsTable>;
export type CareRequestRow = Selectable<CareRequestsTable>;

/** A case with its person, the person's unit of today (scope follows it), its officer's name and its open needs. */
export interface CaseView extends CareCaseRow {
  person_name: string;
  employee_no: string;
  person_unit_id: number;
  unit_name: string;
  unit_path: string;
  officer_name: string | null;
  needs_open: number;
}

function caseQuery(db: Conn) {
  return db
    .selectFrom('care_cases as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .leftJoin('users as o', 'o.id', 'c.care_officer_user_id')
    .selectAll('c')
    .select((eb) => [
      'p.name as person_name',
      'p.employee_no as employee_no',
      'p.unit_id as person_unit_id',
      'u.name as unit_name',
      'u.path as unit_path',
      eb.fn.coalesce('o.display_name', 'o.username').as('officer_name'),
      eb
        .selectFrom('care_needs as n')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('n.case_id', '=', 'c.id')
        .where('n.state', 'in', ['open', 'in_progress'])
        .as('needs_open'),
    ]);
}

const normalise = (r: Omit<CaseView, 'needs_open'> & { needs_open: number | string | null }): CaseView => ({ ...r, needs_open: Number(r.needs_open ?? 0) });

export async function findCase(db: Conn, id: number): Promise<CaseView | undefined> {
  const r = await caseQuery(db).where('c.id', '=', id).executeTakeFirst();
  return r ? normalise(r) : undefined;
}

export interface CaseFilter {
  paths: readonly string[];
  status: string;
  kind?: string;
  officerUserId?: number;
  /** Open cases whose last contact (else opening) is before this instant. */
  lastContactBefore?: number;
  q?: string;
  /** Only these cases. */
  ids?: readonly number[];
}

function filtered(db: Conn, f: CaseFilter) {
  let q = caseQuery(db)
    .where((eb) => pathInSubtrees(eb, 'u.path', f.paths))
    .where('c.status', '=', f.status);
  if (f.kind) q = q.where('c.kind', '=', f.kind);
  if (f.ids !== undefined) q = f.ids.length === 0 ? q.where(sql<SqlBool>`1 = 0`) : q.where('c.id', 'in', f.ids);
  if (f.officerUserId !== undefined) q = q.where('c.care_officer_user_id', '=', f.officerUserId);
  if (f.lastContactBefore !== undefined) q = q.where((eb) => eb(eb.fn.coalesce('c.last_contact_at', 'c.opened_at'), '<', f.lastContactBefore!));
  if (f.q) q = q.where((eb) => eb.or([likeText(db, 'p.name', f.q!, 'contains'), eb('p.employee_no', '=', f.q!)]));
  return q;
}

/** A page of cases, least recently contacted first (never contacted: by opening). */
export async function listCases(db: Conn, f: CaseFilter, offset: number, limit: number): Promise<{ rows: CaseView[]; total: number }> {
  const [rows, all] = await Promise.all([
    filtered(db, f)
      .orderBy((eb) => eb.fn.coalesce('c.last_contact_at', 'c.opened_at'))
      .orderBy('c.id')
      .offset(offset)
      .limit(limit)
      .execute(),
    // The count over the same filter (a subquery keeps the joins the filter needs).
    filtered(db, f).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(normalise), total: Number(all.n) };
}

/** The open cases of the subtrees, lean: what figures, the board and the contact check need. */
export interface OpenCaseRow {
  id: number;
  kind: string;
  person_id: number;
  unit_id: number; // the person's unit of today
  unit_path: string;
  unit_name: string;
  opened_at: number;
  last_contact_at: number | null;
  care_officer_user_id: number | null;
  officer_name: string | null;
  needs_open: number;
}

export async function openCasesIn(db: Conn, paths: readonly string[]): Promise<OpenCaseRow[]> {
  const rows = await db
    .selectFrom('care_cases as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .leftJoin('users as o', 'o.id', 'c.care_officer_user_id')
    .select((eb) => [
      'c.id',
      'c.kind',
      'c.person_id',
      'p.unit_id as unit_id',
      'u.path as unit_path',
      'u.name as unit_name',
      'c.opened_at',
      'c.last_contact_at',
      'c.care_officer_user_id',
      eb.fn.coalesce('o.display_name', 'o.username').as('officer_name'),
      eb
        .selectFrom('care_needs as n')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('n.case_id', '=', 'c.id')
        .where('n.state', 'in', ['open', 'in_progress'])
        .as('needs_open'),
    ])
    .where('c.status', '=', 'open')
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .execute();
  return rows.map((r) => ({ ...r, opened_at: Number(r.opened_at), last_contact_at: r.last_contact_at === null ? null : Number(r.last_contact_at), needs_open: Number(r.needs_open ?? 0) }));
}

/** Cases (open, or closed after `from`) of the subtrees opened before `to`: the contact duties' cases. */
export async function casesActiveIn(db: Conn, paths: readonly string[], from: number, to: number) {
  const rows = await db
    .selectFrom('care_cases as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .leftJoin('users as o', 'o.id', 'c.care_officer_user_id')
    .select((eb) => ['c.id', 'p.unit_id as unit_id', 'c.opened_at', 'c.closed_at', 'c.care_officer_user_id', eb.fn.coalesce('o.display_name', 'o.username').as('officer_name')])
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .where('c.opened_at', '<', to)
    .where((eb) => eb.or([eb('c.status', '=', 'open'), eb('c.closed_at', '>=', from)]))
    .execute();
  return rows.map((r) => ({ ...r, opened_at: Number(r.opened_at), closed_at: r.closed_at === null ? null : Number(r.closed_at) }));
}

/** The times of the care actions of these cases, ordered. */
export async function actionTimesOf(db: Conn, caseIds: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < caseIds.length; i += 500) {
    const rows = await db.selectFrom('care_actions').select(['case_id', 'at']).where('case_id', 'in', caseIds.slice(i, i + 500)).orderBy('at').execute();
    for (const r of rows) out.set(r.case_id, [...(out.get(r.case_id) ?? []), Number(r.at)]);
  }
  return out;
}

/** The open case of a person of a kind. */
export async function openCaseOf(db: Conn, personId: number, kind: string): Promise<CareCaseRow | undefined> {
  return db.selectFrom('care_cases').selectAll().where('person_id', '=', personId).where('kind', '=', kind).where('status', '=', 'open').executeTakeFirst();
}

export async function openCasesOfPerson(db: Conn, personId: number): Promise<CareCaseRow[]> {
  return db.selectFrom('care_cases').selectAll().where('person_id', '=', personId).where('status', '=', 'open').orderBy('id').execute();
}

/** (person, kind) pairs with an open case among these people. */
export async function openKindsOf(db: Conn, personIds: readonly number[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await db.selectFrom('care_cases').select(['person_id', 'kind']).where('status', '=', 'open').where('person_id', 'in', personIds.slice(i, i + 500)).execute();
    for (const r of rows) out.add(`${r.person_id}:${r.kind}`);
  }
  return out;
}

export async function insertCase(tx: Conn, row: Insertable<CareCasesTable>): Promise<number> {
  const r = await tx.insertInto('care_cases').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateCase(tx: Conn, id: number, set: Updateable<CareCasesTable>): Promise<void> {
  await tx.updateTable('care_cases').set(set).where('id', '=', id).execute();
}

export type NeedView = CareNeedRow & { updated_by_name: string | null };

export async function needsOf(db: Conn, caseIds: readonly number[]): Promise<Map<number, NeedView[]>> {
  const out = new Map<number, NeedView[]>(caseIds.map((id) => [id, []]));
  if (caseIds.length === 0) return out;
  const rows = await db
    .selectFrom('care_needs as n')
    .leftJoin('users as us', 'us.id', 'n.updated_by_user_id')
    .selectAll('n')
    .select((eb) => eb.fn.coalesce('us.display_name', 'us.username').as('updated_by_name'))
    .where('n.case_id', 'in', caseIds)
    .orderBy('n.id')
    .execute();
  for (const r of rows) out.get(r.case_id)!.push(r);
  return out;
}

export async function findNeed(db: Conn, caseId: number, needId: number): Promise<CareNeedRow | undefined> {
  return db.selectFrom('care_needs').selectAll().where('id', '=', needId).where('case_id', '=', caseId).executeTakeFirst();
}

export async function insertNeed(tx: Conn, row: Insertable<CareNeedsTable>): Promise<number> {
  const r = await tx.insertInto('care_needs').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateNeed(tx: Conn, id: number, set: Updateable<CareNeedsTable>): Promise<void> {
  await tx.updateTable('care_needs').set(set).where('id', '=', id).execute();
}

export type ActionView = CareActionRow & { user_name: string | null };

/** The actions of these cases, newest first. */
export async function actionsOf(db: Conn, caseIds: readonly number[]): Promise<Map<number, ActionView[]>> {
  const out = new Map<number, ActionView[]>(caseIds.map((id) => [id, []]));
  if (caseIds.length === 0) return out;
  const rows = await db
    .selectFrom('care_actions as a')
    .leftJoin('users as us', 'us.id', 'a.user_id')
    .selectAll('a')
    .select((eb) => eb.fn.coalesce('us.display_name', 'us.username').as('user_name'))
    .where('a.case_id', 'in', caseIds)
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
  for (const r of rows) out.get(r.case_id)!.push({ ...r, at: Number(r.at), created_at: Number(r.created_at) });
  return out;
}

export async function insertAction(tx: Conn, row: Insertable<CareActionsTable>): Promise<number> {
  const r = await tx.insertInto('care_actions').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** The latest action's time of a case (kept in care_cases.last_contact_at). */
export async function latestActionAt(db: Conn, caseId: number): Promise<number | null> {
  const r = await db.selectFrom('care_actions').select((eb) => eb.fn.max('at').as('at')).where('case_id', '=', caseId).executeTakeFirst();
  return r?.at == null ? null : Number(r.at);
}

// ── requests ─────────────────────────────────────────────────────────────────────────────────────

export interface RequestView extends CareRequestRow {
  person_name: string;
  person_unit_id: number;
  unit_name: string;
  unit_path: string;
  handled_by_name: string | null;
}

function requestQuery(db: Conn) {
  return db
    .selectFrom('care_requests as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .leftJoin('users as h', 'h.id', 'r.handled_by_user_id')
    .selectAll('r')
    .select((eb) => ['p.name as person_name', 'p.unit_id as person_unit_id', 'u.name as unit_name', 'u.path as unit_path', eb.fn.coalesce('h.display_name', 'h.username').as('handled_by_name')]);
}

export async function findRequest(db: Conn, id: number): Promise<RequestView | undefined> {
  return requestQuery(db).where('r.id', '=', id).executeTakeFirst();
}

export async function listRequests(db: Conn, paths: readonly string[], status: string, q: string | undefined, offset: number, limit: number): Promise<{ rows: RequestView[]; total: number }> {
  const base = () => {
    const b = requestQuery(db).where((eb) => pathInSubtrees(eb, 'u.path', paths)).where('r.status', '=', status);
    return q ? b.where((eb) => eb.or([likeText(db, 'p.name', q, 'contains'), eb('p.employee_no', '=', q)])) : b;
  };
  const [rows, all] = await Promise.all([
    base().orderBy('r.created_at').orderBy('r.id').offset(offset).limit(limit).execute(),
    base().clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(all.n) };
}

export async function requestsOfPerson(db: Conn, personId: number, limit: number): Promise<RequestView[]> {
  return requestQuery(db).where('r.person_id', '=', personId).orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(limit).execute();
}

/** Open requests per unit of today in the subtrees. */
export async function openRequestUnits(db: Conn, paths: readonly string[]): Promise<{ unit_id: number }[]> {
  return db
    .selectFrom('care_requests as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select('p.unit_id as unit_id')
    .where('r.status', '=', 'open')
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .execute();
}

export async function insertRequest(tx: Conn, row: Insertable<CareRequestsTable>): Promise<number> {
  const r = await tx.insertInto('care_requests').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Answer a request still open; false when someone answered it meanwhile. */
export async function handleRequest(tx: Conn, id: number, set: Updateable<CareRequestsTable>): Promise<boolean> {
  const r = await tx.updateTable('care_requests').set(set).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ── dismissals and alerts ────────────────────────────────────────────────────────────────────────

export async function dismissedKeys(db: Conn, personIds: readonly number[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await db.selectFrom('care_dismissals').select('key').where('person_id', 'in', personIds.slice(i, i + 500)).execute();
    for (const r of rows) out.add(r.key);
  }
  return out;
}

export async function insertDismissal(tx: Conn, row: { key: string; person_id: number; user_id: number | null; at: number }): Promise<boolean> {
  const r = await tx.insertInto('care_dismissals').values(row).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Record that a lapse was alerted; false when it already was (once per lapse, whatever races). */
export async function claimContactAlert(tx: Conn, row: { case_id: number; due_at: number; alerted_at: number; user_id: number | null }): Promise<boolean> {
  const r = await tx.insertInto('care_contact_alerts').values(row).onConflict((oc) => oc.columns(['case_id', 'due_at']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The users among these who hold one of the roles on one of the units (by grant). */
export async function roleHoldersOn(db: Conn, unitIds: readonly number[], roles: readonly string[]): Promise<{ user_id: number; unit_id: number; name: string }[]> {
  if (unitIds.length === 0) return [];
  return db
    .selectFrom('grants as g')
    .innerJoin('users as us', 'us.id', 'g.user_id')
    .select((eb) => ['g.user_id', 'g.unit_id', eb.fn.coalesce('us.display_name', 'us.username').as('name')])
    .where('g.unit_id', 'in', unitIds)
    .where('g.role', 'in', roles)
    .where('us.disabled_at', 'is', null)
    .orderBy('g.user_id')
    .execute();
}

/** A person's cases: open ones, and closed ones closed since `closedSince`; open first, newest first. */
export async function casesOfPerson(db: Conn, personId: number, closedSince: number): Promise<CaseView[]> {
  const rows = await caseQuery(db)
    .where('c.person_id', '=', personId)
    .where((eb) => eb.or([eb('c.status', '=', 'open'), eb('c.closed_at', '>=', closedSince)]))
    .orderBy('c.status', 'desc')
    .orderBy('c.opened_at', 'desc')
    .execute();
  return rows.map(normalise);
}
