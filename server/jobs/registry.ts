import type { Deps } from '../deps.js';
import { purgeIdempotencyKeys } from '../http/idempotency.js';
import { purgeExpiredSessions } from '../modules/auth/auth.service.js';
import { snapshotTodaysHeadcounts } from '../modules/health/dashboard.service.js';
import { digestJob } from '../modules/health/digest.service.js';
import { retentionJob } from '../modules/health/retention.service.js';
import { dailyHandler, ensureDailyJob, type DailyJob } from './daily.js';
import { enqueueJob, JobRunner } from './jobs.js';
import { deliverToChannel, pushLive } from '../modules/notify/deliveries.service.js';
import { DELIVER_JOB, LIVE_JOB, purgeOldNotifications } from '../modules/notify/notify.service.js';
import { handleReminderJob, planReminders } from '../modules/health/reminders.service.js';
import { ensureNextCutoff, handleCutoffJob } from '../modules/health/cutoff.report.js';
import { CUTOFF_JOB } from '../modules/health/reminders.plan.js';
import { REMIND_JOB } from '../modules/health/reminders.plan.js';
import { CHECKIN_ABNORMAL_JOB } from '../modules/health/health.policy.js';
import { handleAbnormalCheckin } from '../modules/health/watches.service.js';
import { AREA_REACH_BACK_JOB, reachBackFromArea } from '../modules/health/trip-watch.service.js';
import { departuresJob } from '../modules/health/trips.service.js';
import { openScheduledRound, remindRound } from '../modules/directives/reports.jobs.js';
import { REPORT_REMIND_JOB, REPORT_ROUND_JOB } from '../modules/directives/reports.service.js';
import { REMIND_TASKS_JOB, TASK_DEADLINE_JOB, handleTaskDeadline, handleTaskReminder } from '../modules/directives/tasks.jobs.js';
import { ESCALATE_JOB, handleEscalation } from '../modules/incidents/incidents.escalation.js';
import { CARE_CONTACT_INTERVAL_MS, CARE_CONTACT_JOB, alertUncontactedCases } from '../modules/care/care.jobs.js';
import { GAP_CHECK_INTERVAL_MS, GAP_CHECK_JOB, REMIND_SHIFT_JOB, checkCoverageGaps, handleShiftReminder } from '../modules/duty/duty.jobs.js';

const MINUTE = 60_000;

/** Housekeeping that recurs; keys are fixed so every process enqueues the same single row. */
const RECURRING = [
  { kind: 'sessions.purge', intervalMs: 10 * MINUTE, run: purgeExpiredSessions },
  { kind: 'idempotency.purge', intervalMs: 60 * MINUTE, run: async (deps: Deps) => void (await purgeIdempotencyKeys(deps)) },
  {
    kind: 'jobs.purge',
    intervalMs: 24 * 60 * MINUTE,
    run: async (deps: Deps) => {
      await deps.db.deleteFrom('jobs').where('status', '=', 'done').where('updated_at', '<', deps.clock.now() - 7 * 24 * 60 * MINUTE).execute();
    },
  },
  // Hourly, and a no-op once the day has its snapshot: a day's headcount is taken early in the day.
  { kind: 'health.headcounts', intervalMs: 60 * MINUTE, run: snapshotTodaysHeadcounts },
  { kind: 'notifications.purge', intervalMs: 24 * 60 * MINUTE, run: async (deps: Deps) => void (await purgeOldNotifications(deps)) },
  // The duty coverage check: each new gap in the coming week is told to its unit head once.
  { kind: GAP_CHECK_JOB, intervalMs: GAP_CHECK_INTERVAL_MS, run: async (deps: Deps) => void (await checkCoverageGaps(deps)) },
  // Care: a case past its contact days tells its care officer once per lapse (modules/care/care.jobs.ts).
  { kind: CARE_CONTACT_JOB, intervalMs: CARE_CONTACT_INTERVAL_MS, run: async (deps: Deps) => void (await alertUncontactedCases(deps)) },
] as const;

/** Once a day at a set time of the deployment's day; one row per occurrence (server/jobs/daily.ts). */
const DAILY: readonly DailyJob[] = [retentionJob, digestJob, departuresJob];

/** Build the runner with every job kind registered, and make sure the recurring rows exist. */
export async function createJobRunner(deps: Deps, pollMs?: number): Promise<JobRunner> {
  const runner = new JobRunner(deps, pollMs);
  for (const j of RECURRING) {
    runner.register(j.kind, (d) => j.run(d));
    await enqueueJob(deps.db, deps.clock.now(), { kind: j.kind, key: j.kind, runAt: deps.clock.now() + j.intervalMs, intervalMs: j.intervalMs });
  }
  for (const j of DAILY) {
    runner.register(j.kind, dailyHandler(j));
    await ensureDailyJob(deps, j);
  }
  // Jobs enqueued by a change, one row per cause.
  runner.register(CHECKIN_ABNORMAL_JOB, handleAbnormalCheckin);
  runner.register(DELIVER_JOB, deliverToChannel);
  runner.register(LIVE_JOB, pushLive);
  // One row per distinct task deadline (modules/directives/tasks.jobs.ts): the reminder and the deadline itself.
  runner.register(TASK_DEADLINE_JOB, handleTaskDeadline);
  runner.register(REMIND_TASKS_JOB, handleTaskReminder);
  runner.register(AREA_REACH_BACK_JOB, async (d, payload) => void (await reachBackFromArea(d, payload)));
  // A chain of rows, one per reminder time (modules/health/reminders.plan.ts): the next one exists from the start.
  runner.register(REMIND_JOB, handleReminderJob);
  // The same for the cut-off report, one row per distinct cut-off in force (modules/health/cutoff.report.ts).
  runner.register(CUTOFF_JOB, handleCutoffJob);
  // Reports up: each daily request's chain of round rows, and one reminder row per round.
  runner.register(REPORT_ROUND_JOB, openScheduledRound);
  runner.register(REPORT_REMIND_JOB, remindRound);
  // Incident escalations: one row per alert, skip or re-alert moment of a level (modules/incidents/incidents.escalation.ts).
  runner.register(ESCALATE_JOB, handleEscalation);
  // Duty: one reminder row per shift start (modules/duty/duty.jobs.ts).
  runner.register(REMIND_SHIFT_JOB, handleShiftReminder);
  // A SQLite file is served by one process: a job still marked running now was held by a process
  // that died (a kill, a power cut). Waiting out its lease would delay, e.g., an escalation by minutes.
  if (deps.dialect === 'sqlite') await runner.releaseOrphans();
  await planReminders(deps);
  await ensureNextCutoff(deps.db, deps);
  return runner;
}
