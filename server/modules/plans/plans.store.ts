import { sql, type Insertable, type Selectable } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { PlanReviewsTable, PlanRunStepsTable, PlanRunsTable, PlansTable, PlanVersionsTable } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/** SQL of emergency plans: plans and versions, runs and their steps, reviews, and the coverage and drill passes. */

export type PlanRow = Selectable<PlansTable>;
export type VersionRow = Selectable<PlanVersionsTable>;
export type RunRow = Selectable<PlanRunsTable>;
export type RunStepRow = Selectable<PlanRunStepsTable>;
export type ReviewRow = Selectable<PlanReviewsTable>;

/** A plan with its unit and its current version's title and severities. */
export interface PlanView extends PlanRow {
  unit_name: string;
  unit_path: string;
  title: string;
  severities: string;
  steps: string;
  version: number;
  has_draft: number;
}

function planQuery(db: Conn) {
  return db
    .selectFrom('plans as p')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .innerJoin('plan_versions as v', 'v.id', 'p.current_version_id')
    .selectAll('p')
    .select((eb) => [
      'u.name as unit_name',
      'u.path as unit_path',
      'v.title',
      'v.severities',
      'v.steps',
      'v.version',
      eb
        .selectFrom('plan_versions as d')
        .whereRef('d.plan_id', '=', 'p.id')
        .where('d.state', '=', 'draft')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('has_draft'),
    ]);
}

const normalise = (r: PlanView): PlanView => ({ ...r, has_draft: Number(r.has_draft), created_at: Number(r.created_at), updated_at: Number(r.updated_at), archived_at: r.archived_at === null ? null : Number(r.archived_at) });

export async function findPlan(db: Conn, id: number): Promise<PlanView | undefined> {
  const r = (await planQuery(db).where('p.id', '=', id).executeTakeFirst()) as PlanView | undefined;
  return r && normalise(r);
}

/** Active plans of a kind at these units (the chain of an incident's unit), with their current versions. */
export async function activePlansAt(db: Conn, unitIds: readonly number[], kind: string): Promise<PlanView[]> {
  if (unitIds.length === 0) return [];
  const rows = (await planQuery(db).where('p.unit_id', 'in', [...unitIds]).where('p.kind', '=', kind).where('p.archived_at', 'is', null).orderBy('p.id').execute()) as PlanView[];
  return rows.map(normalise);
}

export interface PlanFilter {
  /** Plans at a unit in one of these subtrees… */
  paths: readonly string[];
  /** …or at one of these units (the units above, whose plans apply below). */
  unitIds: readonly number[];
  kind?: string | undefined;
  archived: boolean;
}

/** One page of plans, in tree order then by kind. */
export async function listPlans(db: Conn, f: PlanFilter, offset: number, limit: number): Promise<{ rows: PlanView[]; total: number }> {
  let q = planQuery(db)
    .where((eb) => (f.unitIds.length ? eb.or([pathInSubtrees(eb, 'u.path', f.paths), eb('p.unit_id', 'in', [...f.unitIds])]) : pathInSubtrees(eb, 'u.path', f.paths)))
    .where('p.archived_at', f.archived ? 'is not' : 'is', null);
  if (f.kind) q = q.where('p.kind', '=', f.kind);
  const total = Number((await q.clearSelect().select((e) => e.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = (await q.orderBy('u.path').orderBy('p.kind').orderBy('p.id').offset(offset).limit(limit).execute()) as PlanView[];
  return { rows: rows.map(normalise), total };
}

export async function insertPlan(tx: Conn, row: Insertable<PlansTable>): Promise<number> {
  return (await tx.insertInto('plans').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updatePlan(tx: Conn, id: number, set: Partial<Insertable<PlansTable>>): Promise<void> {
  await tx.updateTable('plans').set(set).where('id', '=', id).execute();
}

export async function insertVersion(tx: Conn, row: Insertable<PlanVersionsTable>): Promise<number> {
  return (await tx.insertInto('plan_versions').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateVersion(tx: Conn, id: number, set: Partial<Insertable<PlanVersionsTable>>): Promise<void> {
  await tx.updateTable('plan_versions').set(set).where('id', '=', id).execute();
}

export interface VersionView extends VersionRow {
  created_by_name: string | null;
}

function versionQuery(db: Conn) {
  return db
    .selectFrom('plan_versions as v')
    .leftJoin('users as cu', 'cu.id', 'v.created_by_user_id')
    .leftJoin('people as cp', 'cp.id', 'cu.person_id')
    .selectAll('v')
    .select(sql<string | null>`coalesce(cp.name, cu.display_name, cu.username)`.as('created_by_name'));
}

export async function versionsOf(db: Conn, planId: number): Promise<VersionView[]> {
  return (await versionQuery(db).where('v.plan_id', '=', planId).orderBy('v.version').execute()) as VersionView[];
}

export async function findVersion(db: Conn, id: number): Promise<VersionView | undefined> {
  return (await versionQuery(db).where('v.id', '=', id).executeTakeFirst()) as VersionView | undefined;
}

export async function versionByNumber(db: Conn, planId: number, version: number): Promise<VersionView | undefined> {
  return (await versionQuery(db).where('v.plan_id', '=', planId).where('v.version', '=', version).executeTakeFirst()) as VersionView | undefined;
}

/** People's names, status and unit paths (named persons of steps). */
export async function peopleByIds(db: Conn, ids: readonly number[]): Promise<Map<number, { id: number; name: string; status: string; unit_id: number; unit_path: string }>> {
  const out = new Map<number, { id: number; name: string; status: string; unit_id: number; unit_path: string }>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('people').innerJoin('units', 'units.id', 'people.unit_id').select(['people.id', 'people.name', 'people.status', 'people.unit_id', 'units.path as unit_path']).where('people.id', 'in', [...new Set(ids)]).execute();
  for (const r of rows) out.set(r.id, r);
  return out;
}

/** The active people linked to enabled logins holding `role` on these units: unit id → first holder (by grant). */
export async function roleHolderPeople(db: Conn, unitIds: readonly number[], role: string): Promise<Map<number, { personId: number; name: string }>> {
  const out = new Map<number, { personId: number; name: string }>();
  if (unitIds.length === 0) return out;
  const rows = await db
    .selectFrom('grants')
    .innerJoin('users', 'users.id', 'grants.user_id')
    .innerJoin('people', 'people.id', 'users.person_id')
    .select(['grants.unit_id', 'people.id as person_id', 'people.name'])
    .where('grants.role', '=', role)
    .where('grants.unit_id', 'in', [...unitIds])
    .where('users.disabled_at', 'is', null)
    .where('people.status', '=', 'active')
    .orderBy('grants.id')
    .execute();
  for (const r of rows) if (!out.has(r.unit_id)) out.set(r.unit_id, { personId: r.person_id, name: r.name });
  return out;
}

export async function unitsByIds(db: Conn, ids: readonly number[]): Promise<Map<number, { id: number; name: string; path: string; kind: string; archived_at: number | null }>> {
  const out = new Map<number, { id: number; name: string; path: string; kind: string; archived_at: number | null }>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('units').select(['id', 'name', 'path', 'kind', 'archived_at']).where('id', 'in', [...new Set(ids)]).execute();
  for (const r of rows) out.set(r.id, { ...r, archived_at: r.archived_at === null ? null : Number(r.archived_at) });
  return out;
}

// ── runs ─────────────────────────────────────────────────────────────────────────────────────────

export async function findRun(db: Conn, planId: number, incidentId: number): Promise<RunRow | undefined> {
  return db.selectFrom('plan_runs').selectAll().where('plan_id', '=', planId).where('incident_id', '=', incidentId).executeTakeFirst();
}

export async function findRunById(db: Conn, id: number): Promise<RunRow | undefined> {
  return db.selectFrom('plan_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRun(tx: Conn, row: Insertable<PlanRunsTable>): Promise<number> {
  return (await tx.insertInto('plan_runs').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateRun(tx: Conn, id: number, set: Partial<Insertable<PlanRunsTable>>): Promise<void> {
  await tx.updateTable('plan_runs').set(set).where('id', '=', id).execute();
}

export async function insertRunSteps(tx: Conn, rows: Insertable<PlanRunStepsTable>[]): Promise<void> {
  if (rows.length) await tx.insertInto('plan_run_steps').values(rows).execute();
}

export async function updateRunStep(tx: Conn, id: number, set: Partial<Insertable<PlanRunStepsTable>>): Promise<void> {
  await tx.updateTable('plan_run_steps').set(set).where('id', '=', id).execute();
}

export async function stepsOfRuns(db: Conn, runIds: readonly number[]): Promise<RunStepRow[]> {
  if (runIds.length === 0) return [];
  return db.selectFrom('plan_run_steps').selectAll().where('run_id', 'in', [...runIds]).orderBy('run_id').orderBy('position').execute();
}

export async function stepOfTask(db: Conn, taskId: number): Promise<RunStepRow | undefined> {
  return db.selectFrom('plan_run_steps').selectAll().where('task_id', '=', taskId).executeTakeFirst();
}

/** An incident's runs with their plan's unit and version, oldest first. */
export async function runsOfIncident(db: Conn, incidentId: number) {
  return db
    .selectFrom('plan_runs as r')
    .innerJoin('plan_versions as v', 'v.id', 'r.version_id')
    .innerJoin('plans as p', 'p.id', 'r.plan_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .selectAll('r')
    .select(['v.title as plan_title', 'v.version', 'v.steps as version_steps', 'u.name as plan_unit_name', 'u.path as plan_unit_path'])
    .where('r.incident_id', '=', incidentId)
    .orderBy('r.id')
    .execute();
}

/** One page of drill runs whose incident lies in these subtrees, newest first. */
export async function listDrillRuns(db: Conn, paths: readonly string[], planId: number | undefined, offset: number, limit: number) {
  let q = db
    .selectFrom('plan_runs as r')
    .innerJoin('incidents as i', 'i.id', 'r.incident_id')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .innerJoin('plan_versions as v', 'v.id', 'r.version_id')
    .where('r.drill', '=', 1)
    .where((eb) => pathInSubtrees(eb, 'u.path', paths));
  if (planId !== undefined) q = q.where('r.plan_id', '=', planId);
  const total = Number((await q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q
    .select(['r.id', 'r.plan_id', 'r.incident_id', 'i.title', 'i.unit_id', 'u.name as unit_name', 'i.severity', 'i.occurred_at', 'v.title as plan_title', 'v.version'])
    .select((eb) => eb.selectFrom('plan_reviews as rv').whereRef('rv.incident_id', '=', 'r.incident_id').whereRef('rv.plan_id', '=', 'r.plan_id').select((e) => e.fn.countAll<number>().as('n')).as('reviews'))
    .orderBy('r.started_at', 'desc')
    .orderBy('r.id', 'desc')
    .offset(offset)
    .limit(limit)
    .execute();
  return { rows, total };
}

// ── reviews ──────────────────────────────────────────────────────────────────────────────────────

export async function insertReview(tx: Conn, row: Insertable<PlanReviewsTable>): Promise<number> {
  return (await tx.insertInto('plan_reviews').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateReview(tx: Conn, id: number, set: Partial<Insertable<PlanReviewsTable>>): Promise<void> {
  await tx.updateTable('plan_reviews').set(set).where('id', '=', id).execute();
}

function reviewQuery(db: Conn) {
  return db
    .selectFrom('plan_reviews as r')
    .innerJoin('incidents as i', 'i.id', 'r.incident_id')
    .innerJoin('plan_versions as v', 'v.id', 'r.version_id')
    .innerJoin('plans as p', 'p.id', 'r.plan_id')
    .innerJoin('units as pu', 'pu.id', 'p.unit_id')
    .leftJoin('plan_versions as d', 'd.id', 'r.draft_version_id')
    .leftJoin('users as wu', 'wu.id', 'r.written_by_user_id')
    .leftJoin('people as wp', 'wp.id', 'wu.person_id')
    .selectAll('r')
    .select(['i.drill', 'v.version', 'd.version as draft_version', 'pu.path as plan_unit_path', sql<string | null>`coalesce(wp.name, wu.display_name, wu.username)`.as('written_by_name')]);
}
export type ReviewView = Awaited<ReturnType<typeof reviewsOfIncident>>[number];

export async function reviewsOfIncident(db: Conn, incidentId: number) {
  return reviewQuery(db).where('r.incident_id', '=', incidentId).orderBy('r.id').execute();
}

export async function findReview(db: Conn, id: number) {
  return reviewQuery(db).where('r.id', '=', id).executeTakeFirst();
}

// ── coverage ─────────────────────────────────────────────────────────────────────────────────────

/** Active plans with a coverage rule whose unit lies in these subtrees. */
export async function plansWithCoverageRule(db: Conn, paths: readonly string[]) {
  const rows = await planQuery(db)
    .select('v.required_unit_kinds')
    .where((eb) => pathInSubtrees(eb, 'u.path', paths))
    .where('p.archived_at', 'is', null)
    .where('v.required_unit_kinds', '<>', '[]')
    .orderBy('u.path')
    .execute();
  return rows as (PlanView & { required_unit_kinds: string })[];
}

/** Active units of these kinds strictly below `path`. */
export async function unitsOfKindsBelow(db: Conn, path: string, kinds: readonly string[]) {
  if (kinds.length === 0) return [];
  return db
    .selectFrom('units')
    .select(['id', 'name', 'path', 'kind'])
    .where((eb) => pathInSubtrees(eb, 'path', [path]))
    .where('path', '<>', path)
    .where('kind', 'in', [...kinds])
    .where('archived_at', 'is', null)
    .orderBy('path')
    .execute();
}

/** The units among these that hold their own active plan of a kind. */
export async function unitsWithOwnPlan(db: Conn, unitIds: readonly number[], kind: string): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < unitIds.length; i += 500) {
    const part = unitIds.slice(i, i + 500);
    const rows = await db.selectFrom('plans').select('unit_id').where('unit_id', 'in', part).where('kind', '=', kind).where('archived_at', 'is', null).execute();
    for (const r of rows) out.add(r.unit_id);
  }
  return out;
}
