import type { z } from 'zod';
import { addDays, dayOf, localDateTime, startOfDay } from '../../../common/day.js';
import { MAX_REPORT_UNITS, minutesOf, timeOfMinutes, type ReportField, type ReportRequest, type ReportRequestCreate, type ReportRequestListQuery, type ReportSchedule } from '../../../common/schemas/reports.js';
import type { Conn } from '../../db/database.js';
import type { ReportRequestRow, ReportRoundRow } from '../../db/schema.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { instantOf } from '../../jobs/daily.js';
import { enqueueJob } from '../../jobs/jobs.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyUnitRoleMany, type NotificationInput } from '../notify/notify.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { findUnit, findUnitsByIds } from '../org/units.store.js';
import { commandsRequest, requestAbilities, seesRequest } from './reports.policy.js';
import * as store from './reports.store.js';

/**
 * Report requests: the command office asks units for a situation report, once or daily. Each
 * occurrence is a round; a daily request's rounds are opened by a chain of job rows, one per day
 * (REPORT_ROUND_JOB), and each round's reminder is a job row of its own (REPORT_REMIND_JOB).
 */

export const REPORT_ROUND_JOB = 'reports.round';
export const REPORT_REMIND_JOB = 'reports.remind';
export const roundJobKey = (requestId: number, day: string) => `${REPORT_ROUND_JOB}:${requestId}:${day}`;
export const remindJobKey = (roundId: number) => `${REPORT_REMIND_JOB}:${roundId}`;

/** How many of a request's units it names (those the actor sees, in tree order). */
export const UNITS_NAMED = 50;

export const fieldsOf = (r: { fields: string }) => JSON.parse(r.fields) as ReportField[];

export function scheduleOf(r: ReportRequestRow): ReportSchedule {
  if (r.schedule !== 'daily') return { kind: 'once', deadline: Number(r.deadline_at) };
  return { kind: 'daily', dueAt: timeOfMinutes(r.due_minutes ?? 0), ...(r.last_day !== null && { until: r.last_day }) };
}

/** Requests as the actor sees them: units named only inside their tasks.read scope; abilities from counts over all units. */
export async function presentRequests(db: Conn, actor: Actor, rows: readonly ReportRequestRow[]): Promise<ReportRequest[]> {
  const ids = rows.map((r) => r.id);
  const readScope = scopeFor(actor, 'tasks.read');
  const [visible, all, commanded, latest, names] = await Promise.all([
    store.targetsIn(db, ids, readScope),
    store.unitCountsOf(db, ids),
    store.unitCountsOf(db, ids, scopeFor(actor, 'directives.write')),
    store.latestRounds(db, ids),
    store.creatorNames(db, rows.flatMap((r) => (r.created_by_user_id === null ? [] : [r.created_by_user_id]))),
  ]);
  return rows.map((r) => {
    const units = visible.get(r.id)!;
    const open = r.status === 'open';
    const round = latest.get(r.id);
    return {
      id: r.id,
      title: r.title,
      instructions: r.instructions,
      fields: fieldsOf(r),
      schedule: scheduleOf(r),
      remindBeforeMinutes: r.remind_before_minutes,
      status: r.status as ReportRequest['status'],
      unitCount: all.get(r.id)!,
      // A request to every unit of a level names thousands: the page shows the first, unitCount the rest.
      units: units.slice(0, UNITS_NAMED).map((u) => ({ id: u.id, name: u.name })),
      createdAt: Number(r.created_at),
      createdBy: r.created_by_user_id === null ? null : (names.get(r.created_by_user_id) ?? null),
      closedAt: r.closed_at === null ? null : Number(r.closed_at),
      latestRound: round ? { id: round.id, day: round.day, deadline: Number(round.deadline_at) } : null,
      // Close: directives.write over every unit asked, i.e. all of them counted inside that scope.
      abilities: { close: open && all.get(r.id)! > 0 && commanded.get(r.id) === all.get(r.id), submit: requestAbilities(actor, units, open).submit },
    };
  });
}

/** A request the actor can see (tasks.read over one of its units), with all its units; else not_found. */
export async function visibleRequest(deps: Deps, actor: Actor, id: number): Promise<{ request: ReportRequestRow; targets: store.TargetUnit[] }> {
  const request = await store.findRequest(deps.db, id);
  const targets = request ? await store.targetsOf(deps.db, id) : [];
  if (!request || !seesRequest(actor, targets)) throw errors.notFound('report request');
  return { request, targets };
}

/** The units a target names, each checked: out of sight reads as absent, in sight without directives.write is forbidden. */
async function resolveTarget(deps: Deps, actor: Actor, target: ReportRequestCreate['target']): Promise<store.TargetUnit[]> {
  if (target.kind === 'units') {
    const ids = [...new Set(target.unitIds)];
    const found = new Map((await findUnitsByIds(deps.db, ids)).map((u) => [u.id, u]));
    return ids.map((id) => {
      const u = found.get(id);
      if (!u || !can(actor, 'units.read', u.path)) throw errors.validation({ 'target.unitIds': 'no such unit' });
      if (!can(actor, 'directives.write', u.path)) throw errors.forbidden();
      if (u.archived_at !== null) throw errors.validation({ 'target.unitIds': 'the unit is archived' });
      return { id: u.id, name: u.name, path: u.path };
    });
  }
  const unit = await findUnit(deps.db, target.unitId);
  if (!unit || !can(actor, 'units.read', unit.path)) throw errors.validation({ 'target.unitId': 'no such unit' });
  if (!can(actor, 'directives.write', unit.path)) throw errors.forbidden();
  const below = await store.unitsBelow(deps.db, unit.path, unit.depth, target.kind === 'children' ? 1 : target.depth);
  if (below.length === 0) throw errors.validation({ 'target.unitId': target.kind === 'children' ? 'the unit has no child units' : 'the unit has no units at that depth' });
  return below;
}

/** Open a round and, when the request asks for one, enqueue its reminder; in the caller's transaction. */
export async function openRound(tx: Conn, deps: Deps, request: ReportRequestRow, day: string, deadline: number): Promise<{ round: ReportRoundRow; created: boolean }> {
  const now = deps.clock.now();
  const out = await store.ensureRound(tx, { request_id: request.id, day, opened_at: now, deadline_at: deadline });
  if (out.created && request.remind_before_minutes > 0 && deadline > now) {
    // A deadline nearer than the lead time is reminded at once: it is the units' only notice.
    const runAt = Math.max(now, deadline - request.remind_before_minutes * 60_000);
    await enqueueJob(tx, now, { kind: REPORT_REMIND_JOB, key: remindJobKey(out.round.id), payload: { roundId: out.round.id }, runAt, maxAttempts: 5 });
  }
  return out;
}

/** Enqueue the job that opens a daily request's round of `day`, at the start of that day. */
export async function enqueueRoundJob(tx: Conn, deps: Deps, requestId: number, day: string): Promise<void> {
  await enqueueJob(tx, deps.clock.now(), { kind: REPORT_ROUND_JOB, key: roundJobKey(requestId, day), payload: { requestId, day }, runAt: startOfDay(day, deps.config.timeZone), maxAttempts: 5 });
}

/**
 * Ask units for a report. A one-off request opens its single round now; a daily one opens today's
 * round now when today's time is still ahead, and leaves tomorrow's to its job.
 */
export async function createReportRequest(deps: Deps, ctx: Ctx, input: ReportRequestCreate): Promise<ReportRequest> {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'directives.write');
  const targets = await resolveTarget(deps, actor, input.target);
  const field = input.target.kind === 'units' ? 'target.unitIds' : 'target.unitId';
  if (targets.length > MAX_REPORT_UNITS) throw errors.validation({ [field]: `at most ${MAX_REPORT_UNITS} units` });
  const now = deps.clock.now();
  const tz = deps.config.timeZone;
  const today = dayOf(now, tz);
  if (input.schedule.kind === 'once' && input.schedule.deadline <= now) throw errors.validation({ 'schedule.deadline': 'must be in the future' });
  const dueMinutes = input.schedule.kind === 'daily' ? minutesOf(input.schedule.dueAt) : null;
  // A daily request's first round is today's while today's time is still ahead, else tomorrow's.
  const firstDay = dueMinutes !== null && now >= instantOf(today, dueMinutes, tz) ? addDays(today, 1) : today;
  const lastDay = input.schedule.kind === 'daily' ? (input.schedule.until ?? null) : null;
  if (lastDay !== null && lastDay < firstDay) throw errors.validation({ 'schedule.until': `must be on or after the first round's day, ${firstDay}` });
  // Presented inside the transaction: the answer stored under an Idempotency-Key is the body sent.
  return transact(deps, ctx, async (tx) => {
    const row = await store.insertRequest(tx, {
      title: input.title,
      instructions: input.instructions ? input.instructions : null,
      fields: JSON.stringify(input.fields),
      schedule: input.schedule.kind,
      deadline_at: input.schedule.kind === 'once' ? input.schedule.deadline : null,
      due_minutes: dueMinutes,
      last_day: lastDay,
      remind_before_minutes: input.remindBeforeMinutes,
      status: 'open',
      unit_id: targets[0]!.id,
      created_by_user_id: actor.userId,
      created_at: now,
      closed_by_user_id: null,
      closed_at: null,
    });
    await store.insertRequestUnits(tx, row.id, targets.map((t) => t.id));
    if (input.schedule.kind === 'once') await openRound(tx, deps, row, today, input.schedule.deadline);
    else {
      if (firstDay === today) await openRound(tx, deps, row, today, instantOf(today, dueMinutes!, tz));
      await enqueueRoundJob(tx, deps, row.id, addDays(today, 1));
    }
    // Every unit asked hears of it at once, through its liaisons and head (or the nearest above).
    const n = (u: store.TargetUnit): Pick<NotificationInput, 'kind' | 'params'> =>
      input.schedule.kind === 'once'
        ? { kind: 'report.requested', params: { unit: u.name, title: row.title, deadline: localDateTime(input.schedule.deadline, tz) } }
        : lastDay === null
          ? { kind: 'report.requested_daily', params: { unit: u.name, title: row.title, time: input.schedule.dueAt } }
          : { kind: 'report.requested_daily_until', params: { unit: u.name, title: row.title, time: input.schedule.dueAt, until: lastDay } };
    await notifyUnitRoleMany(
      tx,
      deps,
      ['liaison', 'unit_head'],
      targets.map((u) => ({ unitId: u.id, n: { ...n(u), unitId: u.id, entity: 'report_request', entityId: String(row.id), link: '/directives/reports/to-submit' } })),
    );
    await recordAudit(tx, deps, ctx, {
      action: 'report_request.created',
      entity: 'report_request',
      entityId: row.id,
      unitId: targets[0]!.id,
      after: { title: row.title, schedule: input.schedule, fields: input.fields.length, remindBeforeMinutes: input.remindBeforeMinutes },
      note: { units: targets.length, target: input.target.kind },
    });
    return (await presentRequests(tx, actor, [row]))[0]!;
  });
}

/** Requests asking a unit in the actor's tasks.read scope, newest first. */
export async function listReportRequests(deps: Deps, ctx: Ctx, q: z.infer<typeof ReportRequestListQuery>) {
  const actor = requireActor(ctx.actor);
  const scope = requireScope(actor, 'tasks.read');
  const { rows, total } = await store.listRequests(deps.db, scope, q.status, (q.page - 1) * q.pageSize, q.pageSize);
  return { items: await presentRequests(deps.db, actor, rows), total, page: q.page, pageSize: q.pageSize };
}

export async function getReportRequest(deps: Deps, ctx: Ctx, id: number): Promise<ReportRequest> {
  const actor = requireActor(ctx.actor);
  const { request } = await visibleRequest(deps, actor, id);
  return (await presentRequests(deps.db, actor, [request]))[0]!;
}

/**
 * Close a request: a daily one opens no more rounds, reminders not yet sent are not sent, and no
 * submission is taken any more (what was submitted stays readable and exportable).
 */
export async function closeReportRequest(deps: Deps, ctx: Ctx, id: number): Promise<ReportRequest> {
  const actor = requireActor(ctx.actor);
  const { request, targets } = await visibleRequest(deps, actor, id);
  if (!commandsRequest(actor, targets)) throw errors.forbidden();
  if (request.status === 'closed') throw errors.conflict('the report request is already closed');
  await transact(deps, ctx, async (tx) => {
    await store.closeRequest(tx, id, actor.userId, deps.clock.now());
    await recordAudit(tx, deps, ctx, { action: 'report_request.closed', entity: 'report_request', entityId: id, unitId: request.unit_id, before: { status: 'open' }, after: { status: 'closed' } });
  });
  return (await presentRequests(deps.db, actor, [(await store.findRequest(deps.db, id))!]))[0]!;
}
