import { addDays, dayOf, localDateTime } from '../../../common/day.js';
import { transact } from '../../db/transact.js';
import { systemCtx } from '../../http/actor.js';
import { instantOf } from '../../jobs/daily.js';
import type { JobHandler } from '../../jobs/jobs.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyUnitRoleMany } from '../notify/notify.service.js';
import { enqueueRoundJob, openRound } from './reports.service.js';
import * as store from './reports.store.js';

/**
 * The durable work of reports up. Both handlers may run again after a crash between their work and
 * the job's completion, and each stays exact: a round is unique per request and day, and a
 * reminder marks its round in the transaction that writes the notifications.
 */

/**
 * Open a daily request's round of the day and enqueue the next day's job, in one transaction. A
 * day already over when the job runs (the server was down through it) opens no round: the job
 * hands over to today's, so a server back after a weekend opens one round, not three.
 */
export const openScheduledRound: JobHandler = async (deps, payload) => {
  const { requestId, day } = payload as { requestId: number; day: string };
  const request = await store.findRequest(deps.db, requestId);
  if (!request || request.status !== 'open' || request.schedule !== 'daily') return;
  const tz = deps.config.timeZone;
  const today = dayOf(deps.clock.now(), tz);
  await transact(deps, systemCtx, async (tx) => {
    // Past its last day: the schedule is over and the request closes itself.
    if (request.last_day !== null && (day < today ? today : day) > request.last_day) {
      await store.closeRequest(tx, requestId, null, deps.clock.now());
      await recordAudit(tx, deps, systemCtx, { action: 'report_request.ended', entity: 'report_request', entityId: requestId, unitId: request.unit_id, before: { status: 'open' }, after: { status: 'closed' }, note: { lastDay: request.last_day } });
      return;
    }
    if (day < today) {
      await enqueueRoundJob(tx, deps, requestId, today);
      return;
    }
    const { round, created } = await openRound(tx, deps, request, day, instantOf(day, request.due_minutes ?? 0, tz));
    await enqueueRoundJob(tx, deps, requestId, addDays(day, 1));
    if (created) {
      await recordAudit(tx, deps, systemCtx, { action: 'report_round.opened', entity: 'report_round', entityId: round.id, unitId: request.unit_id, after: { requestId, day, deadline: Number(round.deadline_at) } });
    }
  });
};

/** Remind every unit asked that has not submitted: its liaisons and unit heads (or the nearest above), once per round. */
export const remindRound: JobHandler = async (deps, payload) => {
  const { roundId } = payload as { roundId: number };
  const round = await store.findRound(deps.db, roundId);
  if (!round) return;
  const request = await store.findRequest(deps.db, round.request_id);
  const now = deps.clock.now();
  // Closed, or the deadline passed while the server was down: a reminder now would only mislead.
  if (!request || request.status !== 'open' || now > Number(round.deadline_at)) return;
  await transact(deps, systemCtx, async (tx) => {
    if (!(await store.markReminded(tx, roundId, now))) return;
    const missing = await store.unitsNotSubmitted(tx, round);
    const deadline = localDateTime(Number(round.deadline_at), deps.config.timeZone);
    const told = await notifyUnitRoleMany(
      tx,
      deps,
      ['liaison', 'unit_head'],
      missing.map((u) => ({
        unitId: u.id,
        n: { kind: 'report.reminder', params: { unit: u.name, title: request.title, deadline }, unitId: u.id, entity: 'report_round', entityId: String(roundId), link: '/directives/reports/to-submit' },
      })),
    );
    await recordAudit(tx, deps, systemCtx, { action: 'report_round.reminded', entity: 'report_round', entityId: roundId, unitId: request.unit_id, note: { units: missing.length, notifications: told } });
  });
};
