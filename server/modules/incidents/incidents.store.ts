import { sql, type Insertable, type Updateable } from 'kysely';
import type { Conn, Dialect } from '../../db/database.js';
import type { IncidentEscalationsTable, IncidentEventsTable, IncidentLevelsTable, IncidentsTable } from '../../db/schema.js';
import { pathInSubtrees } from '../../db/tree.js';

/** The SQL of the incidents module: nothing here decides anything. */

export type NewIncident = Insertable<IncidentsTable>;
export type NewLevel = Insertable<IncidentLevelsTable>;
export type NewEvent = Insertable<IncidentEventsTable>;
export type NewEscalation = Insertable<IncidentEscalationsTable>;

export async function insertIncident(tx: Conn, row: NewIncident): Promise<number> {
  const r = await tx.insertInto('incidents').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function insertLevels(tx: Conn, rows: NewLevel[]): Promise<void> {
  await tx.insertInto('incident_levels').values(rows).execute();
}

export async function insertPeople(tx: Conn, rows: { incident_id: number; person_id: number; involvement: string; note: string | null }[]): Promise<void> {
  if (rows.length) await tx.insertInto('incident_people').values(rows).execute();
}

export async function insertEvent(tx: Conn, row: NewEvent): Promise<number> {
  const r = await tx.insertInto('incident_events').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** The escalation rows of a level; a second write of the same (incident, level, kind) is ignored. Returns the ids written. */
export async function insertEscalations(tx: Conn, rows: NewEscalation[]): Promise<{ id: number; kind: string; due_at: number }[]> {
  if (rows.length === 0) return [];
  return tx
    .insertInto('incident_escalations')
    .values(rows)
    .onConflict((oc) => oc.columns(['incident_id', 'level_id', 'kind']).doNothing())
    .returning(['id', 'kind', 'due_at'])
    .execute();
}

/** The incident, locked for the rest of the transaction on PostgreSQL (SQLite has one writer): every change to one incident goes one at a time. */
export async function lockIncident(tx: Conn, dialect: Dialect, id: number) {
  const q = tx.selectFrom('incidents').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

export async function findIncident(db: Conn, id: number) {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function levelsOf(db: Conn, incidentIds: readonly number[]) {
  if (incidentIds.length === 0) return [];
  return db
    .selectFrom('incident_levels as l')
    .innerJoin('units as u', 'u.id', 'l.unit_id')
    .leftJoin('users as au', 'au.id', 'l.acknowledged_by_user_id')
    .leftJoin('people as ap', 'ap.id', 'au.person_id')
    .selectAll('l')
    .select(['u.name as unit_name', 'u.path as unit_path', sql<string | null>`coalesce(ap.name, au.display_name, au.username)`.as('ack_by_name')])
    .where('l.incident_id', 'in', incidentIds)
    .orderBy('l.incident_id')
    .orderBy('l.position')
    .execute();
}
export type LevelRow = Awaited<ReturnType<typeof levelsOf>>[number];

export async function updateLevel(tx: Conn, id: number, set: Partial<Omit<IncidentLevelsTable, 'id'>>, whereState?: string): Promise<boolean> {
  let q = tx.updateTable('incident_levels').set(set).where('id', '=', id);
  if (whereState) q = q.where('state', '=', whereState);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function updateIncident(tx: Conn, id: number, set: Updateable<IncidentsTable>): Promise<void> {
  await tx.updateTable('incidents').set(set).where('id', '=', id).execute();
}

/** Cancel the escalations of a level still due (it was acknowledged or skipped). */
export async function cancelEscalations(tx: Conn, levelId: number): Promise<void> {
  await tx.updateTable('incident_escalations').set({ status: 'cancelled' }).where('level_id', '=', levelId).where('status', '=', 'due').execute();
}

export async function findEscalation(db: Conn, id: number) {
  return db.selectFrom('incident_escalations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A level's escalations still due, earliest first. */
export async function dueEscalationsOfLevel(db: Conn, levelId: number) {
  return db.selectFrom('incident_escalations').selectAll().where('level_id', '=', levelId).where('status', '=', 'due').orderBy('due_at').orderBy('id').execute();
}

/** Mark an escalation fired if it is still due: true for exactly one caller, whatever races. */
export async function fireEscalation(tx: Conn, id: number, now: number): Promise<boolean> {
  const r = await tx.updateTable('incident_escalations').set({ status: 'fired', fired_at: now }).where('id', '=', id).where('status', '=', 'due').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Escalations due before `before` and still not fired nor reported: the watchdog's findings. */
export async function overdueEscalations(db: Conn, before: number, limit = 100) {
  return db
    .selectFrom('incident_escalations as e')
    .innerJoin('incident_levels as l', 'l.id', 'e.level_id')
    .innerJoin('incidents as i', 'i.id', 'e.incident_id')
    .innerJoin('units as u', 'u.id', 'l.unit_id')
    .select(['e.id', 'e.incident_id', 'e.level_id', 'e.kind', 'e.due_at', 'l.position', 'l.unit_id', 'u.name as unit_name', 'i.title'])
    .where('e.status', '=', 'due')
    .where('e.due_at', '<', before)
    .where('e.watchdog_reported_at', 'is', null)
    .orderBy('e.due_at')
    .limit(limit)
    .execute();
}

export async function countOverdueEscalations(db: Conn, before: number): Promise<number> {
  const r = await db.selectFrom('incident_escalations').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'due').where('due_at', '<', before).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Mark findings reported; returns the ids this call marked (another process may have marked some). */
export async function markReported(tx: Conn, ids: readonly number[], now: number): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await tx.updateTable('incident_escalations').set({ watchdog_reported_at: now }).where('id', 'in', ids).where('watchdog_reported_at', 'is', null).returning('id').execute();
  return rows.map((r) => r.id);
}

export async function eventsOf(db: Conn, incidentId: number) {
  return db
    .selectFrom('incident_events as e')
    .leftJoin('incident_levels as l', 'l.id', 'e.level_id')
    .leftJoin('units as u', 'u.id', 'l.unit_id')
    .leftJoin('users as au', 'au.id', 'e.actor_user_id')
    .leftJoin('people as ap', 'ap.id', 'au.person_id')
    .selectAll('e')
    .select(['l.position as level_position', 'u.name as unit_name', sql<string | null>`coalesce(ap.name, au.display_name, au.username)`.as('actor_name')])
    .where('e.incident_id', '=', incidentId)
    .orderBy('e.id')
    .execute();
}

export async function peopleOf(db: Conn, incidentId: number) {
  return db
    .selectFrom('incident_people as ip')
    .innerJoin('people as p', 'p.id', 'ip.person_id')
    .innerJoin('units as u', 'u.id', 'p.unit_id')
    .select(['ip.person_id', 'ip.involvement', 'ip.note', 'p.name', 'u.name as unit_name'])
    .where('ip.incident_id', '=', incidentId)
    .orderBy('ip.id')
    .execute();
}

export async function instructionsOf(db: Conn, incidentIds: readonly number[]) {
  if (incidentIds.length === 0) return [];
  return db
    .selectFrom('incident_instructions as n')
    .innerJoin('incident_levels as l', 'l.id', 'n.level_id')
    .innerJoin('units as u', 'u.id', 'l.unit_id')
    .leftJoin('users as bu', 'bu.id', 'n.by_user_id')
    .leftJoin('people as bp', 'bp.id', 'bu.person_id')
    .selectAll('n')
    .select(['l.position as from_position', 'u.name as from_unit_name', sql<string | null>`coalesce(bp.name, bu.display_name, bu.username)`.as('by_name')])
    .where('n.incident_id', 'in', incidentIds)
    .orderBy('n.id')
    .execute();
}

export async function instructionAcksOf(db: Conn, instructionIds: readonly number[]) {
  if (instructionIds.length === 0) return [];
  return db
    .selectFrom('incident_instruction_acks as a')
    .innerJoin('incident_levels as l', 'l.id', 'a.level_id')
    .innerJoin('units as u', 'u.id', 'l.unit_id')
    .leftJoin('users as bu', 'bu.id', 'a.by_user_id')
    .leftJoin('people as bp', 'bp.id', 'bu.person_id')
    .selectAll('a')
    .select(['l.position', 'u.name as unit_name', sql<string | null>`coalesce(bp.name, bu.display_name, bu.username)`.as('by_name')])
    .where('a.instruction_id', 'in', instructionIds)
    .orderBy('a.id')
    .execute();
}

export async function insertInstruction(tx: Conn, row: { incident_id: number; level_id: number; text: string; by_user_id: number | null; at: number }): Promise<number> {
  const r = await tx.insertInto('incident_instructions').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function findInstruction(db: Conn, incidentId: number, id: number) {
  return db.selectFrom('incident_instructions').selectAll().where('id', '=', id).where('incident_id', '=', incidentId).executeTakeFirst();
}

/** Acknowledge an instruction for a level; false when that level already had. */
export async function insertInstructionAck(tx: Conn, row: { instruction_id: number; level_id: number; by_user_id: number | null; at: number; note: string | null }): Promise<boolean> {
  const r = await tx
    .insertInto('incident_instruction_acks')
    .values(row)
    .onConflict((oc) => oc.columns(['instruction_id', 'level_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Unit ids with their paths and names, from a unit's path (root first). */
export async function unitsByIds(db: Conn, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('units').select(['id', 'name', 'path', 'parent_id']).where('id', 'in', ids).execute();
}

export async function findUnit(db: Conn, id: number) {
  return db.selectFrom('units').select(['id', 'name', 'path', 'parent_id', 'archived_at']).where('id', '=', id).executeTakeFirst();
}

/** People by id with their unit's path (the filer's scope check). */
export async function peopleWithPaths(db: Conn, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('people as p').innerJoin('units as u', 'u.id', 'p.unit_id').select(['p.id', 'p.name', 'u.path']).where('p.id', 'in', ids).execute();
}

/** Active users holding one of `roles` by a grant on exactly one of these units, with a name to show. */
export async function holdersOn(db: Conn, unitIds: readonly number[], roles: readonly string[]) {
  if (unitIds.length === 0 || roles.length === 0) return [];
  return db
    .selectFrom('grants as g')
    .innerJoin('users as us', 'us.id', 'g.user_id')
    .leftJoin('people as p', 'p.id', 'us.person_id')
    .select(['g.unit_id', 'g.role', 'us.id as user_id', sql<string>`coalesce(p.name, us.display_name, us.username)`.as('name')])
    .where('g.unit_id', 'in', unitIds)
    .where('g.role', 'in', roles)
    .where('us.disabled_at', 'is', null)
    .orderBy('us.id')
    .execute();
}

/** Accounts linked to these people (someone on shift is a person; notifications go to accounts). */
export async function usersOfPeople(db: Conn, personIds: readonly number[]) {
  if (personIds.length === 0) return [];
  return db.selectFrom('users').select(['id', 'person_id']).where('person_id', 'in', personIds).where('disabled_at', 'is', null).execute();
}

export async function admins(db: Conn) {
  return db
    .selectFrom('grants as g')
    .innerJoin('users as us', 'us.id', 'g.user_id')
    .innerJoin('units as u', 'u.id', 'g.unit_id')
    .select(['us.id as user_id'])
    .where('g.role', '=', 'admin')
    .where('u.parent_id', 'is', null)
    .where('us.disabled_at', 'is', null)
    .execute();
}

export interface ListFilter {
  /** Incidents whose unit lies in one of these subtrees (incidents.read). */
  readPaths: readonly string[];
  /** Or that reached a level at one of these units (the actor acts for them). */
  actingUnitIds: readonly number[];
  /** Or that this user filed. */
  filedBy: number;
  /** Narrowed to this subtree (the unit picker). */
  withinPath: string | null;
  statuses: readonly string[] | null;
  severity?: string;
  kind?: string;
}

function listQuery(db: Conn, f: ListFilter) {
  let q = db.selectFrom('incidents as i').innerJoin('units as u', 'u.id', 'i.unit_id');
  q = q.where((eb) => {
    const ors = [pathInSubtrees(eb, 'u.path', f.readPaths), eb('i.filed_by_user_id', '=', f.filedBy)];
    if (f.actingUnitIds.length) {
      ors.push(
        eb.exists(
          eb
            .selectFrom('incident_levels as rl')
            .select('rl.id')
            .whereRef('rl.incident_id', '=', 'i.id')
            .where('rl.state', '!=', 'pending')
            .where('rl.unit_id', 'in', f.actingUnitIds),
        ),
      );
    }
    return eb.or(ors);
  });
  if (f.withinPath) {
    const within = f.withinPath;
    // Filed in the subtree, or reached a level there: a unit's board shows what climbed to it.
    q = q.where((eb) =>
      eb.or([
        pathInSubtrees(eb, 'u.path', [within]),
        eb.exists(
          eb
            .selectFrom('incident_levels as wl')
            .innerJoin('units as wu', 'wu.id', 'wl.unit_id')
            .select('wl.id')
            .whereRef('wl.incident_id', '=', 'i.id')
            .where('wl.state', '!=', 'pending')
            .where((e2) => pathInSubtrees(e2, 'wu.path', [within])),
        ),
      ]),
    );
  }
  if (f.statuses) q = q.where('i.status', 'in', f.statuses);
  if (f.severity) q = q.where('i.severity', '=', f.severity);
  if (f.kind) q = q.where('i.kind', '=', f.kind);
  return q;
}

export async function listIncidents(db: Conn, f: ListFilter, offset: number, limit: number) {
  const rows = await listQuery(db, f)
    .leftJoin('users as fu', 'fu.id', 'i.filed_by_user_id')
    .leftJoin('people as fp', 'fp.id', 'fu.person_id')
    .selectAll('i')
    .select(['u.name as unit_name', 'u.path as unit_path', sql<string | null>`coalesce(fp.name, fu.display_name, fu.username)`.as('filed_by_name')])
    // Open first, the most severe first, then the newest.
    .orderBy(sql`case i.status when 'open' then 0 when 'resolved' then 1 else 2 end`)
    .orderBy(sql`case i.severity when 'critical' then 0 when 'major' then 1 when 'serious' then 2 else 3 end`)
    .orderBy('i.filed_at', 'desc')
    .orderBy('i.id', 'desc')
    .offset(offset)
    .limit(limit)
    .execute();
  const total = await listQuery(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return { rows, total: Number(total?.n ?? 0) };
}
export type IncidentListRow = Awaited<ReturnType<typeof listIncidents>>['rows'][number];

export async function incidentWithNames(db: Conn, id: number) {
  return db
    .selectFrom('incidents as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .leftJoin('users as fu', 'fu.id', 'i.filed_by_user_id')
    .leftJoin('people as fp', 'fp.id', 'fu.person_id')
    .leftJoin('users as ru', 'ru.id', 'i.resolved_by_user_id')
    .leftJoin('people as rp', 'rp.id', 'ru.person_id')
    .leftJoin('users as cu', 'cu.id', 'i.closed_by_user_id')
    .leftJoin('people as cp', 'cp.id', 'cu.person_id')
    .selectAll('i')
    .select([
      'u.name as unit_name',
      'u.path as unit_path',
      sql<string | null>`coalesce(fp.name, fu.display_name, fu.username)`.as('filed_by_name'),
      sql<string | null>`coalesce(rp.name, ru.display_name, ru.username)`.as('resolved_by_name'),
      sql<string | null>`coalesce(cp.name, cu.display_name, cu.username)`.as('closed_by_name'),
    ])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

/** Distinct units of the reached levels of incidents in these statuses: where being on shift may show an incident. */
export async function reachedLevelUnits(db: Conn, statuses: readonly string[] | null): Promise<number[]> {
  let q = db.selectFrom('incident_levels as l').innerJoin('incidents as i', 'i.id', 'l.incident_id').select('l.unit_id').distinct().where('l.state', '!=', 'pending');
  if (statuses) q = q.where('i.status', 'in', statuses);
  return (await q.execute()).map((r) => r.unit_id);
}
