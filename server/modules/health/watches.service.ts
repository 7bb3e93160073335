import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { addDays, dayOf, daysFrom } from '../../../common/day.js';
import type { WatchClose, WatchDetail, WatchListItem, WatchListQuery, WatchNote, WatchNoteInput, WatchOpen, WatchReason } from '../../../common/schemas/watches.js';
import type { Conn } from '../../db/database.js';
import type { HealthWatchNoteRow } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/sql.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, systemCtx, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { appendAudit } from '../audit/audit.store.js';
import { recordAudit } from '../audit/audit.service.js';
import { assertAllowed, assertVisible, requireActor, requireScope } from '../org/org.policy.js';
import { notifyUnitRole } from '../notify/notify.service.js';
import { findPerson } from '../org/people.store.js';
import { visibleUnit } from '../org/units.service.js';
import { getSetting } from '../setup/settings.store.js';
import { WATCH_DAYS_SETTING, fromTenths, opensHealthWatch, toTenths, type Location } from './health.policy.js';
import { watchDaysOf } from './health-settings.service.js';
import { watchAbilities } from './watches.policy.js';
import * as store from './watches.store.js';

export interface OpenWatchInput {
  personId: number;
  reason: WatchReason;
  sourceEntity: string;
  sourceId: string;
  days?: number;
  openedByUserId: number | null;
  note?: string;
}

/** How long a watch runs unless its cause says otherwise: the `watch days` health setting. */
export async function watchDays(db: Conn): Promise<number> {
  return watchDaysOf(await getSetting(db, WATCH_DAYS_SETTING));
}

const today = (deps: Deps): string => dayOf(deps.clock.now(), deps.config.timeZone);


/** Tell the liaison of the person's unit (or of its nearest ancestor with one), in this transaction. */
async function tellLiaison(tx: Conn, deps: Deps, m: { unitId: number; watchId: number; person: string; unit: string; reason: WatchReason }): Promise<void> {
  await notifyUnitRole(tx, deps, m.unitId, ['liaison'], {
    kind: 'health.watch_opened',
    params: { person: m.person, unit: m.unit, reason: m.reason },
    unitId: m.unitId,
    entity: 'health_watch',
    entityId: String(m.watchId),
    link: `/health/watches/${m.watchId}`,
  });
}

/** The audit row of a watch change written for a caller that gave only a user id (or none: the system). */
async function auditWatch(tx: Conn, deps: Deps, userId: number | null, action: string, watchId: number, unitId: number, after: Record<string, unknown>): Promise<void> {
  await appendAudit(tx, deps.dialect, {
    at: deps.clock.now(),
    actorUserId: userId,
    actorName: userId === null ? 'system' : await store.usernameOf(tx, userId),
    action,
    entity: 'health_watch',
    entityId: String(watchId),
    unitId,
    // Who and until when, never why: the reason and the notes are health details, and supervisors read the log.
    detail: JSON.stringify({ after }),
    ip: null,
  });
}

async function openWatch(tx: Conn, deps: Deps, input: OpenWatchInput, temperature: number | null): Promise<{ id: number; created: boolean }> {
  // A cause that already opened or joined a watch (a retried job, a repeated call) does nothing more.
  const seen = await store.watchOfSource(tx, input.personId, input.sourceEntity, input.sourceId);
  if (seen !== undefined) return { id: seen, created: false };
  const person = await findPerson(tx, input.personId);
  if (!person) throw errors.validation({ personId: 'no such person' });
  const days = input.days ?? (await watchDays(tx));
  if (!Number.isInteger(days) || days < 1) throw errors.validation({ days: 'must be a whole number of days, at least 1' });
  const now = deps.clock.now();
  const day = today(deps);
  const endDay = addDays(day, days - 1);
  const note = {
    day,
    note: input.note ?? null,
    temperature,
    reason: input.reason,
    source_entity: input.sourceEntity,
    source_id: input.sourceId,
    author_user_id: input.openedByUserId,
    created_at: now,
  };
  const open = await store.openWatchOf(tx, person.id);
  if (open) {
    // One open watch per person: the new cause joins it, and it runs at least as long as the cause asks.
    const end = endDay > open.end_day ? endDay : open.end_day;
    await store.updateWatch(tx, open.id, { end_day: end, days: daysFrom(open.start_day, end) + 1, updated_at: now });
    await store.insertWatchNote(tx, { ...note, watch_id: open.id });
    await auditWatch(tx, deps, input.openedByUserId, 'health_watch.joined', open.id, open.unit_id, { personId: person.id, source: `${input.sourceEntity}:${input.sourceId}`, endDay: end });
    return { id: open.id, created: false };
  }
  const w = await store.insertWatch(tx, {
    person_id: person.id,
    unit_id: person.unit_id,
    reason: input.reason,
    source_entity: input.sourceEntity,
    source_id: input.sourceId,
    start_day: day,
    days,
    end_day: endDay,
    status: 'open',
    outcome: null,
    outcome_note: null,
    opened_by_user_id: input.openedByUserId,
    closed_by_user_id: null,
    created_at: now,
    updated_at: now,
    closed_at: null,
  });
  await store.insertWatchNote(tx, { ...note, watch_id: w.id });
  await auditWatch(tx, deps, input.openedByUserId, 'health_watch.opened', w.id, w.unit_id, { personId: person.id, source: `${input.sourceEntity}:${input.sourceId}`, endDay });
  await tellLiaison(tx, deps, { unitId: person.unit_id, watchId: w.id, person: person.name, unit: person.unit_name, reason: input.reason });
  return { id: w.id, created: true };
}

/** Which of these people are under an open health watch (the contact search marks them). */
export async function underOpenWatch(db: Conn, personIds: readonly number[]): Promise<Set<number>> {
  return store.openWatchPersonIds(db, personIds);
}

/** Opens a watch (or, when the person already has an open one, adds this reason to it as a note and extends its end if later); tells the unit's liaison. Writes its own audit row. */
export async function openHealthWatch(tx: Conn, deps: Deps, input: OpenWatchInput): Promise<{ id: number; created: boolean }> {
  return openWatch(tx, deps, input, null);
}

// ── the trigger: an abnormal check-in ────────────────────────────────────────────────────────────

/**
 * The job `health.checkin_abnormal` {checkinId}, enqueued in the check-in's own transaction for
 * every abnormal check-in. It re-reads the check-in (it may have been corrected since) and opens a
 * watch when the rule says so; run twice, it finds its own watch by the check-in and does nothing.
 */
export async function handleAbnormalCheckin(deps: Deps, payload: unknown): Promise<void> {
  const checkinId = Number((payload as { checkinId?: unknown } | null)?.checkinId);
  if (!Number.isInteger(checkinId)) throw new Error('health.checkin_abnormal: no checkinId in the payload');
  await transact(deps, systemCtx, async (tx) => {
    const c = await store.checkinById(tx, checkinId);
    if (!c) return; // purged by retention meanwhile: nothing left to act on
    const previous = await store.previousCheckinOf(tx, c.person_id, c.day);
    const answers = { temperature: c.temperature, symptoms: JSON.parse(c.symptoms) as string[], location: c.location as Location };
    if (!opensHealthWatch(answers, previous ?? null)) return;
    await openWatch(
      tx,
      deps,
      { personId: c.person_id, reason: 'checkin_abnormal', sourceEntity: 'checkin', sourceId: String(c.id), openedByUserId: null, ...(answers.symptoms.length ? { note: answers.symptoms.join('、') } : {}) },
      c.temperature,
    );
  });
}

// ── the console's routes ─────────────────────────────────────────────────────────────────────────

function presentItem(actor: Actor, w: store.WatchWithPerson, day: string): WatchListItem {
  const open = w.status === 'open';
  return {
    id: w.id,
    personId: w.person_id,
    personName: w.person_name,
    employeeNo: w.employee_no,
    unitId: w.person_unit_id,
    unitName: w.unit_name,
    reason: w.reason as WatchReason,
    startDay: w.start_day,
    endDay: w.end_day,
    days: w.days,
    daysLeft: open ? Math.max(0, daysFrom(day, w.end_day) + 1) : null,
    status: w.status as WatchListItem['status'],
    outcome: w.outcome as WatchListItem['outcome'],
    createdAt: Number(w.created_at),
    closedAt: w.closed_at === null ? null : Number(w.closed_at),
    abilities: watchAbilities(actor, w.unit_path, open),
  };
}

function presentNote(n: HealthWatchNoteRow & { author_name: string | null }): WatchNote {
  return {
    id: n.id,
    day: n.day,
    note: n.note,
    temperature: n.temperature === null ? null : fromTenths(n.temperature),
    reason: n.reason as WatchReason | null,
    sourceEntity: n.source_entity,
    sourceId: n.source_id,
    authorUserId: n.author_user_id,
    authorName: n.author_name,
    createdAt: Number(n.created_at),
  };
}

async function detailOf(db: Conn, deps: Deps, actor: Actor, w: store.WatchWithPerson): Promise<WatchDetail> {
  const notes = await store.notesOf(db, w.id);
  return {
    ...presentItem(actor, w, today(deps)),
    sourceEntity: w.source_entity,
    sourceId: w.source_id,
    outcomeNote: w.outcome_note,
    openedByUserId: w.opened_by_user_id,
    closedByUserId: w.closed_by_user_id,
    notes: notes.map(presentNote),
  };
}

/** A watch the actor may read (health.read over the person's unit of today), or not_found. */
async function visibleWatch(db: Conn, actor: Actor, id: number): Promise<store.WatchWithPerson> {
  const w = await store.findWatch(db, id);
  assertVisible(actor, 'health.read', w?.unit_path, 'health watch');
  return w!;
}

/** One page of the watches of people in a subtree (default: the actor's whole health scope); an audited read. */
export async function listWatches(deps: Deps, ctx: Ctx, q: z.infer<typeof WatchListQuery>) {
  const actor = requireActor(ctx.actor);
  let paths = requireScope(actor, 'health.read');
  let unitId: number | null = null;
  if (q.unitId !== undefined) {
    const unit = await visibleUnit(deps, actor, q.unitId);
    assertVisible(actor, 'health.read', unit.path, 'unit');
    paths = [unit.path];
    unitId = unit.id;
  }
  const { rows, total } = await store.listWatches(deps.db, { paths, ...(q.status ? { status: q.status } : {}) }, (q.page - 1) * q.pageSize, q.pageSize);
  // Who is under watch is a health detail: one audit row per request, saying what was read.
  await transact(deps, ctx, (tx) =>
    recordAudit(tx, deps, ctx, { action: 'health_watches.read', entity: 'health_watches', entityId: unitId, unitId, note: { status: q.status ?? null, page: q.page, count: rows.length } }),
  );
  const day = today(deps);
  return { items: rows.map((r) => presentItem(actor, r, day)), total, page: q.page, pageSize: q.pageSize };
}

/** One watch with its notes; an audited read of health data. */
export async function getWatch(deps: Deps, ctx: Ctx, id: number): Promise<WatchDetail> {
  const actor = requireActor(ctx.actor);
  const w = await visibleWatch(deps.db, actor, id);
  await transact(deps, ctx, (tx) => recordAudit(tx, deps, ctx, { action: 'health_watch.read', entity: 'health_watch', entityId: w.id, unitId: w.person_unit_id }));
  return detailOf(deps.db, deps, actor, w);
}

/** Put a person under watch by hand (or add to their open watch); 201 when a watch opened, 200 when it joined one. */
export async function openWatchByHand(deps: Deps, ctx: Ctx, input: WatchOpen): Promise<{ status: number; body: WatchDetail }> {
  const actor = requireActor(ctx.actor);
  const person = await findPerson(deps.db, input.personId);
  // Out of the actor's health scope reads as absent: the same answer as an id that does not exist.
  if (!person || !can(actor, 'health.read', person.unit_path)) throw errors.validation({ personId: 'no such person' });
  assertAllowed(actor, 'health.write', person.unit_path);
  if (person.status !== 'active') throw errors.validation({ personId: 'the person has left' });
  let status = 201;
  const run = async () => {
    // The stored Idempotency-Key answer is the body alone, with the status this call really had.
    const body = await transact(deps, ctx, async (tx) => {
      const { id, created } = await openHealthWatch(tx, deps, {
        personId: person.id,
        reason: 'manual',
        // Every hand-made opening is a cause of its own (a retried request is caught by its Idempotency-Key).
        sourceEntity: 'user',
        sourceId: `${actor.userId}:${randomUUID()}`,
        openedByUserId: actor.userId,
        ...(input.days !== undefined ? { days: input.days } : {}),
        ...(input.note !== undefined ? { note: input.note } : {}),
      });
      status = created ? 201 : 200;
      if (ctx.idempotency) ctx.idempotency = { ...ctx.idempotency, statusCode: status };
      return detailOf(tx, deps, actor, (await store.findWatch(tx, id))!);
    });
    return { status, body };
  };
  try {
    return await run();
  } catch (err) {
    // Two first watches of one person raced on the one-open index: the loser joins the winner's.
    if (isUniqueViolation(err)) return run();
    throw err;
  }
}

/** A visible watch the actor may write on, still open. */
async function writableWatch(deps: Deps, actor: Actor, id: number) {
  const w = await visibleWatch(deps.db, actor, id);
  assertAllowed(actor, 'health.write', w.unit_path);
  if (w.status !== 'open') throw errors.conflict('this health watch is closed', { id: 'closed' });
  return w;
}

/** Add the day's note (and temperature) to an open watch. */
export async function addWatchNote(deps: Deps, ctx: Ctx, id: number, input: WatchNoteInput): Promise<WatchNote> {
  const actor = requireActor(ctx.actor);
  const w = await writableWatch(deps, actor, id);
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const n = await store.insertWatchNote(tx, {
      watch_id: w.id,
      day: today(deps),
      note: input.note,
      temperature: input.temperature === undefined ? null : toTenths(input.temperature),
      reason: null,
      source_entity: null,
      source_id: null,
      author_user_id: actor.userId,
      created_at: now,
    });
    await store.updateWatch(tx, w.id, { updated_at: now });
    await recordAudit(tx, deps, ctx, { action: 'health_watch.note_added', entity: 'health_watch', entityId: w.id, unitId: w.person_unit_id, after: { noteId: n.id } });
    return presentNote({ ...n, author_name: actor.displayName ?? actor.username });
  });
}

/** Close an open watch with its outcome. */
export async function closeWatch(deps: Deps, ctx: Ctx, id: number, input: WatchClose): Promise<WatchDetail> {
  const actor = requireActor(ctx.actor);
  const w = await writableWatch(deps, actor, id);
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const closed = await store.closeWatchRow(tx, w.id, { outcome: input.outcome, outcome_note: input.note ?? null, closed_by_user_id: actor.userId, closed_at: now, updated_at: now });
    if (!closed) throw errors.conflict('this health watch is closed', { id: 'closed' });
    await recordAudit(tx, deps, ctx, { action: 'health_watch.closed', entity: 'health_watch', entityId: w.id, unitId: w.person_unit_id, before: { status: 'open' }, after: { status: 'closed' } });
    return detailOf(tx, deps, actor, (await store.findWatch(tx, w.id))!);
  });
}
