import type { Day } from '../../../common/day.js';
import { minutesOfHHMM, type ReminderSent } from '../../../common/schemas/reminders.js';
import type { Conn } from '../../db/database.js';
import type { JobRow } from '../../db/schema.js';
import { nearestUp } from '../../db/tree.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, systemCtx, type Ctx } from '../../http/actor.js';
import { AppError, errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { hasScheduledRun, unitsWithChannels } from '../notify/notify.store.js';
import { addSummary, claimScheduledRun, emptySummary, notifyPeople, notifyPeopleInApp, notifyRobotsAboutPeople, type PeopleSummary } from '../notify/notify.service.js';
import { requireActor } from '../org/org.policy.js';
import { findUnit } from '../org/units.store.js';
import { todayOf } from './checkins.service.js';
import { healthSettings } from './health-settings.service.js';
import { CUTOFF_MEASURE, lockedFrom } from './health.policy.js';
import { effectiveMeasure } from '../measures/measures.effective.js';
import { ensureNextReminder, latestReminderToday, remindKey } from './reminders.plan.js';
import * as store from './reminders.store.js';

export { healthSettings };

/**
 * Chasing non-reporters: the liaison's one action over a subtree, the reminders at the times the
 * command office set, and at the cut-off the list of who is still missing to each unit's head.
 */

/** The reminder of a day's check-in; its robot message goes to the unit's robots. */
const reminderOf = (day: Day, unitId: number | null) => ({ kind: 'checkin.reminder', params: { day }, unitId, entity: 'checkin_day', entityId: day, link: '/m' });

/** A liaison may not send the same subtree a second reminder within this long. */
export const REMINDER_GAP_MS = 10 * 60_000;

const hhmm = (ms: number, timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));

/** People grouped by the nearest unit (their own or an ancestor) that has chat robots; null: none above them has. */
function byRobotUnit(people: readonly store.MissingPerson[], robots: ReadonlySet<number>): Map<number | null, number[]> {
  const groups = new Map<number | null, number[]>();
  for (const p of people) {
    const at = nearestUp(p.unit_path, (id) => robots.has(id)) ?? null;
    const group = groups.get(at);
    if (group) group.push(p.id);
    else groups.set(at, [p.id]);
  }
  return groups;
}

/**
 * Remind the missing people, each robot naming the people of its own subtree (nobody is named
 * twice); people under no robot are reminded in-app only. Returns the in-app reminders written.
 */
async function remindMissing(tx: Conn, deps: Deps, missing: readonly store.MissingPerson[], day: Day): Promise<number> {
  let notified = 0;
  for (const [unitId, ids] of byRobotUnit(missing, await unitsWithChannels(tx))) notified += await notifyPeople(tx, deps, ids, reminderOf(day, unitId));
  return notified;
}

/** Remind today's non-reporters of a subtree now: health.write over the unit, at most once per 10 minutes per unit. */
export async function sendReminders(deps: Deps, ctx: Ctx, input: { unitId: number }): Promise<ReminderSent> {
  const actor = requireActor(ctx.actor);
  const unit = await findUnit(deps.db, input.unitId);
  // Named in the body: a unit the actor cannot see is a bad field, not a missing page.
  if (!unit || !can(actor, 'units.read', unit.path) || !can(actor, 'health.read', unit.path)) throw errors.validation({ unitId: 'no such unit' });
  if (!can(actor, 'health.write', unit.path)) throw errors.forbidden();
  const now = deps.clock.now();
  const tz = deps.config.timeZone;
  const day = todayOf(deps);
  // The unit's own cut-off: a unit above it may have tightened the organisation's (a measure).
  const cutoff = await effectiveMeasure(deps, CUTOFF_MEASURE, unit.id, day);
  if (now >= lockedFrom(day, cutoff.stored, tz)) throw errors.conflict(`today's check-ins closed at ${String(cutoff.value)}; there is nothing left to remind anyone of`);
  return transact(deps, ctx, async (tx) => {
    if (!(await store.claimReminderSlot(tx, unit.id, actor.userId, now, now - REMINDER_GAP_MS))) {
      const last = (await store.lastReminder(tx, unit.id)) ?? now;
      const wait = Math.max(1, Math.ceil((last + REMINDER_GAP_MS - now) / 1000));
      throw new AppError(
        'conflict',
        `a reminder was already sent to ${unit.name} at ${hhmm(last, tz)}; the next one can go at ${hhmm(last + REMINDER_GAP_MS, tz)}`,
        { unitId: 'reminded_recently' },
        { 'retry-after': String(wait) },
      );
    }
    const missing = await store.missingOn(tx, day, [unit.path]);
    const notified = await remindMissing(tx, deps, missing, day);
    await recordAudit(tx, deps, ctx, { action: 'checkins.reminded', entity: 'unit', entityId: unit.id, unitId: unit.id, note: { day, people: missing.length, inApp: notified } });
    return { sent: missing.length, day };
  });
}

/** People per transaction of a scheduled reminder: each batch holds the writer for a few tens of milliseconds. */
export const REMIND_BATCH = 2000;

/**
 * The scheduled reminder of everyone not yet checked in, once per day and time. At 09:00 the whole
 * organisation is due (100,000 people took 1.25 s in one transaction on SQLite, time the morning's
 * check-ins would wait), so it goes in batches, each its own short transaction: a batch is a range
 * of person ids, fixed whatever changes between runs, claimed in the transaction that sends it, so
 * a run cut short by a crash sends the ranges it had not reached and nobody twice. The robots get
 * one message each at the end, with the run's audit row. Returns the people reminded.
 */
export async function remindOrganisation(deps: Deps, day: Day, time: string): Promise<number> {
  const key = remindKey(day, time);
  if (await hasScheduledRun(deps.db, key)) return 0;
  const [missing, robots] = await Promise.all([store.missingOn(deps.db, day, null), unitsWithChannels(deps.db)]);
  const ranges = new Map<number, store.MissingPerson[]>();
  for (const p of missing) {
    const k = Math.floor(p.id / REMIND_BATCH);
    const range = ranges.get(k);
    if (range) range.push(p);
    else ranges.set(k, [p]);
  }
  const summaries = new Map<number | null, PeopleSummary>();
  let people = 0;
  let inApp = 0;
  for (const [k, range] of [...ranges].sort((x, y) => x[0] - y[0])) {
    await transact(deps, systemCtx, async (tx) => {
      if (!(await claimScheduledRun(tx, deps, `${key}#${k}`))) return;
      for (const [unitId, ids] of byRobotUnit(range, robots)) {
        const r = await notifyPeopleInApp(tx, deps, ids, reminderOf(day, unitId));
        inApp += r.written;
        summaries.set(unitId, addSummary(summaries.get(unitId) ?? emptySummary(), r.summary));
      }
      people += range.length;
    });
    // Let the check-ins queued behind this batch in before the next one.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return transact(deps, systemCtx, async (tx) => {
    if (!(await claimScheduledRun(tx, deps, key))) return 0;
    for (const [unitId, summary] of summaries) if (unitId !== null) await notifyRobotsAboutPeople(tx, deps, summary, reminderOf(day, unitId));
    await recordAudit(tx, deps, systemCtx, { action: 'checkins.reminded', entity: 'checkin_day', entityId: day, note: { day, time, people, inApp } });
    return people;
  });
}

/**
 * The handler of a reminder row. It first plans the next time, then reminds as the latest time of
 * today that has come: a row fired late after a restart reminds once for the latest time missed
 * (09:00 and 10:30 both passed while down: one reminder, as 10:30). A time removed or moved later
 * since the row was planned finds no time that has come after it and does nothing; nor does
 * anything happen once the day's check-ins are closed.
 */
export async function handleReminderJob(deps: Deps, _payload: unknown, job: JobRow): Promise<void> {
  const s = await healthSettings(deps.db, deps);
  await ensureNextReminder(deps.db, deps, s.reminderTimes);
  const now = deps.clock.now();
  const latest = latestReminderToday(now, s.reminderTimes, deps.config.timeZone);
  if (!latest || latest.at < Number(job.run_at)) return;
  if (now >= lockedFrom(latest.day, minutesOfHHMM(s.cutoff), deps.config.timeZone)) return;
  await remindOrganisation(deps, latest.day, latest.time);
}

/** At server start: the next reminder's row exists (a fresh install, or times set while no row was pending). */
export async function planReminders(deps: Deps): Promise<void> {
  await ensureNextReminder(deps.db, deps, (await healthSettings(deps.db, deps)).reminderTimes);
}
