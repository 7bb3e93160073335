import { minutesOfHHMM, type HealthSettings } from '../../../common/schemas/reminders.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import type { Ctx } from '../../http/actor.js';
import { roleHas } from '../../../common/roles.js';
import { errors } from '../../http/errors.js';
import { instantOf, latestDue, type DailyJob } from '../../jobs/daily.js';
import { enqueueJob } from '../../jobs/jobs.js';
import { recordAudit } from '../audit/audit.service.js';
import { isRootPath, requireActor } from '../org/org.policy.js';
import { getSetting, putSetting } from '../setup/settings.store.js';
import { addDays } from '../../../common/day.js';
import { DIGEST_SETTING, digestJob, digestMinutes } from './digest.service.js';
import { CUTOFF_MEASURE, DEFAULT_WATCH_DAYS, WATCH_DAYS_SETTING } from './health.policy.js';
import { effectiveMeasure, effectiveMeasureIn } from '../measures/measures.effective.js';
import { followMeasure, setMeasureIn } from '../measures/measures.service.js';
import { listRootUnits } from '../org/units.store.js';
import { RETENTION_SETTING, retentionDaysOf } from './retention.service.js';
import { ensureNextReminder } from './reminders.plan.js';
import { ensureNextCutoff } from './cutoff.report.js';
import { WATCH_DAYS_MAX } from '../../../common/schemas/watches.js';

/**
 * The deployment's health rhythm, one set for the whole organisation: when check-ins lock, when
 * non-reporters are reminded, when the digest goes out, how long a watch lasts and how long
 * check-in details are kept. Stored in the settings table under the keys the modules that use
 * them already read, so each keeps reading its own key — except the cut-off, which is a measure
 * (防控措施: the root's value, which a unit may tighten with an approved exception), so that the
 * measures register shows it where it comes from and every check-in locks at its own unit's.
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

/** A stored watch length, or the default when unset or unreadable. */
export function watchDaysOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= WATCH_DAYS_MAX ? value : DEFAULT_WATCH_DAYS;
}

/**
 * The organisation's cut-off (minutes after midnight) on a day: the checkin.cutoff measure at a
 * root (by default the first; a deployment has one, and the health settings set every root the
 * same). The daily cut-off report runs at it; each check-in locks at its own unit's (checkins.service.ts).
 */
export async function organisationCutoff(db: Conn, deps: Deps, rootId?: number): Promise<number> {
  const id = rootId ?? (await listRootUnits(db))[0]?.id ?? 0;
  return (await effectiveMeasureIn(db, deps, CUTOFF_MEASURE, id)).stored;
}

/** The settings in force, each with its default when unset (cut-off 24:00, no reminders, digest 17:00, 14 and 90 days); the cut-off is `rootId`'s. */
export async function healthSettings(db: Conn, deps: Deps, rootId?: number): Promise<HealthSettings> {
  const [reminders, digest, watch, retention] = await Promise.all([REMINDER_TIMES_SETTING, DIGEST_SETTING, WATCH_DAYS_SETTING, RETENTION_SETTING].map((k) => getSetting(db, k)));
  return {
    cutoff: hhmmOf(await organisationCutoff(db, deps, rootId)),
    reminderTimes: reminderTimesOf(reminders),
    digestTime: hhmmOf(digestMinutes(digest)),
    watchDays: watchDaysOf(watch),
    retentionDays: Math.min(3650, retentionDaysOf(retention)),
  };
}

// On SQLite one process serves the database and every change of a measure passes through it
// (followMeasure below), so the cut-off in force at a unit on a day is kept in memory and a
// check-in reads no measure row. Keyed by the unit's path, not its id: a unit moved under another
// parent has another chain of ancestors, and so another key. On PostgreSQL other processes change
// measures too, so every check-in asks the database.
const cutoffs = new WeakMap<object, Map<string, number>>();

/** The check-in cut-off (minutes after midnight) in force at a unit on a day. */
export async function unitCutoff(deps: Deps, unit: { id: number; path: string }, day: string): Promise<number> {
  const sqlite = deps.handle.sqlite;
  if (!sqlite) return (await effectiveMeasure(deps, CUTOFF_MEASURE, unit.id, day)).stored;
  let known = cutoffs.get(sqlite);
  if (!known) cutoffs.set(sqlite, (known = new Map()));
  const key = `${unit.path} ${day}`;
  let minutes = known.get(key);
  if (minutes === undefined) {
    minutes = (await effectiveMeasure(deps, CUTOFF_MEASURE, unit.id, day)).stored;
    if (known.size >= 50_000) known.clear();
    known.set(key, minutes);
  }
  return minutes;
}

/** Forget the cut-offs kept in memory (a change of the measure; a test that writes measure rows itself). */
export function forgetCutoffs(deps: Deps): void {
  if (deps.handle.sqlite) cutoffs.get(deps.handle.sqlite)?.clear();
}

// Any change of a cut-off anywhere clears what is kept, and the cut-off report's chain gets the
// row of the next cut-off now in force, however it was changed (here or on the measures page), in
// the same transaction as the change. (A check-in racing the change on SQLite waits for its
// commit: the change's transaction holds the one connection, and the measure is then read through it.)
followMeasure(CUTOFF_MEASURE, async (tx, deps) => {
  forgetCutoffs(deps);
  await ensureNextCutoff(tx, deps);
});

/**
 * health.settings counts only on a root unit: the settings are the whole deployment's. The roots
 * the actor holds it on are where the cut-off measure is read and set.
 */
function settingsRoots(ctx: Ctx): number[] {
  const actor = requireActor(ctx.actor);
  const roots = actor.grants.filter((g) => roleHas(g.role, 'health.settings') && isRootPath(g.path)).map((g) => g.unitId);
  if (roots.length === 0) throw errors.forbidden();
  return [...new Set(roots)];
}

/** The settings, for whoever may change them. */
export async function getHealthSettings(deps: Deps, ctx: Ctx): Promise<HealthSettings> {
  return healthSettings(deps.db, deps, settingsRoots(ctx)[0]);
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
  const roots = settingsRoots(ctx);
  const times = [...input.reminderTimes].sort();
  const cutoff = minutesOfHHMM(input.cutoff);
  // A reminder after the lock would ask people to do what they no longer can.
  if (times.some((t) => minutesOfHHMM(t) >= cutoff)) throw errors.validation({ reminderTimes: 'every reminder time must be before the cut-off' });
  const next: HealthSettings = { ...input, reminderTimes: times };
  return transact(deps, ctx, async (tx) => {
    const before = await healthSettings(tx, deps, roots[0]);
    const now = deps.clock.now();
    // The cut-off is the root's measure, from today: set at every root, through the measures module,
    // whose change moves the cut-off report (the follower above).
    if (next.cutoff !== before.cutoff) for (const root of roots) await setMeasureIn(tx, deps, ctx, root, CUTOFF_MEASURE, { value: next.cutoff });
    await putSetting(tx, REMINDER_TIMES_SETTING, next.reminderTimes, now);
    await putSetting(tx, DIGEST_SETTING, next.digestTime, now);
    await putSetting(tx, WATCH_DAYS_SETTING, next.watchDays, now);
    await putSetting(tx, RETENTION_SETTING, next.retentionDays, now);
    await rescheduleDaily(tx, deps, digestJob, minutesOfHHMM(next.digestTime));
    await ensureNextReminder(tx, deps, next.reminderTimes);
    await recordAudit(tx, deps, ctx, { action: 'settings.health.updated', entity: 'settings', entityId: 'health', before, after: next });
    return next;
  });
}
