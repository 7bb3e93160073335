import type { IncidentSeverity } from '../../../common/measures.catalogue.js';
import type { DeliveryRoute, IncidentEventKind, IncidentReach } from '../../../common/schemas/incidents.js';
import type { Conn } from '../../db/database.js';
import type { IncidentRow } from '../../db/schema.js';
import { ancestorIds, chainIds, nearestUp } from '../../db/tree.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { systemCtx, type Ctx } from '../../http/actor.js';
import { enqueueJob } from '../../jobs/jobs.js';
import { recordAudit } from '../audit/audit.service.js';
import { localDateTime } from '../../../common/day.js';
import { onDutyAt, type OnDutyPerson } from '../duty/duty.onduty.js';
import { effectiveMeasureIn } from '../measures/measures.effective.js';
import { notifyPeople, notifyUsers, type NotificationInput } from '../notify/notify.service.js';
import { publishIncidentChange, type IncidentBusEvent } from './incidents.live.js';
import { levelReached } from './incidents.hooks.js';
import { HANDLE_ROLES } from './incidents.policy.js';
import * as store from './incidents.store.js';

/**
 * Escalation level by level (逐级上报). A level's clock starts when the incident reaches it: in the
 * same transaction its limit is read (the measure incident.ack_minutes.<severity> in force at its
 * unit), its alert and skip moments become incident_escalations rows and job rows, and the people
 * on shift there are told. The job handler re-reads the incident under a lock and acts only when
 * the escalation is still due and the level still waiting; the conditional update of the escalation
 * row (due → fired) succeeds for exactly one caller, and the unique (incident, level, kind) keeps a
 * second row from ever existing, so each moment fires once whatever runs twice.
 *
 * - alert (deadline = arrival + limit): the leader on duty is alerted (nobody: the unit head);
 * - skip (deadline + limit, below the top): the level is skipped, recorded against it, and the
 *   incident goes on to the next level at once;
 * - realert (deadline + limit, at the top): the top is alerted again (leader and officers on duty,
 *   unit head, incidents.handle holders of its unit); it stays there, shown overdue on every board.
 */
export const ESCALATE_JOB = 'incidents.escalate';
export const ESCALATION_KINDS = ['alert', 'skip', 'realert'] as const;
const MINUTE = 60_000;

/** The level units of an incident filed at `unitPath`: the unit first, then its ancestors up to the reach. */
export function levelChain(unitPath: string, unitId: number, reach: IncidentReach): number[] {
  const up = [...ancestorIds(unitPath)].reverse(); // nearest first
  const count = reach === 'root' ? up.length : Math.min(reach, up.length);
  return [unitId, ...up.slice(0, count)];
}

export const measureKeyOf = (severity: string) => `incident.ack_minutes.${severity as IncidentSeverity}`;

/** What one change did, for the live bus after the commit. */
export function busEvent(inc: IncidentRow, unitPath: string, levelUnitIds: number[], event: IncidentEventKind, status: string, at: number): IncidentBusEvent {
  return { incidentId: inc.id, event, status: status as IncidentBusEvent['status'], at, unitPath, levelUnitIds, filedByUserId: inc.filed_by_user_id };
}

interface Told {
  via: DeliveryRoute;
  recipients: string[];
}

async function tellPeople(tx: Conn, deps: Deps, people: readonly OnDutyPerson[], n: NotificationInput): Promise<void> {
  if (people.length) await notifyPeople(tx, deps, [...new Set(people.map((p) => p.personId))], n);
}

/** Holders of `roles` on the unit itself, else on its nearest ancestor that has any (the unit head fallback). */
async function nearestHolders(tx: Conn, unitPath: string, roles: readonly string[]) {
  const holders = await store.holdersOn(tx, chainIds(unitPath), roles);
  const nearest = nearestUp(unitPath, (id) => holders.some((h) => h.unit_id === id));
  return nearest === undefined ? [] : holders.filter((h) => h.unit_id === nearest);
}

const uniqueNames = (xs: readonly { name: string }[]) => [...new Set(xs.map((x) => x.name))];

/** Tell a level it has the incident: the duty officers on shift, else the holders of incidents.handle on the unit. */
async function deliver(tx: Conn, deps: Deps, unitId: number, n: NotificationInput, now: number): Promise<Told> {
  const duty = (await onDutyAt(tx, [unitId], now)).get(unitId);
  const officers = duty?.officers ?? [];
  if (officers.length) {
    await tellPeople(tx, deps, officers, n);
    return { via: 'on_duty', recipients: uniqueNames(officers) };
  }
  const holders = await store.holdersOn(tx, [unitId], HANDLE_ROLES);
  await notifyUsers(tx, deps, [...new Set(holders.map((h) => h.user_id))], n);
  return { via: 'handle_holders', recipients: uniqueNames(holders) };
}

/** Alert a level that has not acknowledged: its leader on duty, else its unit head. */
async function alertLeader(tx: Conn, deps: Deps, unitId: number, unitPath: string, n: NotificationInput, now: number, alsoOfficers: boolean): Promise<Told> {
  const duty = (await onDutyAt(tx, [unitId], now)).get(unitId);
  const leaders = duty?.leaders ?? [];
  const extra = alsoOfficers ? (duty?.officers ?? []) : [];
  if (leaders.length) {
    await tellPeople(tx, deps, [...leaders, ...extra], n);
    return { via: 'leader_on_duty', recipients: uniqueNames([...leaders, ...extra]) };
  }
  const heads = await nearestHolders(tx, unitPath, ['unit_head']);
  await tellPeople(tx, deps, extra, n);
  await notifyUsers(tx, deps, [...new Set(heads.map((h) => h.user_id))], n);
  return { via: 'unit_head', recipients: uniqueNames([...heads, ...extra]) };
}

function message(kind: string, inc: IncidentRow, incidentUnitName: string, levelUnitName: string, extra: Record<string, string | number>, unitId: number): NotificationInput {
  return {
    kind,
    params: { unit: incidentUnitName, level: levelUnitName, title: inc.title, severity: inc.severity, incidentKind: inc.kind, ...extra, ...(Number(inc.drill) === 1 ? { drill: 1 } : {}) },
    unitId,
    entity: 'incident',
    entityId: String(inc.id),
    link: `/incidents/${inc.id}`,
  };
}

/**
 * The incident reaches the level at `position`: its clock starts now. Writes the level's state, its
 * escalation and job rows, the delivery and its timeline event. `note`: what the level below said
 * when it passed it on (or why it was passed on: a skip), shown to this level.
 */
export async function arriveAt(tx: Conn, deps: Deps, inc: IncidentRow, position: number, now: number, note: string | null): Promise<void> {
  const levels = await store.levelsOf(tx, [inc.id]);
  const level = levels.find((l) => l.position === position);
  if (!level) throw new Error(`incident ${inc.id} has no level ${position}`);
  const incidentUnit = levels[0]!;
  const limit = (await effectiveMeasureIn(tx, deps, measureKeyOf(inc.severity), level.unit_id)).stored;
  const deadline = now + limit * MINUTE;
  const isTop = position === inc.top_position;
  await store.updateLevel(tx, level.id, { state: 'waiting', limit_minutes: limit, arrived_at: now, deadline });
  await store.updateIncident(tx, inc.id, { current_position: position, updated_at: now });
  const rows = await store.insertEscalations(tx, [
    { incident_id: inc.id, level_id: level.id, kind: 'alert', due_at: deadline, status: 'due', fired_at: null, watchdog_reported_at: null },
    { incident_id: inc.id, level_id: level.id, kind: isTop ? 'realert' : 'skip', due_at: deadline + limit * MINUTE, status: 'due', fired_at: null, watchdog_reported_at: null },
  ]);
  for (const r of rows) await enqueueJob(tx, now, { kind: ESCALATE_JOB, key: `${ESCALATE_JOB}:${r.id}`, payload: { escalationId: r.id }, runAt: Number(r.due_at), maxAttempts: 20 });
  const told = await deliver(
    tx,
    deps,
    level.unit_id,
    message('incident.delivered', inc, incidentUnit.unit_name, level.unit_name, { deadline: localDateTime(deadline, deps.config.timeZone), note: note ?? '' }, level.unit_id),
    now,
  );
  await store.insertEvent(tx, { incident_id: inc.id, level_id: level.id, kind: 'delivered', actor_user_id: null, at: now, note, detail: JSON.stringify(told) });
  // Emergency plans (issue 8) start here: at filing the nearest plan up, at a level its unit's own plan.
  await levelReached(tx, deps, inc, position, level.unit_id, now);
}

/**
 * Pass the incident from the level at `from` to the next one up (after an acknowledgement or a skip),
 * or stop when `from` is the top. Returns whether it went up.
 */
export async function passUp(tx: Conn, deps: Deps, ctx: Ctx, inc: IncidentRow, from: { id: number; position: number }, now: number, note: string | null): Promise<boolean> {
  if (from.position >= inc.top_position) return false;
  await store.insertEvent(tx, { incident_id: inc.id, level_id: from.id, kind: 'escalated', actor_user_id: ctx.actor?.userId ?? null, at: now, note, detail: JSON.stringify({ toPosition: from.position + 1 }) });
  await arriveAt(tx, deps, { ...inc, current_position: from.position + 1 }, from.position + 1, now, note);
  return true;
}

function escalationIdOf(payload: unknown): number {
  const id = Number((payload as { escalationId?: unknown } | null)?.escalationId);
  if (!Number.isInteger(id) || id <= 0) throw new Error(`${ESCALATE_JOB}: no escalation id in the payload`);
  return id;
}

/**
 * Fire one escalation of a waiting level (already marked fired by the caller). Returns the timeline
 * event it wrote.
 */
async function fire(tx: Conn, deps: Deps, inc: IncidentRow, levels: store.LevelRow[], level: store.LevelRow, kind: string, now: number): Promise<IncidentEventKind> {
  const incidentUnit = levels[0]!;
  const params = { deadline: localDateTime(Number(level.deadline), deps.config.timeZone) };
  if (kind === 'alert' || kind === 'realert') {
    const realert = kind === 'realert';
    const told = await alertLeader(tx, deps, level.unit_id, level.unit_path, message(realert ? 'incident.realert' : 'incident.alert', inc, incidentUnit.unit_name, level.unit_name, params, level.unit_id), now, realert);
    if (realert) {
      // The top stays the top: its incidents.handle holders are told too, and every board shows it overdue.
      const holders = await store.holdersOn(tx, [level.unit_id], HANDLE_ROLES);
      await notifyUsers(tx, deps, [...new Set(holders.map((h) => h.user_id))], message('incident.realert', inc, incidentUnit.unit_name, level.unit_name, params, level.unit_id));
      told.recipients = [...new Set([...told.recipients, ...uniqueNames(holders)])];
    }
    await store.updateLevel(tx, level.id, realert ? { realerted_at: now } : { alerted_at: now });
    const event = realert ? 'realerted' : 'alerted';
    await store.insertEvent(tx, { incident_id: inc.id, level_id: level.id, kind: event, actor_user_id: null, at: now, note: null, detail: JSON.stringify(told) });
    return event;
  }
  await store.updateLevel(tx, level.id, { state: 'skipped', skipped_at: now }, 'waiting');
  await store.cancelEscalations(tx, level.id);
  await store.insertEvent(tx, { incident_id: inc.id, level_id: level.id, kind: 'skipped', actor_user_id: null, at: now, note: null, detail: '{}' });
  await passUp(tx, deps, systemCtx, inc, level, now, null);
  return 'skipped';
}

/**
 * `incidents.escalate` {escalationId}: alert, skip or re-alert a level that is still waiting; anything
 * else is a no-op. The level's earlier moments still due fire first, in order (after a downtime both
 * the alert and the skip are due, and their jobs may be claimed in either order: the alert must not
 * be lost to the skip).
 */
export async function handleEscalation(deps: Deps, payload: unknown): Promise<void> {
  const id = escalationIdOf(payload);
  const changed = await transact(deps, systemCtx, async (tx) => {
    const esc = await store.findEscalation(tx, id);
    if (!esc || esc.status !== 'due') return null;
    const inc = await store.lockIncident(tx, deps.dialect, esc.incident_id);
    if (!inc) return null;
    const levels = await store.levelsOf(tx, [inc.id]);
    const level = levels.find((l) => l.id === esc.level_id);
    const now = deps.clock.now();
    if (!level || level.state !== 'waiting' || inc.status !== 'open') {
      // Acknowledged or passed on meanwhile (its escalations are cancelled with it; this is a stray).
      await store.cancelEscalations(tx, esc.level_id);
      return null;
    }
    const due = (await store.dueEscalationsOfLevel(tx, level.id)).filter((e) => Number(e.due_at) <= Number(esc.due_at));
    const fired: { kind: string; dueAt: number; event: IncidentEventKind }[] = [];
    for (const e of due) {
      if (!(await store.fireEscalation(tx, e.id, now))) continue;
      fired.push({ kind: e.kind, dueAt: Number(e.due_at), event: await fire(tx, deps, inc, levels, level, e.kind, now) });
    }
    if (fired.length === 0) return null;
    for (const f of fired) {
      await recordAudit(tx, deps, systemCtx, {
        action: `incident.${f.event}`,
        entity: 'incident',
        entityId: inc.id,
        unitId: level.unit_id,
        after: { level: level.position, unitId: level.unit_id, dueAt: f.dueAt, firedAt: now },
      });
    }
    const after = await store.levelsOf(tx, [inc.id]);
    return busEvent(inc, levels[0]!.unit_path, after.filter((l) => l.state !== 'pending').map((l) => l.unit_id), fired.at(-1)!.event, inc.status, now);
  });
  await publishIncidentChange(deps, changed);
}
