import { scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import type {
  IncidentAcknowledge,
  IncidentAction,
  IncidentClose,
  IncidentDetail,
  IncidentFile,
  IncidentInstruct,
  IncidentListQuery,
  IncidentPage,
  IncidentResolve,
  IncidentTimeline,
  InstructionAcknowledge,
} from '../../../common/schemas/incidents.js';
import type { IncidentEventKind } from '../../../common/schemas/incidents.js';
import type { Conn, Tx } from '../../db/database.js';
import type { IncidentRow } from '../../db/schema.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyPeople, notifyUsers } from '../notify/notify.service.js';
import { requireActor } from '../org/org.policy.js';
import { onDutyAt } from '../duty/duty.onduty.js';
import { arriveAt, busEvent, levelChain, passUp } from './incidents.escalation.js';
import { publishIncidentChange, type IncidentBusEvent } from './incidents.live.js';
import { actingUnits, canFileAt, canSeeIncident, HANDLE_ROLES, incidentAbilities, personInFilerScope, reviewRequired } from './incidents.policy.js';
import { presentDetail, presentEvents, presentIncident, type InstructionView } from './incidents.present.js';
import { reachOf } from './incidents.settings.js';
import * as store from './incidents.store.js';

/**
 * Incidents (紧急事项): filing, the board, one incident with its timeline, and every step of its
 * life. Each step is one transaction holding the change, its timeline event, its audit row, its
 * notifications and (when a level's clock starts) its escalation and job rows; the incident row is
 * locked first, so two steps on one incident go one after the other and the loser finds it moved
 * on (409). The live event goes out after the commit.
 */

const FILED_STATUSES: Record<string, readonly string[] | null> = {
  active: ['open', 'resolved'],
  open: ['open'],
  resolved: ['resolved'],
  closed: ['closed'],
  all: null,
};

/** Everything one incident's answer needs, read through one connection. */
async function loadIncident(db: Conn, actor: Actor, id: number, now: number) {
  const inc = await store.incidentWithNames(db, id);
  if (!inc) return null;
  const levels = await store.levelsOf(db, [id]);
  const acting = await actingUnits(
    db,
    actor,
    levels.map((l) => l.unit_id),
    now,
  );
  if (!canSeeIncident(actor, inc.unit_path, inc.filed_by_user_id, levels, acting)) return null;
  const instructions = await store.instructionsOf(db, [id]);
  const acks = await store.instructionAcksOf(
    db,
    instructions.map((n) => n.id),
  );
  const views: InstructionView[] = instructions.map((row) => {
    const mine = acks.filter((a) => a.instruction_id === row.id);
    const done = new Set(mine.map((a) => a.level_id));
    const pendingLevelIds = levels.filter((l) => l.position < row.from_position && !done.has(l.id)).map((l) => l.id);
    const canAcknowledge = inc.status !== 'closed' && levels.some((l) => pendingLevelIds.includes(l.id) && acting.has(l.unit_id));
    return { row, acks: mine, pendingLevelIds, canAcknowledge };
  });
  const abilities = incidentAbilities(
    inc,
    levels,
    acting,
    views.map((v) => v.pendingLevelIds),
  );
  return { inc, levels, acting, views, abilities };
}

async function detailOf(db: Conn, actor: Actor, id: number, now: number): Promise<IncidentDetail> {
  const v = await loadIncident(db, actor, id, now);
  if (!v) throw errors.notFound('incident');
  const people = await store.peopleOf(db, id);
  const events = await store.eventsOf(db, id);
  return presentDetail(v.inc, v.levels, v.acting, v.abilities, people, v.views, events, now);
}

/** One incident with its levels, people, instructions and timeline; out of sight reads as not found. */
export async function getIncident(deps: Deps, ctx: Ctx, id: number): Promise<IncidentDetail> {
  return detailOf(deps.db, requireActor(ctx.actor), id, deps.clock.now());
}

/** The timeline alone, oldest first. */
export async function incidentTimeline(deps: Deps, ctx: Ctx, id: number): Promise<IncidentTimeline> {
  const actor = requireActor(ctx.actor);
  if (!(await loadIncident(deps.db, actor, id, deps.clock.now()))) throw errors.notFound('incident');
  return { incidentId: id, events: presentEvents(await store.eventsOf(deps.db, id)) };
}

/** The units where the actor may see incidents by acting for a level (exact incidents.handle grants, or on shift now). */
async function boardActingUnits(db: Conn, actor: Actor, statuses: readonly string[] | null, now: number): Promise<number[]> {
  const candidates = await store.reachedLevelUnits(db, statuses);
  return [...(await actingUnits(db, actor, candidates, now))];
}

/** The board: incidents in the actor's scope, open first and the most severe first, each with its current level and time left. */
export async function listIncidents(deps: Deps, ctx: Ctx, q: IncidentListQuery): Promise<IncidentPage> {
  const actor = requireActor(ctx.actor);
  const now = deps.clock.now();
  const statuses = FILED_STATUSES[q.state] ?? null;
  const readPaths = scopeFor(actor, 'incidents.read');
  const actingIds = await boardActingUnits(deps.db, actor, statuses, now);
  let withinPath: string | null = null;
  if (q.unitId !== undefined) {
    const unit = await store.findUnit(deps.db, q.unitId);
    // A unit the actor cannot see at all (no grant over it, no level acted for there) reads as not found.
    if (!unit || !(actor.grants.some((g) => unit.path.startsWith(g.path)) || actingIds.includes(unit.id))) throw errors.notFound('unit');
    withinPath = unit.path;
  }
  const { rows, total } = await store.listIncidents(
    deps.db,
    { readPaths, actingUnitIds: actingIds, filedBy: actor.userId, withinPath, statuses, ...(q.severity ? { severity: q.severity } : {}), ...(q.kind ? { kind: q.kind } : {}) },
    (q.page - 1) * q.pageSize,
    q.pageSize,
  );
  const ids = rows.map((r) => r.id);
  const levels = await store.levelsOf(deps.db, ids);
  const instructions = await store.instructionsOf(deps.db, ids);
  const acks = await store.instructionAcksOf(
    deps.db,
    instructions.map((n) => n.id),
  );
  const acting = new Set(actingIds);
  for (const g of actor.grants) if (HANDLE_ROLES.includes(g.role)) acting.add(g.unitId);
  const items = rows.map((r) => {
    const mine = levels.filter((l) => l.incident_id === r.id);
    const pending = instructions
      .filter((n) => n.incident_id === r.id)
      .map((n) => {
        const done = new Set(acks.filter((a) => a.instruction_id === n.id).map((a) => a.level_id));
        return mine.filter((l) => l.position < n.from_position && !done.has(l.id)).map((l) => l.id);
      });
    return presentIncident(r, mine, incidentAbilities(r, mine, acting, pending), now);
  });
  return { items, total, page: q.page, pageSize: q.pageSize };
}

// ── changes ──────────────────────────────────────────────────────────────────────────────────────

interface Step {
  inc: IncidentRow;
  levels: store.LevelRow[];
  acting: Set<number>;
  now: number;
}

/**
 * Run one change on one incident: lock it, check the actor may see it, run `fn`, record the audit
 * row; after the commit publish the live event and answer the incident as it now is.
 */
async function step(deps: Deps, ctx: Ctx, id: number, action: IncidentEventKind, fn: (tx: Tx, s: Step, actor: Actor) => Promise<{ audit?: unknown; unitId?: number } | void>): Promise<IncidentDetail> {
  const actor = requireActor(ctx.actor);
  let published: IncidentBusEvent | null = null;
  await transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const inc = await store.lockIncident(tx, deps.dialect, id);
    if (!inc) throw errors.notFound('incident');
    const unit = await store.findUnit(tx, inc.unit_id);
    const levels = await store.levelsOf(tx, [id]);
    const acting = await actingUnits(
      tx,
      actor,
      levels.map((l) => l.unit_id),
      now,
    );
    if (!unit || !canSeeIncident(actor, unit.path, inc.filed_by_user_id, levels, acting)) throw errors.notFound('incident');
    const r = (await fn(tx, { inc, levels, acting, now }, actor)) ?? {};
    const after = (await store.findIncident(tx, id))!;
    await recordAudit(tx, deps, ctx, { action: `incident.${action}`, entity: 'incident', entityId: id, unitId: r.unitId ?? inc.unit_id, after: r.audit ?? {} });
    const reached = (await store.levelsOf(tx, [id])).filter((l) => l.state !== 'pending').map((l) => l.unit_id);
    published = busEvent(after, unit.path, reached, action, after.status, now);
  });
  await publishIncidentChange(deps, published);
  return detailOf(deps.db, actor, id, deps.clock.now());
}

/**
 * File an incident at a unit: its levels are fixed now (by the severity's reach) and the first level's clock starts.
 * `opts.drill`: a drill (演练, issue 8: filed by the plans module), marked so everywhere and left out of real statistics.
 */
export async function fileIncident(deps: Deps, ctx: Ctx, input: IncidentFile, opts: { drill?: boolean } = {}): Promise<IncidentDetail> {
  const actor = requireActor(ctx.actor);
  const now = deps.clock.now();
  let published: IncidentBusEvent | null = null;
  const id = await transact(deps, ctx, async (tx) => {
    const unit = await store.findUnit(tx, input.unitId);
    if (!unit || !canFileAt(actor, unit.path)) throw errors.notFound('unit');
    if (unit.archived_at !== null) throw errors.validation({ unitId: 'is archived' });
    const occurredAt = input.occurredAt ?? now;
    if (occurredAt > now + 60_000) throw errors.validation({ occurredAt: 'must not be in the future' });
    const people = await store.peopleWithPaths(
      tx,
      input.people.map((p) => p.personId),
    );
    const pathOfPerson = new Map(people.map((p) => [p.id, p.path]));
    input.people.forEach((p, i) => {
      const path = pathOfPerson.get(p.personId);
      // Outside the filer's scope a person does not exist: the same answer as a wrong id.
      if (!path || !personInFilerScope(actor, path)) throw errors.validation({ [`people.${i}.personId`]: 'no such person' });
    });
    const chain = levelChain(unit.path, unit.id, await reachOf(tx, input.severity));
    const incidentId = await store.insertIncident(tx, {
      unit_id: unit.id,
      kind: input.kind,
      severity: input.severity,
      title: input.title,
      description: input.description,
      occurred_at: occurredAt,
      place: input.place ?? null,
      status: 'open',
      top_position: chain.length - 1,
      current_position: 0,
      filed_by_user_id: actor.userId,
      filed_at: now,
      resolution: null,
      resolved_at: null,
      resolved_by_user_id: null,
      review: null,
      closed_at: null,
      closed_by_user_id: null,
      updated_at: now,
      drill: opts.drill ? 1 : 0,
    });
    await store.insertLevels(
      tx,
      chain.map((unitId, position) => ({
        incident_id: incidentId,
        position,
        unit_id: unitId,
        state: 'pending',
        limit_minutes: null,
        arrived_at: null,
        deadline: null,
        acknowledged_at: null,
        acknowledged_by_user_id: null,
        ack_note: null,
        alerted_at: null,
        skipped_at: null,
        realerted_at: null,
      })),
    );
    await store.insertPeople(
      tx,
      input.people.map((p) => ({ incident_id: incidentId, person_id: p.personId, involvement: p.involvement, note: p.note ?? null })),
    );
    await store.insertEvent(tx, { incident_id: incidentId, level_id: null, kind: 'filed', actor_user_id: actor.userId, at: now, note: null, detail: '{}' });
    const inc = (await store.findIncident(tx, incidentId))!;
    await arriveAt(tx, deps, inc, 0, now, null);
    await recordAudit(tx, deps, ctx, {
      action: 'incident.filed',
      entity: 'incident',
      entityId: incidentId,
      unitId: unit.id,
      after: { kind: input.kind, severity: input.severity, title: input.title, levels: chain, people: input.people.map((p) => p.personId), ...(opts.drill ? { drill: true } : {}) },
    });
    published = busEvent(inc, unit.path, [unit.id], 'filed', 'open', now);
    return incidentId;
  });
  await publishIncidentChange(deps, published);
  return detailOf(deps.db, actor, id, deps.clock.now());
}

/** Acknowledge at the waiting level the actor acts for; below the top the incident goes up at once, with the note. */
export async function acknowledgeIncident(deps: Deps, ctx: Ctx, id: number, input: IncidentAcknowledge): Promise<IncidentDetail> {
  return step(deps, ctx, id, 'acknowledged', async (tx, { inc, levels, acting, now }, actor) => {
    const level = levels.find((l) => l.position === inc.current_position)!;
    if (inc.status !== 'open' || level.state !== 'waiting') throw errors.conflict('The incident is not waiting for an acknowledgement');
    if (!acting.has(level.unit_id)) {
      // Someone at a level below that lost a race (a colleague acknowledged, or the level was skipped) finds it moved on.
      if (levels.some((l) => l.position < level.position && acting.has(l.unit_id))) throw errors.conflict(`The incident has already been passed on to ${level.unit_name}`);
      throw errors.forbidden('Only the people on shift at the level it is waiting at, or its incidents.handle holders, may acknowledge it');
    }
    const note = input.note ?? null;
    await store.updateLevel(tx, level.id, { state: 'acknowledged', acknowledged_at: now, acknowledged_by_user_id: actor.userId, ack_note: note }, 'waiting');
    await store.cancelEscalations(tx, level.id);
    await store.insertEvent(tx, { incident_id: inc.id, level_id: level.id, kind: 'acknowledged', actor_user_id: actor.userId, at: now, note, detail: '{}' });
    const wentUp = await passUp(tx, deps, ctx, inc, level, now, note);
    return { unitId: level.unit_id, audit: { level: level.position, unitId: level.unit_id, note, passedTo: wentUp ? level.position + 1 : null } };
  });
}

/** The reached level the actor sends from: the one asked for, else the highest they act for. */
function senderLevel(s: Step, fromLevelId: number | undefined) {
  const reached = s.levels.filter((l) => l.state !== 'pending' && s.acting.has(l.unit_id) && l.position > 0);
  const level = fromLevelId === undefined ? reached.at(-1) : reached.find((l) => l.id === fromLevelId);
  if (!level) throw fromLevelId === undefined ? errors.forbidden('Only a level the incident reached, above its unit, may send instructions down') : errors.validation({ fromLevelId: 'is not a level above the unit that you act for' });
  return level;
}

/** Send an instruction down from a level the incident reached; the levels below see it and acknowledge it. */
export async function instructIncident(deps: Deps, ctx: Ctx, id: number, input: IncidentInstruct): Promise<IncidentDetail> {
  return step(deps, ctx, id, 'instructed', async (tx, s, actor) => {
    if (s.inc.status === 'closed') throw errors.conflict('The incident is closed');
    const from = senderLevel(s, input.fromLevelId);
    const instructionId = await store.insertInstruction(tx, { incident_id: s.inc.id, level_id: from.id, text: input.text, by_user_id: actor.userId, at: s.now });
    await store.insertEvent(tx, { incident_id: s.inc.id, level_id: from.id, kind: 'instructed', actor_user_id: actor.userId, at: s.now, note: input.text, detail: JSON.stringify({ instructionId }) });
    const below = s.levels.filter((l) => l.position < from.position);
    const n = {
      kind: 'incident.instruction',
      params: { level: from.unit_name, title: s.inc.title, text: input.text, ...(Number(s.inc.drill) === 1 ? { drill: 1 } : {}) },
      unitId: null,
      entity: 'incident',
      entityId: String(s.inc.id),
      link: `/incidents/${s.inc.id}`,
    };
    // Each level below: whoever is on shift there, and its incidents.handle holders.
    const duty = await onDutyAt(
      tx,
      below.map((l) => l.unit_id),
      s.now,
    );
    const onShift = [...duty.values()].flatMap((d) => [...d.leaders, ...d.officers].map((p) => p.personId));
    if (onShift.length) await notifyPeople(tx, deps, [...new Set(onShift)], n);
    const holders = await store.holdersOn(
      tx,
      below.map((l) => l.unit_id),
      HANDLE_ROLES,
    );
    await notifyUsers(tx, deps, [...new Set(holders.map((h) => h.user_id))], n);
    return { unitId: from.unit_id, audit: { instructionId, from: from.position, text: input.text } };
  });
}

/** A lower level acknowledges an instruction: the one asked for, else every level below the sender the actor acts for that has not yet. */
export async function acknowledgeInstruction(deps: Deps, ctx: Ctx, id: number, instructionId: number, input: InstructionAcknowledge): Promise<IncidentDetail> {
  return step(deps, ctx, id, 'instruction_acknowledged', async (tx, s, actor) => {
    const instruction = await store.findInstruction(tx, s.inc.id, instructionId);
    if (!instruction) throw errors.notFound('instruction');
    if (s.inc.status === 'closed') throw errors.conflict('The incident is closed');
    const from = s.levels.find((l) => l.id === instruction.level_id)!;
    const done = new Set((await store.instructionAcksOf(tx, [instructionId])).map((a) => a.level_id));
    const candidates = s.levels.filter((l) => l.position < from.position && s.acting.has(l.unit_id) && (input.levelId === undefined || l.id === input.levelId));
    if (candidates.length === 0) {
      if (input.levelId !== undefined) throw errors.validation({ levelId: 'is not a level below the sender that you act for' });
      throw errors.forbidden('Only the levels below the sender acknowledge an instruction');
    }
    const open = candidates.filter((l) => !done.has(l.id));
    if (open.length === 0) throw errors.conflict('Already acknowledged');
    for (const l of open) {
      await store.insertInstructionAck(tx, { instruction_id: instructionId, level_id: l.id, by_user_id: actor.userId, at: s.now, note: input.note ?? null });
      await store.insertEvent(tx, { incident_id: s.inc.id, level_id: l.id, kind: 'instruction_acknowledged', actor_user_id: actor.userId, at: s.now, note: input.note ?? null, detail: JSON.stringify({ instructionId }) });
    }
    return { unitId: open[0]!.unit_id, audit: { instructionId, levels: open.map((l) => l.position) } };
  });
}

/** Record an action taken, by anyone acting for a level the incident reached. */
export async function recordIncidentAction(deps: Deps, ctx: Ctx, id: number, input: IncidentAction): Promise<IncidentDetail> {
  return step(deps, ctx, id, 'action', async (tx, s, actor) => {
    if (s.inc.status === 'closed') throw errors.conflict('The incident is closed');
    const level = s.levels.filter((l) => l.state !== 'pending' && s.acting.has(l.unit_id)).at(-1);
    if (!level) throw errors.forbidden('Only a level the incident reached may record actions on it');
    await store.insertEvent(tx, { incident_id: s.inc.id, level_id: level.id, kind: 'action', actor_user_id: actor.userId, at: s.now, note: input.text, detail: '{}' });
    return { unitId: level.unit_id, audit: { level: level.position, text: input.text } };
  });
}

/** The level that handles the incident: the top, once it acknowledged; only those acting for it resolve and close. */
function handlingLevel(s: Step) {
  const top = s.levels.find((l) => l.position === s.inc.top_position)!;
  if (top.state !== 'acknowledged') throw errors.conflict(`The incident has not been acknowledged at ${top.unit_name}, the level that handles it`);
  if (!s.acting.has(top.unit_id)) throw errors.forbidden(`Only ${top.unit_name}, the level that handles it, may resolve or close it`);
  return top;
}

/** Record the resolution (the handling level). */
export async function resolveIncident(deps: Deps, ctx: Ctx, id: number, input: IncidentResolve): Promise<IncidentDetail> {
  return step(deps, ctx, id, 'resolved', async (tx, s, actor) => {
    if (s.inc.status !== 'open') throw errors.conflict(s.inc.status === 'resolved' ? 'Already resolved' : 'The incident is closed');
    const top = handlingLevel(s);
    await store.updateIncident(tx, s.inc.id, { status: 'resolved', resolution: input.resolution, resolved_at: s.now, resolved_by_user_id: actor.userId, updated_at: s.now });
    await store.insertEvent(tx, { incident_id: s.inc.id, level_id: top.id, kind: 'resolved', actor_user_id: actor.userId, at: s.now, note: input.resolution, detail: '{}' });
    return { unitId: top.unit_id, audit: { resolution: input.resolution } };
  });
}

/** Close a resolved incident; a critical or major one needs the handling level's short review. Its filer is told. */
export async function closeIncident(deps: Deps, ctx: Ctx, id: number, input: IncidentClose): Promise<IncidentDetail> {
  return step(deps, ctx, id, 'closed', async (tx, s, actor) => {
    if (s.inc.status !== 'resolved') throw errors.conflict(s.inc.status === 'closed' ? 'Already closed' : 'Record a resolution before closing', s.inc.status === 'open' ? { resolution: 'is required before closing' } : undefined);
    const top = handlingLevel(s);
    if (reviewRequired(s.inc.severity) && !input.review) throw errors.validation({ review: `is required to close a ${s.inc.severity} incident` });
    await store.updateIncident(tx, s.inc.id, { status: 'closed', review: input.review ?? null, closed_at: s.now, closed_by_user_id: actor.userId, updated_at: s.now });
    await store.insertEvent(tx, { incident_id: s.inc.id, level_id: top.id, kind: 'closed', actor_user_id: actor.userId, at: s.now, note: input.review ?? null, detail: '{}' });
    const unitName = s.levels[0]!.unit_name;
    if (s.inc.filed_by_user_id !== null && s.inc.filed_by_user_id !== actor.userId) {
      await notifyUsers(tx, deps, [s.inc.filed_by_user_id], {
        kind: 'incident.closed',
        params: { unit: unitName, title: s.inc.title, resolution: s.inc.resolution ?? '', ...(Number(s.inc.drill) === 1 ? { drill: 1 } : {}) },
        unitId: null,
        entity: 'incident',
        entityId: String(s.inc.id),
        link: `/incidents/${s.inc.id}`,
      });
    }
    return { unitId: top.unit_id, audit: { review: input.review ?? null } };
  });
}
