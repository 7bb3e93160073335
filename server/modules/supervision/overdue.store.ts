import { addDays, dayOf, startOfDay } from '../../../common/day.js';
import type { DutyRole } from '../../../common/schemas/duty.js';
import type { Responsible } from '../../../common/schemas/supervision.js';
import type { Conn } from '../../db/database.js';
import { pathInSubtrees } from '../../db/tree.js';
import { coverageGaps } from '../duty/duty.gaps.js';
import { blindSpotsIn } from '../places/places.blindspots.js';

/**
 * Per-kind readers of what is overdue ("misses") in one subtree, each with the named people who
 * answer for it. Exported for the overdue view and the scorecard's drill-down (issue 7): each takes
 * (db, rootPath, now[, …]) and returns plain rows; none checks permissions (callers do). Drills
 * (incidents.drill = 1, directives.drill = 1) are left out. One indexed pass per kind, never a
 * query per unit.
 *
 *   overdueTasks(db, rootPath, now[, taskId])                        tasks past their deadline, not done/verified
 *   skippedLevels(db, rootPath, now, since?[, levelId])                incident levels skipped at/after `since` (default now − 30 days)
 *   dutyGaps(db, rootPath, now, from)                        stretches of [from, now) without a leader / officer at roster units
 *   uninspectedPlaces(db, rootPath, now, timeZone)           active places whose inspection is overdue (or never done, and due)
 *   unitHeads(db, unitIds)                                   the unit_head grant holders of each unit (the responsible for levels and gaps)
 *   responsibleOfPeople(db, personIds)                       a person with their (first active) user id
 */

const DAY = 86_400_000;
const CHUNK = 500;

function chunks<T>(a: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < a.length; i += CHUNK) out.push(a.slice(i, i + CHUNK));
  return out;
}

/** The first active user of each person (a person's login), for "user/person ids". */
export async function usersOfPeople(db: Conn, personIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const c of chunks([...new Set(personIds)])) {
    const rows = await db
      .selectFrom('users')
      .select(['person_id', (eb) => eb.fn.min<number>('id').as('user_id')])
      .where('person_id', 'in', c)
      .where('disabled_at', 'is', null)
      .groupBy('person_id')
      .execute();
    for (const r of rows) if (r.person_id !== null) out.set(r.person_id, Number(r.user_id));
  }
  return out;
}

/** Holders of a role's grant at each of these units themselves (not inherited), active users only, by name. */
export async function grantHolders(db: Conn, unitIds: readonly number[], role: 'unit_head' | 'liaison'): Promise<Map<number, Responsible[]>> {
  const out = new Map<number, Responsible[]>();
  for (const c of chunks([...new Set(unitIds)])) {
    const rows = await db
      .selectFrom('grants as g')
      .innerJoin('users as us', 'us.id', 'g.user_id')
      .leftJoin('people as p', 'p.id', 'us.person_id')
      .select(['g.unit_id', 'us.id as user_id', 'us.username', 'us.display_name', 'p.id as person_id', 'p.name as person_name'])
      .where('g.role', '=', role)
      .where('g.unit_id', 'in', c)
      .where('us.disabled_at', 'is', null)
      .orderBy('g.unit_id')
      .orderBy('us.id')
      .execute();
    for (const r of rows) {
      const list = out.get(r.unit_id) ?? [];
      if (!list.some((x) => x.userId === r.user_id)) list.push({ personId: r.person_id, userId: r.user_id, name: r.person_name ?? r.display_name ?? r.username });
      out.set(r.unit_id, list);
    }
  }
  return out;
}

/** The unit heads (unit_head grants at the unit itself) of each unit. */
export function unitHeads(db: Conn, unitIds: readonly number[]): Promise<Map<number, Responsible[]>> {
  return grantHolders(db, unitIds, 'unit_head');
}

// ── tasks ────────────────────────────────────────────────────────────────────────────────────────

export interface OverdueTaskRow {
  taskId: number;
  unitId: number;
  unitName: string;
  title: string;
  status: string;
  deadline: number;
  responsible: Responsible;
}

/** Tasks of the subtree whose deadline passed before `now` and that are not done or verified (drills' left out), longest overdue first. */
export async function overdueTasks(db: Conn, rootPath: string, now: number, onlyTaskId?: number): Promise<OverdueTaskRow[]> {
  let q = db
    .selectFrom('tasks as t')
    .innerJoin('directives as d', 'd.id', 't.directive_id')
    .innerJoin('units as u', 'u.id', 't.unit_id')
    .innerJoin('people as p', 'p.id', 't.responsible_person_id')
    .select(['t.id', 't.unit_id', 'u.name as unit_name', 't.title', 't.status', 't.deadline', 't.responsible_person_id', 'p.name as person_name'])
    .where('t.deadline', '<', now)
    .where('t.status', 'in', ['assigned', 'acknowledged'])
    .where('d.drill', '=', 0)
    .where((eb) => pathInSubtrees(eb, 'u.path', [rootPath]))
    .orderBy('t.deadline')
    .orderBy('t.id');
  if (onlyTaskId !== undefined) q = q.where('t.id', '=', onlyTaskId);
  const rows = await q.execute();
  const users = await usersOfPeople(
    db,
    rows.map((r) => r.responsible_person_id),
  );
  return rows.map((r) => ({
    taskId: r.id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    title: r.title,
    status: r.status,
    deadline: Number(r.deadline),
    responsible: { personId: r.responsible_person_id, userId: users.get(r.responsible_person_id) ?? null, name: r.person_name },
  }));
}

// ── skipped escalation levels ────────────────────────────────────────────────────────────────────

export interface SkippedLevelRow {
  levelId: number;
  incidentId: number;
  position: number;
  unitId: number;
  unitName: string;
  /** The level's deadline (when it should have been acknowledged), else when it was skipped. */
  deadline: number;
  skippedAt: number;
  responsible: Responsible[];
}

/** Levels of non-drill incidents, at units of the subtree, skipped at or after `since` (default 30 days before `now`), oldest first. */
export async function skippedLevels(db: Conn, rootPath: string, now: number, since = now - 30 * DAY, onlyLevelId?: number): Promise<SkippedLevelRow[]> {
  let q = db
    .selectFrom('incident_levels as l')
    .innerJoin('incidents as i', 'i.id', 'l.incident_id')
    .innerJoin('units as u', 'u.id', 'l.unit_id')
    .select(['l.id', 'l.incident_id', 'l.position', 'l.unit_id', 'u.name as unit_name', 'l.deadline', 'l.skipped_at'])
    .where('l.state', '=', 'skipped')
    .where('i.drill', '=', 0)
    .where('l.skipped_at', '>=', since)
    .where('l.skipped_at', '<=', now)
    .where((eb) => pathInSubtrees(eb, 'u.path', [rootPath]))
    .orderBy('l.skipped_at')
    .orderBy('l.id');
  if (onlyLevelId !== undefined) q = q.where('l.id', '=', onlyLevelId);
  const rows = await q.execute();
  const heads = await unitHeads(
    db,
    rows.map((r) => r.unit_id),
  );
  return rows.map((r) => {
    const skippedAt = Number(r.skipped_at);
    return {
      levelId: r.id,
      incidentId: r.incident_id,
      position: r.position,
      unitId: r.unit_id,
      unitName: r.unit_name,
      deadline: r.deadline === null ? skippedAt : Number(r.deadline),
      skippedAt,
      responsible: heads.get(r.unit_id) ?? [],
    };
  });
}

// ── duty gaps ────────────────────────────────────────────────────────────────────────────────────

export interface DutyGapRow {
  unitId: number;
  unitName: string;
  role: DutyRole;
  startsAt: number;
  /** The end of the stretch within [from, now]: `now` when it is still uncovered. */
  endsAt: number;
  responsible: Responsible[];
}

/** The units of a subtree that keep duty (have a roster), active ones. */
export async function rosterUnitsIn(db: Conn, rootPath: string): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom('duty_rosters as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select(['u.id', 'u.name'])
    .where('u.archived_at', 'is', null)
    .where((eb) => pathInSubtrees(eb, 'u.path', [rootPath]))
    .orderBy('u.path')
    .execute();
}

/** Stretches of [from, now) without a leader or without an officer on duty, at the subtree's roster units (duty.gaps coverageGaps). */
export async function dutyGaps(db: Conn, rootPath: string, now: number, from: number): Promise<DutyGapRow[]> {
  if (from >= now) return [];
  const units = await rosterUnitsIn(db, rootPath);
  if (units.length === 0) return [];
  const gaps = await coverageGaps(db, units, from, (now - from) / DAY);
  const heads = await unitHeads(
    db,
    gaps.map((g) => g.unitId),
  );
  return gaps.map((g) => ({ unitId: g.unitId, unitName: g.unitName, role: g.role, startsAt: g.startsAt, endsAt: Math.min(g.endsAt, now), responsible: heads.get(g.unitId) ?? [] }));
}

// ── uninspected places ───────────────────────────────────────────────────────────────────────────

export interface UninspectedPlaceRow {
  placeId: number;
  placeName: string;
  unitId: number;
  unitName: string;
  neverInspected: boolean;
  /** The start of the day after the due day: from then on the inspection is overdue. */
  overdueSince: number;
  /** null: no responsible person named (also an empty post). */
  responsible: Responsible | null;
}

/** Active places of the subtree whose inspection is overdue (places' blind spots, at most places' MAX_BLIND_SPOTS of them), most overdue first. */
export async function uninspectedPlaces(db: Conn, rootPath: string, now: number, timeZone: string): Promise<UninspectedPlaceRow[]> {
  const spots = (await blindSpotsIn(db, rootPath, now, timeZone)).items.filter((s) => s.reasons.includes('overdue') || s.reasons.includes('never_inspected'));
  const users = await usersOfPeople(
    db,
    spots.flatMap((s) => (s.responsiblePersonId === null ? [] : [s.responsiblePersonId])),
  );
  return spots.map((s) => ({
    placeId: s.placeId,
    placeName: s.placeName,
    unitId: s.unitId,
    unitName: s.unitName,
    neverInspected: s.reasons.includes('never_inspected'),
    overdueSince: startOfDay(addDays(dayOf(s.nextDueAt, timeZone), 1), timeZone),
    responsible: s.responsiblePersonId === null ? null : { personId: s.responsiblePersonId, userId: users.get(s.responsiblePersonId) ?? null, name: s.responsibleName ?? '' },
  }));
}
