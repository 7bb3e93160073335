import { sql, type ExpressionBuilder } from 'kysely';
import type { Conn } from '../../db/database.js';
import type { CampaignRow, Database } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';
import { activePeopleIn } from '../org/people.store.js';
import type { NonReporterRow } from './health.store.js';

/** The queries of testing campaigns. Rules live in campaigns.service.ts and campaigns.policy.ts. */

export interface TargetUnit {
  id: number;
  name: string;
  path: string;
}
/** `group_name`: the key group the target was chosen by (020_meetings), when there is one. */
export type CampaignWithTargets = CampaignRow & { targets: TargetUnit[]; group_name?: string | null };

export async function insertCampaign(tx: Conn, row: Omit<CampaignRow, 'id' | 'group_id'> & { group_id?: number | null }): Promise<CampaignRow> {
  return tx.insertInto('campaigns').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertCampaignUnits(tx: Conn, campaignId: number, unitIds: readonly number[]): Promise<void> {
  if (unitIds.length) await tx.insertInto('campaign_units').values(unitIds.map((unit_id) => ({ campaign_id: campaignId, unit_id }))).execute();
}

/**
 * Resolve the target into the people due, in one statement: active people in the target subtrees
 * with one of the tags (when any). Answers how many were added.
 */
export async function snapshotPeople(tx: Conn, campaignId: number, paths: readonly string[], tags: readonly string[]): Promise<number> {
  const r = await tx
    .insertInto('campaign_people')
    .columns(['campaign_id', 'person_id', 'late'])
    .expression(activePeopleIn(tx, paths, tags).select([sql<number>`${campaignId}`.as('campaign_id'), 'people.id as person_id', sql<number>`0`.as('late')]))
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

/** The target units of each campaign, with the paths every scope rule is computed from. */
export async function targetsOf(db: Conn, campaignIds: readonly number[]): Promise<Map<number, TargetUnit[]>> {
  const out = new Map<number, TargetUnit[]>(campaignIds.map((id) => [id, []]));
  if (!campaignIds.length) return out;
  const rows = await db
    .selectFrom('campaign_units')
    .innerJoin('units', 'units.id', 'campaign_units.unit_id')
    .select(['campaign_units.campaign_id as campaign_id', 'units.id as id', 'units.name as name', 'units.path as path'])
    .where('campaign_units.campaign_id', 'in', [...campaignIds])
    .orderBy('units.path')
    .execute();
  for (const r of rows) out.get(r.campaign_id)!.push({ id: r.id, name: r.name, path: r.path });
  return out;
}

/** The name of the campaign's key group, if any: one scalar subquery on the group's primary key. */
const groupName = (eb: ExpressionBuilder<Database, 'campaigns'>) => eb.selectFrom('key_groups as g').whereRef('g.id', '=', 'campaigns.group_id').select('g.name').as('group_name');

export async function findCampaign(db: Conn, id: number): Promise<CampaignWithTargets | undefined> {
  const row = await db.selectFrom('campaigns').selectAll('campaigns').select(groupName).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return { ...row, targets: (await targetsOf(db, [id])).get(id)! };
}

/**
 * Campaigns with a target unit overlapping the scope: a target inside it, or a target above one of
 * its units (`above`: every ancestor path of the scope, see campaigns.policy.ts).
 */
function campaignsIn(db: Conn, scope: readonly string[], above: readonly string[], status: string | undefined) {
  let q = db.selectFrom('campaigns').where((eb) =>
    eb.exists(
      eb
        .selectFrom('campaign_units')
        .innerJoin('units', 'units.id', 'campaign_units.unit_id')
        .select('campaign_units.unit_id')
        .whereRef('campaign_units.campaign_id', '=', 'campaigns.id')
        .where((w) => w.or([pathInSubtrees(w, 'units.path', scope), ...(above.length ? [w('units.path', 'in', [...above])] : [])])),
    ),
  );
  if (status) q = q.where('campaigns.status', '=', status);
  return q;
}

export async function listCampaigns(db: Conn, scope: readonly string[], above: readonly string[], status: string | undefined, offset: number, limit: number) {
  const [rows, count] = await Promise.all([
    campaignsIn(db, scope, above, status).selectAll('campaigns').select(groupName).orderBy('campaigns.start_day', 'desc').orderBy('campaigns.id', 'desc').offset(offset).limit(limit).execute(),
    campaignsIn(db, scope, above, status).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function closeCampaign(tx: Conn, id: number, userId: number | null, now: number): Promise<void> {
  await tx.updateTable('campaigns').set({ status: 'closed', closed_at: now, closed_by_user_id: userId }).where('id', '=', id).execute();
}

/**
 * Which table a subtree's reading starts from. 'campaign': the campaign's due rows by key, then
 * each person (best when the subtree holds the whole campaign: 100,000 rows in ~120 ms against
 * ~220 ms the other way). 'units': the subtree's units by path, their people by unit, each one's
 * due row by key (a subsidiary's figures in ~9 ms against ~40 ms, and the first page of its
 * not-yet-sampled in a fraction of a millisecond, already in tree and name order). SQLite keeps
 * the written order of a CROSS JOIN; PostgreSQL plans either form itself.
 */
export type Drive = 'campaign' | 'units';

function dueIn(db: Conn, campaignId: number, path: string, drive: Drive) {
  const base =
    drive === 'campaign'
      ? db.selectFrom('campaign_people').innerJoin('people', 'people.id', 'campaign_people.person_id').innerJoin('units', 'units.id', 'people.unit_id')
      : db
          .selectFrom('units')
          .crossJoin('people')
          .crossJoin('campaign_people')
          .whereRef('people.unit_id', '=', 'units.id')
          .whereRef('campaign_people.person_id', '=', 'people.id');
  return base
    .where('campaign_people.campaign_id', '=', campaignId)
    .where('people.status', '=', 'active')
    .where((eb) => pathInSubtrees(eb, 'units.path', [path]));
}

export interface ProgressRow {
  unit_id: number;
  due: number;
  sampled: number;
  resulted: number;
  positive: number;
}

/** One campaign's figures per unit of a subtree, by each active person's unit of today: one grouped pass. */
export async function progressByUnit(db: Conn, campaignId: number, path: string, drive: Drive): Promise<ProgressRow[]> {
  const rows = await dueIn(db, campaignId, path, drive)
    .select((eb) => [
      'people.unit_id as unit_id',
      eb.fn.countAll<number>().as('due'),
      eb.fn.count<number>('campaign_people.sampled_at').as('sampled'),
      eb.fn.count<number>('campaign_people.result').as('resulted'),
      eb.fn.sum<number>(eb.case().when('campaign_people.result', '=', 'positive').then(1).else(0).end()).as('positive'),
    ])
    .groupBy('people.unit_id')
    .execute();
  return rows.map((r) => ({ unit_id: r.unit_id, due: Number(r.due), sampled: Number(r.sampled), resulted: Number(r.resulted), positive: Number(r.positive ?? 0) }));
}

const pendingQuery = (db: Conn, campaignId: number, path: string, drive: Drive) => dueIn(db, campaignId, path, drive).where('campaign_people.sampled_at', 'is', null);

export type PendingRow = NonReporterRow;

/** Active people due in the campaign in the subtree with no sample yet, in tree then name order. */
export async function pendingPeople(db: Conn, campaignId: number, path: string, drive: Drive, offset: number, limit: number): Promise<{ rows: PendingRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    // The page always walks the subtree in order: it stops after `limit` rows instead of sorting them all.
    pendingQuery(db, campaignId, path, 'units')
      .select(['people.id as id', 'people.name as name', 'people.employee_no as employee_no', 'people.phone as phone', 'people.unit_id as unit_id', 'units.name as unit_name', 'units.path as unit_path'])
      .orderBy('units.path')
      .orderBy('people.name')
      .orderBy('people.id')
      .offset(offset)
      .limit(limit)
      .execute(),
    pendingQuery(db, campaignId, path, drive).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function dueRow(db: Conn, campaignId: number, personId: number) {
  return db.selectFrom('campaign_people').selectAll().where('campaign_id', '=', campaignId).where('person_id', '=', personId).executeTakeFirst();
}

/** Make the person due (a late joiner) if they are not already. */
export async function ensureDue(tx: Conn, campaignId: number, personId: number): Promise<void> {
  await tx
    .insertInto('campaign_people')
    .values({ campaign_id: campaignId, person_id: personId, late: 1, sampled_at: null, result: null, result_day: null })
    .onConflict((oc) => oc.columns(['campaign_id', 'person_id']).doNothing())
    .execute();
}

export async function markSampled(tx: Conn, campaignId: number, personId: number, at: number): Promise<void> {
  await tx.updateTable('campaign_people').set({ sampled_at: at }).where('campaign_id', '=', campaignId).where('person_id', '=', personId).where('sampled_at', 'is', null).execute();
}

export async function findSample(db: Conn, campaignId: number, personId: number, day: string) {
  return db.selectFrom('campaign_samples').selectAll().where('campaign_id', '=', campaignId).where('person_id', '=', personId).where('day', '=', day).executeTakeFirst();
}

export async function insertSample(tx: Conn, row: { campaign_id: number; person_id: number; day: string; taken_at: number; recorded_by_user_id: number | null; via: string }) {
  return tx.insertInto('campaign_samples').values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * Open campaigns the person is due in, or whose target units lie above their unit (`unitPaths`: the
 * unit's path and its ancestors'): the tags are checked by the caller.
 */
export async function openCampaignsFor(db: Conn, personId: number, unitPaths: readonly string[]) {
  return db
    .selectFrom('campaigns')
    .leftJoin('campaign_people', (j) => j.onRef('campaign_people.campaign_id', '=', 'campaigns.id').on('campaign_people.person_id', '=', personId))
    .selectAll('campaigns')
    .select(['campaign_people.person_id as due_person_id', 'campaign_people.sampled_at as sampled_at', 'campaign_people.result as result'])
    .where('campaigns.status', '=', 'open')
    .where((eb) =>
      eb.or([
        eb('campaign_people.person_id', 'is not', null),
        eb.exists(eb.selectFrom('campaign_units').innerJoin('units', 'units.id', 'campaign_units.unit_id').select('campaign_units.unit_id').whereRef('campaign_units.campaign_id', '=', 'campaigns.id').where('units.path', 'in', [...unitPaths])),
      ]),
    )
    .orderBy('campaigns.start_day')
    .orderBy('campaigns.id')
    .execute();
}

/** Which of these people have a sample on the day in the campaigns. */
export async function sampledOn(db: Conn, personId: number, campaignIds: readonly number[], day: string): Promise<Set<number>> {
  if (!campaignIds.length) return new Set();
  const rows = await db.selectFrom('campaign_samples').select('campaign_id').where('person_id', '=', personId).where('day', '=', day).where('campaign_id', 'in', [...campaignIds]).execute();
  return new Set(rows.map((r) => r.campaign_id));
}

// ── results ──────────────────────────────────────────────────────────────────────────────────────

/** Everyone due in the campaign: the import checks each row against it in memory. */
export async function duePersonIds(db: Conn, campaignId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('campaign_people').select('person_id').where('campaign_id', '=', campaignId).execute();
  return new Set(rows.map((r) => r.person_id));
}

export interface StoredResult {
  id: number;
  person_id: number;
  sample_day: string;
  result: string;
  lab: string | null;
}

/** Every result of the campaign, keyed 'personId|sampleDay'. */
export async function resultsOf(db: Conn, campaignId: number): Promise<Map<string, StoredResult>> {
  const rows = await db.selectFrom('campaign_results').select(['id', 'person_id', 'sample_day', 'result', 'lab']).where('campaign_id', '=', campaignId).execute();
  return new Map(rows.map((r) => [`${r.person_id}|${r.sample_day}`, r]));
}

export async function insertBatch(tx: Conn, row: { campaign_id: number; file_name: string; sha256: string; rows: number; created_by_user_id: number | null; created_at: number }) {
  return tx.insertInto('campaign_result_batches').values(row).returningAll().executeTakeFirstOrThrow();
}

export interface NewResult {
  campaign_id: number;
  person_id: number;
  sample_day: string;
  result: string;
  lab: string | null;
  batch_id: number;
  created_at: number;
  updated_at: number;
}

/** Multi-row inserts of ~500 rows: far under either database's bound-parameter limit. */
export async function insertResults(tx: Conn, rows: readonly NewResult[]): Promise<{ id: number; person_id: number }[]> {
  const out: { id: number; person_id: number }[] = [];
  for (let i = 0; i < rows.length; i += 500) out.push(...(await tx.insertInto('campaign_results').values(rows.slice(i, i + 500)).returning(['id', 'person_id']).execute()));
  return out;
}

export async function updateResult(tx: Conn, id: number, set: { result: string; lab: string | null; batch_id: number; updated_at: number }): Promise<void> {
  await tx.updateTable('campaign_results').set(set).where('id', '=', id).execute();
}

/** A person's progress after a result: their latest result, and sampled (a result proves a sample). */
export async function setLatestResult(tx: Conn, campaignId: number, personId: number, result: string, day: string, now: number): Promise<void> {
  await tx
    .updateTable('campaign_people')
    .set((eb) => ({ result, result_day: day, sampled_at: eb.fn.coalesce('sampled_at', sql<number>`${now}`) }))
    .where('campaign_id', '=', campaignId)
    .where('person_id', '=', personId)
    .execute();
}
