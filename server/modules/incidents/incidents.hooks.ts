import type { IncidentEventKind, Involvement } from '../../../common/schemas/incidents.js';
import type { Conn } from '../../db/database.js';
import type { IncidentRow } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import * as store from './incidents.store.js';

/**
 * What the incidents module offers a module that acts on incidents (emergency plans, issue 8):
 * a hook heard inside the transaction in which an incident reaches a level (its filing is level 0),
 * the timeline events it writes, and the incident as it reads it. The incidents module does not
 * import the plans module: plans register their hook when their routes are registered.
 */

/** An incident as a plan reads it. */
export interface IncidentForPlans {
  id: number;
  unitId: number;
  unitPath: string;
  unitName: string;
  kind: string;
  severity: string;
  title: string;
  status: string;
  occurredAt: number;
  drill: boolean;
  filedByUserId: number | null;
}

/** Heard in the transaction of the incident reaching the level at `position` of unit `levelUnitId` (0: its own unit, at filing). */
export type LevelReachedHook = (tx: Conn, deps: Deps, incident: IncidentForPlans, position: number, levelUnitId: number, now: number) => Promise<void>;

const hooks: LevelReachedHook[] = [];

/** Registered once, when the listening module registers its routes. */
export function onIncidentLevelReached(hook: LevelReachedHook): void {
  if (!hooks.includes(hook)) hooks.push(hook);
}

/** Called by arriveAt inside its transaction. */
export async function levelReached(tx: Conn, deps: Deps, inc: IncidentRow, position: number, levelUnitId: number, now: number): Promise<void> {
  if (hooks.length === 0) return;
  const i = await incidentForPlans(tx, inc.id);
  if (!i) return;
  for (const h of hooks) await h(tx, deps, i, position, levelUnitId, now);
}

/** One incident as a plan reads it (no scope check: the caller has done it). */
export async function incidentForPlans(db: Conn, id: number): Promise<IncidentForPlans | undefined> {
  const r = await db
    .selectFrom('incidents as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .select(['i.id', 'i.unit_id', 'u.path', 'u.name', 'i.kind', 'i.severity', 'i.title', 'i.status', 'i.occurred_at', 'i.drill', 'i.filed_by_user_id'])
    .where('i.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    unitId: r.unit_id,
    unitPath: r.path,
    unitName: r.name,
    kind: r.kind,
    severity: r.severity,
    title: r.title,
    status: r.status,
    occurredAt: Number(r.occurred_at),
    drill: Number(r.drill) === 1,
    filedByUserId: r.filed_by_user_id,
  };
}

/** The incident's people and how each is involved. */
export async function incidentPeople(db: Conn, id: number): Promise<{ personId: number; involvement: Involvement; name: string }[]> {
  return (await store.peopleOf(db, id)).map((p) => ({ personId: p.person_id, involvement: p.involvement as Involvement, name: p.name }));
}

/** A timeline event written by another module (plan_started, plan_step_created, …). */
export async function recordIncidentEvent(
  tx: Conn,
  e: { incidentId: number; kind: IncidentEventKind; actorUserId: number | null; at: number; note: string | null; detail: Record<string, unknown> },
): Promise<void> {
  await store.insertEvent(tx, { incident_id: e.incidentId, level_id: null, kind: e.kind, actor_user_id: e.actorUserId, at: e.at, note: e.note, detail: JSON.stringify(e.detail) });
}
