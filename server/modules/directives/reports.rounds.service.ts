import type { z } from 'zod';
import {
  validateAnswers,
  type AnswerValue,
  type ReportRoundView,
  type RoundCounts,
  type RoundListQuery,
  type RoundUnitRow,
  type Submission,
  type SubmissionCreate,
  type SubmissionState,
  type ToSubmitItem,
  type ToSubmitQuery,
} from '../../../common/schemas/reports.js';
import type { ReportRequestRow, ReportRoundRow } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/sql.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { maySubmit } from './reports.policy.js';
import { fieldsOf, presentRequests, visibleRequest } from './reports.service.js';
import * as store from './reports.store.js';

/**
 * Rounds and submissions. A unit submits once per round and may correct its submission until the
 * round's deadline; a first submission after the deadline is taken and marked late, and is final.
 */

const answersOf = (s: { answers: string } | undefined | null): Record<string, AnswerValue> | null => (s ? (JSON.parse(s.answers) as Record<string, AnswerValue>) : null);

/** A unit's state in a round, from its submission (if any) and the clock. */
export function stateOf(submission: { late: number } | undefined | null, deadline: number, now: number): SubmissionState {
  if (submission) return submission.late === 1 ? 'late' : 'on_time';
  return now <= deadline ? 'pending' : 'missing';
}

function summaryOf(r: ReportRoundRow, counts: RoundCounts) {
  return { id: r.id, requestId: r.request_id, day: r.day, openedAt: Number(r.opened_at), deadline: Number(r.deadline_at), remindedAt: r.reminded_at === null ? null : Number(r.reminded_at), counts };
}

function countsOf(units: number, submitted: { onTime: number; late: number }, deadline: number, now: number): RoundCounts {
  const notYet = Math.max(0, units - submitted.onTime - submitted.late);
  return { units, onTime: submitted.onTime, late: submitted.late, pending: now <= deadline ? notYet : 0, missing: now <= deadline ? 0 : notYet };
}

/** A round the actor can see, with its request and all the units it asks; else not_found. */
export async function visibleRound(deps: Deps, actor: Actor, id: number) {
  const round = await store.findRound(deps.db, id);
  if (!round) throw errors.notFound('report round');
  try {
    return { round, ...(await visibleRequest(deps, actor, round.request_id)) };
  } catch {
    throw errors.notFound('report round');
  }
}

/** A request's rounds, newest first, each counted over the units in the actor's tasks.read scope. */
export async function listRounds(deps: Deps, ctx: Ctx, requestId: number, q: z.infer<typeof RoundListQuery>) {
  const actor = requireActor(ctx.actor);
  await visibleRequest(deps, actor, requestId);
  const scope = scopeFor(actor, 'tasks.read');
  const { rows, total } = await store.listRounds(deps.db, requestId, (q.page - 1) * q.pageSize, q.pageSize);
  const [units, submitted] = await Promise.all([store.countTargetsIn(deps.db, requestId, scope), store.submittedCounts(deps.db, rows.map((r) => r.id), scope)]);
  const now = deps.clock.now();
  return { items: rows.map((r) => summaryOf(r, countsOf(units, submitted.get(r.id)!, Number(r.deadline_at), now))), total, page: q.page, pageSize: q.pageSize };
}

/** The rows of a round: one per unit asked inside the actor's tasks.read scope, in tree order. */
export async function roundRows(deps: Deps, actor: Actor, request: ReportRequestRow, round: ReportRoundRow, targets: readonly store.TargetUnit[]): Promise<RoundUnitRow[]> {
  const submissions = await store.submissionsOf(deps.db, round.id);
  const now = deps.clock.now();
  const deadline = Number(round.deadline_at);
  return targets
    .filter((t) => can(actor, 'tasks.read', t.path))
    .map((t) => {
      const s = submissions.get(t.id);
      return {
        unitId: t.id,
        unitName: t.name,
        state: stateOf(s, deadline, now),
        submittedAt: s ? Number(s.submitted_at) : null,
        updatedAt: s ? Number(s.updated_at) : null,
        submittedBy: s?.submitted_by ?? null,
        answers: answersOf(s),
        canSubmit: maySubmit(actor, t.path, request.status === 'open', s !== undefined, deadline, now),
      };
    });
}

/** A round side by side: the form, and every visible unit's state and answers. */
export async function getRound(deps: Deps, ctx: Ctx, id: number): Promise<ReportRoundView> {
  const actor = requireActor(ctx.actor);
  const { round, request, targets } = await visibleRound(deps, actor, id);
  const rows = await roundRows(deps, actor, request, round, targets);
  const submitted = { onTime: rows.filter((r) => r.state === 'on_time').length, late: rows.filter((r) => r.state === 'late').length };
  return {
    round: summaryOf(round, countsOf(rows.length, submitted, Number(round.deadline_at), deps.clock.now())),
    request: (await presentRequests(deps.db, actor, [request]))[0]!,
    rows,
  };
}

function presentSubmission(s: { round_id: number; unit_id: number; answers: string; submitted_at: number; updated_at: number; late: number }): Submission {
  return { roundId: s.round_id, unitId: s.unit_id, answers: answersOf(s)!, submittedAt: Number(s.submitted_at), updatedAt: Number(s.updated_at), late: s.late === 1 };
}

/**
 * Submit a unit's report for a round (201), or correct it before the deadline (200). Answers are
 * checked against the form, each error naming `answers.<key>`.
 */
export async function submitReport(deps: Deps, ctx: Ctx, roundId: number, input: SubmissionCreate): Promise<{ status: number; body: Submission }> {
  const actor = requireActor(ctx.actor);
  const { round, request, targets } = await visibleRound(deps, actor, roundId);
  const unit = targets.find((t) => t.id === input.unitId);
  // A unit not asked, or outside the actor's sight, reads the same as one that does not exist.
  if (!unit || !can(actor, 'tasks.read', unit.path)) throw errors.validation({ unitId: 'no such unit in this report' });
  if (!can(actor, 'tasks.work', unit.path)) throw errors.forbidden();
  if (request.status !== 'open') throw errors.conflict('the report request is closed');
  const checked = validateAnswers(fieldsOf(request), input.answers);
  if ('errors' in checked) throw errors.validation(checked.errors);
  const answers = JSON.stringify(checked.values);
  const deadline = Number(round.deadline_at);
  const run = () =>
    transact(deps, ctx, async (tx) => {
      const now = deps.clock.now();
      const existing = await store.findSubmission(tx, roundId, unit.id);
      let status = 201;
      let row;
      if (existing) {
        if (now > deadline) throw errors.conflict('the deadline has passed: the submission can no longer be corrected', { unitId: 'already submitted' });
        status = 200;
        row = await store.updateSubmission(tx, existing.id, { answers, updated_by_user_id: actor.userId, updated_at: now });
        await recordAudit(tx, deps, ctx, { action: 'report_submission.corrected', entity: 'report_submission', entityId: row.id, unitId: unit.id, before: { answers: answersOf(existing) }, after: { answers: checked.values } });
      } else {
        const late = now > deadline ? 1 : 0;
        row = await store.insertSubmission(tx, { round_id: roundId, unit_id: unit.id, answers, late, submitted_by_user_id: actor.userId, submitted_at: now, updated_by_user_id: actor.userId, updated_at: now });
        await recordAudit(tx, deps, ctx, { action: 'report_submission.submitted', entity: 'report_submission', entityId: row.id, unitId: unit.id, after: { roundId, answers: checked.values, late: late === 1 } });
      }
      // The stored Idempotency-Key answer is the body alone, with the status this call really had.
      if (ctx.idempotency) ctx.idempotency = { ...ctx.idempotency, statusCode: status };
      return { status, body: presentSubmission(row) };
    });
  try {
    return await run();
  } catch (err) {
    // Two first submissions of one unit raced: the loser becomes a correction of the winner's.
    if (isUniqueViolation(err)) return run();
    throw err;
  }
}

/** What the units in the actor's tasks.work scope are asked to fill in, soonest deadline first. */
export async function listToSubmit(deps: Deps, ctx: Ctx, q: z.infer<typeof ToSubmitQuery>) {
  const actor = requireActor(ctx.actor);
  const scope = requireScope(actor, 'tasks.work');
  const now = deps.clock.now();
  const { rows, total } = await store.toSubmit(deps.db, scope, now, (q.page - 1) * q.pageSize, q.pageSize);
  const items: ToSubmitItem[] = rows.map((r) => ({
    roundId: r.round_id,
    requestId: r.request_id,
    title: r.title,
    instructions: r.instructions,
    fields: fieldsOf(r),
    day: r.day,
    deadline: Number(r.deadline_at),
    unitId: r.unit_id,
    unitName: r.unit_name,
    state: stateOf(r.answers === null ? null : { late: Number(r.late) }, Number(r.deadline_at), now),
    answers: r.answers === null ? null : answersOf({ answers: r.answers }),
    submittedAt: r.submitted_at === null ? null : Number(r.submitted_at),
  }));
  return { items, total, page: q.page, pageSize: q.pageSize };
}
