import type { Conn } from '../../db/database.js';
import type { ReportRequestRow, ReportRoundRow, ReportSubmissionRow } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/** The queries of reports up. Rules live in reports.service.ts and reports.policy.ts. */

export interface TargetUnit {
  id: number;
  name: string;
  path: string;
}

export async function insertRequest(tx: Conn, row: Omit<ReportRequestRow, 'id'>): Promise<ReportRequestRow> {
  return tx.insertInto('report_requests').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Multi-row inserts of 500: far under either database's bound-parameter limit. */
export async function insertRequestUnits(tx: Conn, requestId: number, unitIds: readonly number[]): Promise<void> {
  for (let i = 0; i < unitIds.length; i += 500) {
    await tx
      .insertInto('report_request_units')
      .values(unitIds.slice(i, i + 500).map((unit_id) => ({ request_id: requestId, unit_id })))
      .execute();
  }
}

export async function findRequest(db: Conn, id: number): Promise<ReportRequestRow | undefined> {
  return db.selectFrom('report_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The target units of a request, in tree order. */
export async function targetsOf(db: Conn, requestId: number): Promise<TargetUnit[]> {
  return db
    .selectFrom('report_request_units')
    .innerJoin('units', 'units.id', 'report_request_units.unit_id')
    .select(['units.id as id', 'units.name as name', 'units.path as path'])
    .where('report_request_units.request_id', '=', requestId)
    .orderBy('units.path')
    .execute();
}

/** The target units of several requests, those inside `scope` only (a list page names what the actor sees). */
export async function targetsIn(db: Conn, requestIds: readonly number[], scope: readonly string[]): Promise<Map<number, TargetUnit[]>> {
  const out = new Map<number, TargetUnit[]>(requestIds.map((id) => [id, []]));
  if (!requestIds.length) return out;
  const rows = await db
    .selectFrom('report_request_units')
    .innerJoin('units', 'units.id', 'report_request_units.unit_id')
    .select(['report_request_units.request_id as request_id', 'units.id as id', 'units.name as name', 'units.path as path'])
    .where('report_request_units.request_id', 'in', [...requestIds])
    .where((eb) => pathInSubtrees(eb, 'units.path', scope))
    .orderBy('units.path')
    .execute();
  for (const r of rows) out.get(r.request_id)!.push({ id: r.id, name: r.name, path: r.path });
  return out;
}

/** How many units each request asks; only those inside `scope` when one is given. */
export async function unitCountsOf(db: Conn, requestIds: readonly number[], scope?: readonly string[]): Promise<Map<number, number>> {
  const out = new Map<number, number>(requestIds.map((id) => [id, 0]));
  if (!requestIds.length) return out;
  let q = db
    .selectFrom('report_request_units')
    .innerJoin('units', 'units.id', 'report_request_units.unit_id')
    .select(['report_request_units.request_id as request_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('report_request_units.request_id', 'in', [...requestIds]);
  if (scope) q = q.where((eb) => pathInSubtrees(eb, 'units.path', scope));
  for (const r of await q.groupBy('report_request_units.request_id').execute()) out.set(r.request_id, Number(r.n));
  return out;
}

/** Requests asking at least one unit inside the scope, newest first. */
function requestsIn(db: Conn, scope: readonly string[], status: string | undefined) {
  let q = db.selectFrom('report_requests').where((eb) =>
    eb.exists(
      eb
        .selectFrom('report_request_units')
        .innerJoin('units', 'units.id', 'report_request_units.unit_id')
        .select('report_request_units.unit_id')
        .whereRef('report_request_units.request_id', '=', 'report_requests.id')
        .where((w) => pathInSubtrees(w, 'units.path', scope)),
    ),
  );
  if (status) q = q.where('report_requests.status', '=', status);
  return q;
}

export async function listRequests(db: Conn, scope: readonly string[], status: string | undefined, offset: number, limit: number) {
  const [rows, count] = await Promise.all([
    requestsIn(db, scope, status).selectAll('report_requests').orderBy('report_requests.created_at', 'desc').orderBy('report_requests.id', 'desc').offset(offset).limit(limit).execute(),
    requestsIn(db, scope, status).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function closeRequest(tx: Conn, id: number, userId: number | null, now: number): Promise<void> {
  await tx.updateTable('report_requests').set({ status: 'closed', closed_at: now, closed_by_user_id: userId }).where('id', '=', id).execute();
}

export async function creatorNames(db: Conn, userIds: readonly number[]): Promise<Map<number, string>> {
  if (!userIds.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', [...new Set(userIds)]).execute();
  return new Map(rows.map((r) => [r.id, r.display_name ?? r.username]));
}

// ── rounds ───────────────────────────────────────────────────────────────────────────────────────

/** Open the round of a request and day, unless it exists: answers the round either way. */
export async function ensureRound(tx: Conn, row: Omit<ReportRoundRow, 'id' | 'reminded_at'>): Promise<{ round: ReportRoundRow; created: boolean }> {
  const inserted = await tx
    .insertInto('report_rounds')
    .values({ ...row, reminded_at: null })
    .onConflict((oc) => oc.columns(['request_id', 'day']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { round: inserted, created: true };
  const round = await tx.selectFrom('report_rounds').selectAll().where('request_id', '=', row.request_id).where('day', '=', row.day).executeTakeFirstOrThrow();
  return { round, created: false };
}

export async function findRound(db: Conn, id: number): Promise<ReportRoundRow | undefined> {
  return db.selectFrom('report_rounds').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listRounds(db: Conn, requestId: number, offset: number, limit: number) {
  const [rows, count] = await Promise.all([
    db.selectFrom('report_rounds').selectAll().where('request_id', '=', requestId).orderBy('day', 'desc').offset(offset).limit(limit).execute(),
    db.selectFrom('report_rounds').select((eb) => eb.fn.countAll<number>().as('n')).where('request_id', '=', requestId).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The newest round of each request. */
export async function latestRounds(db: Conn, requestIds: readonly number[]): Promise<Map<number, ReportRoundRow>> {
  if (!requestIds.length) return new Map();
  const rows = await db
    .selectFrom('report_rounds')
    .selectAll()
    .where('request_id', 'in', [...requestIds])
    .where((eb) => eb('day', '=', eb.selectFrom('report_rounds as r2').select((e) => e.fn.max('r2.day').as('d')).whereRef('r2.request_id', '=', 'report_rounds.request_id')))
    .execute();
  return new Map(rows.map((r) => [r.request_id, r]));
}

/** Submissions per round (on time, late) from target units inside the scope. */
export async function submittedCounts(db: Conn, roundIds: readonly number[], scope: readonly string[]): Promise<Map<number, { onTime: number; late: number }>> {
  const out = new Map<number, { onTime: number; late: number }>(roundIds.map((id) => [id, { onTime: 0, late: 0 }]));
  if (!roundIds.length) return out;
  const rows = await db
    .selectFrom('report_submissions')
    .innerJoin('units', 'units.id', 'report_submissions.unit_id')
    .select(['report_submissions.round_id as round_id', 'report_submissions.late as late', (eb) => eb.fn.countAll<number>().as('n')])
    .where('report_submissions.round_id', 'in', [...roundIds])
    .where((eb) => pathInSubtrees(eb, 'units.path', scope))
    .groupBy(['report_submissions.round_id', 'report_submissions.late'])
    .execute();
  for (const r of rows) {
    const c = out.get(r.round_id)!;
    if (Number(r.late) === 1) c.late += Number(r.n);
    else c.onTime += Number(r.n);
  }
  return out;
}

/** Target units of a request inside the scope: how many a round is out of. */
export async function countTargetsIn(db: Conn, requestId: number, scope: readonly string[]): Promise<number> {
  const r = await db
    .selectFrom('report_request_units')
    .innerJoin('units', 'units.id', 'report_request_units.unit_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('report_request_units.request_id', '=', requestId)
    .where((eb) => pathInSubtrees(eb, 'units.path', scope))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function markReminded(tx: Conn, roundId: number, now: number): Promise<boolean> {
  const r = await tx.updateTable('report_rounds').set({ reminded_at: now }).where('id', '=', roundId).where('reminded_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Target units of the round's request with no submission in it yet. */
export async function unitsNotSubmitted(db: Conn, round: ReportRoundRow): Promise<TargetUnit[]> {
  return db
    .selectFrom('report_request_units')
    .innerJoin('units', 'units.id', 'report_request_units.unit_id')
    .leftJoin('report_submissions', (j) => j.onRef('report_submissions.unit_id', '=', 'report_request_units.unit_id').on('report_submissions.round_id', '=', round.id))
    .select(['units.id as id', 'units.name as name', 'units.path as path'])
    .where('report_request_units.request_id', '=', round.request_id)
    .where('report_submissions.id', 'is', null)
    .orderBy('units.path')
    .execute();
}

// ── submissions ──────────────────────────────────────────────────────────────────────────────────

export type SubmissionWithNames = ReportSubmissionRow & { submitted_by: string | null };

/** Every submission of a round, with who last wrote it. */
export async function submissionsOf(db: Conn, roundId: number): Promise<Map<number, SubmissionWithNames>> {
  const rows = await db
    .selectFrom('report_submissions')
    .leftJoin('users', 'users.id', 'report_submissions.updated_by_user_id')
    .selectAll('report_submissions')
    .select(['users.display_name as display_name', 'users.username as username'])
    .where('report_submissions.round_id', '=', roundId)
    .execute();
  return new Map(rows.map(({ display_name, username, ...s }) => [s.unit_id, { ...s, submitted_by: display_name ?? username ?? null }]));
}

export async function findSubmission(db: Conn, roundId: number, unitId: number): Promise<ReportSubmissionRow | undefined> {
  return db.selectFrom('report_submissions').selectAll().where('round_id', '=', roundId).where('unit_id', '=', unitId).executeTakeFirst();
}

export async function insertSubmission(tx: Conn, row: Omit<ReportSubmissionRow, 'id'>): Promise<ReportSubmissionRow> {
  return tx.insertInto('report_submissions').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateSubmission(tx: Conn, id: number, set: { answers: string; updated_by_user_id: number | null; updated_at: number }): Promise<ReportSubmissionRow> {
  return tx.updateTable('report_submissions').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/**
 * What units in the scope are asked to fill in: rounds of open requests with no submission from
 * the unit yet, or with one still correctable (deadline ahead). Soonest deadline first.
 */
function toSubmitQuery(db: Conn, scope: readonly string[], now: number) {
  return db
    .selectFrom('report_rounds')
    .innerJoin('report_requests', 'report_requests.id', 'report_rounds.request_id')
    .innerJoin('report_request_units', 'report_request_units.request_id', 'report_rounds.request_id')
    .innerJoin('units', 'units.id', 'report_request_units.unit_id')
    .leftJoin('report_submissions', (j) => j.onRef('report_submissions.round_id', '=', 'report_rounds.id').onRef('report_submissions.unit_id', '=', 'report_request_units.unit_id'))
    .where('report_requests.status', '=', 'open')
    .where((eb) => pathInSubtrees(eb, 'units.path', scope))
    .where((eb) => eb.or([eb('report_submissions.id', 'is', null), eb('report_rounds.deadline_at', '>', now)]));
}

export async function toSubmit(db: Conn, scope: readonly string[], now: number, offset: number, limit: number) {
  const [rows, count] = await Promise.all([
    toSubmitQuery(db, scope, now)
      .select([
        'report_rounds.id as round_id',
        'report_rounds.request_id as request_id',
        'report_rounds.day as day',
        'report_rounds.deadline_at as deadline_at',
        'report_requests.title as title',
        'report_requests.instructions as instructions',
        'report_requests.fields as fields',
        'units.id as unit_id',
        'units.name as unit_name',
        'units.path as unit_path',
        'report_submissions.answers as answers',
        'report_submissions.submitted_at as submitted_at',
        'report_submissions.late as late',
      ])
      .orderBy('report_rounds.deadline_at')
      .orderBy('report_rounds.id')
      .orderBy('units.path')
      .offset(offset)
      .limit(limit)
      .execute(),
    toSubmitQuery(db, scope, now).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

// ── resolving a target ───────────────────────────────────────────────────────────────────────────

/** Live units exactly `depth` levels below the unit at `path` (depth 1: its children), in tree order. */
export async function unitsBelow(db: Conn, path: string, unitDepth: number, depth: number): Promise<TargetUnit[]> {
  return db
    .selectFrom('units')
    .select(['id', 'name', 'path'])
    .where((eb) => pathInSubtrees(eb, 'path', [path]))
    .where('depth', '=', unitDepth + depth)
    .where('archived_at', 'is', null)
    .orderBy('path')
    .execute();
}
