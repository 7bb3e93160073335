import { minutesOfHHMM, type HealthSettings } from '../../../common/schemas/reminders.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import { scopeFor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { instantOf, latestDue, type DailyJob } from '../../jobs/daily.js';
import { enqueueJob } from '../../jobs/jobs.js';
import { recordAudit } from '../audit/audit.service.js';
import { isRootPath, requireActor } from '../org/org.policy.js';
import { getSetting, putSetting } from '../setup/settings.store.js';
import { addDays } from '../../../common/day.js';
import { DIGEST_SETTING, digestJob, digestMinutes } from './digest.service.js';
import { CUTOFF_SETTING, DEFAULT_WATCH_DAYS, WATCH_DAYS_SETTING, cutoffMinutes } from './health.policy.js';
import { RETENTION_SETTING, retentionDaysOf } from './retention.service.js';
import { CUTOFF_JOB, ensureNextReminder } from './reminders.plan.js';
import { WATCH_DAYS_MAX } from '../../../common/schemas/watches.js';

/**
 * The deployment's health rhythm, one set for the whole organisation: when check-ins lock, when
 * non-reporters are reminded, when the digest goes out, how long a watch lasts and how long
 * check-in details are kept. Stored in the settings table under the keys the modules that use
 * them already read, so each keeps reading its own key.
 */
export type { HealthSettings };

export const REMINDER_TIMES_SETTING = 'health.reminder_times';

const hhmmOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** 'HH:MM' strings out of a stored value, sorted and without repeats; anything unreadable is dropped. */
export function reminderTimesOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const ok = value.filter((v): v is string => typeof v === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(v));
  return [...new Set(ok)].sort();
}

/** The settings in force, each with its default when unset (cut-off 24:00, no reminders, digest 17:00, 14 and 90 days). */
export async function healthSettings(db: Conn): Promise<HealthSettings> {
  const [cutoff, reminders, digest, watch, retention] = await Promise.all(
    [CUTOFF_SETTING, REMINDER_TIMES_SETTING, DIGEST_SETTING, WATCH_DAYS_SETTING, RETENTION_SETTING].map((k) => getSetting(db, k)),
  );
  return {
    cutoff: hhmmOf(cutoffMinutes(cutoff)),
    reminderTimes: reminderTimesOf(reminders),
    digestTime: hhmmOf(digestMinutes(digest)),
    watchDays: typeof watch === 'number' && Number.isInteger(watch) && watch >= 1 && watch <= WATCH_DAYS_MAX ? watch : DEFAULT_WATCH_DAYS,
    retentionDays: Math.min(3650, retentionDaysOf(retention)),
  };
}

/** health.settings counts only on a root unit: the settings are the whole deployment's. */
function assertSettingsAdmin(ctx: Ctx) {
  const actor = requireActor(ctx.actor);
  if (!scopeFor(actor, 'health.settings').some(isRootPath)) throw errors.forbidden();
  return actor;
}

/** The settings, for whoever may change them. */
export async function getHealthSettings(deps: Deps, ctx: Ctx): Promise<HealthSettings> {
  assertSettingsAdmin(ctx);
  return healthSettings(deps.db);
}

/**
 * Move the pending rows of a daily job to a new time of day (a row keeps its day), so a cut-off
 * or digest moved today happens at the new time today, not at the old one.
 */
async function rescheduleDaily(tx: Conn, deps: Deps, job: Pick<DailyJob, 'kind'>, minutes: number): Promise<void> {
  const rows = await tx.selectFrom('jobs').select(['id', 'payload']).where('kind', '=', job.kind).where('status', '=', 'pending').execute();
  for (const r of rows) {
    const { day } = JSON.parse(r.payload) as { day: string };
    await tx.updateTable('jobs').set({ run_at: instantOf(day, minutes, deps.config.timeZone), updated_at: deps.clock.now() }).where('id', '=', r.id).execute();
  }
  const next = addDays(latestDue(deps.clock.now(), minutes, deps.config.timeZone), 1);
  await enqueueJob(tx, deps.clock.now(), { kind: job.kind, key: `${job.kind}:${next}`, payload: { day: next }, runAt: instantOf(next, minutes, deps.config.timeZone), maxAttempts: 5 });
}

/** Replace the settings (all of them, as the form sends them), audited, and re-plan the jobs that follow them. */
export async function putHealthSettings(deps: Deps, ctx: Ctx, input: HealthSettings): Promise<HealthSettings> {
  assertSettingsAdmin(ctx);
  const times = [...input.reminderTimes].sort();
  const cutoff = minutesOfHHMM(input.cutoff);
  // A reminder after the lock would ask people to do what they no longer can.
  if (times.some((t) => minutesOfHHMM(t) >= cutoff)) throw errors.validation({ reminderTimes: 'every reminder time must be before the cut-off' });
  const next: HealthSettings = { ...input, reminderTimes: times };
  return transact(deps, ctx, async (tx) => {
    const before = await healthSettings(tx);
    const now = deps.clock.now();
    await putSetting(tx, CUTOFF_SETTING, next.cutoff, now);
    await putSetting(tx, REMINDER_TIMES_SETTING, next.reminderTimes, now);
    await putSetting(tx, DIGEST_SETTING, next.digestTime, now);
    await putSetting(tx, WATCH_DAYS_SETTING, next.watchDays, now);
    await putSetting(tx, RETENTION_SETTING, next.retentionDays, now);
    await rescheduleDaily(tx, deps, { kind: CUTOFF_JOB }, cutoff);
    await rescheduleDaily(tx, deps, digestJob, minutesOfHHMM(next.digestTime));
    await ensureNextReminder(tx, deps, next.reminderTimes);
    await recordAudit(tx, deps, ctx, { action: 'settings.health.updated', entity: 'settings', entityId: 'health', before, after: next });
    return next;
  });
}
