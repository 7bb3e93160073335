import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { systemCtx } from '../../http/actor.js';
import { enqueueJob } from '../../jobs/jobs.js';
import { recordAudit } from '../audit/audit.service.js';
import { localDateTime } from '../../../common/day.js';
import { notifyPeople, notifyUnitRole } from '../notify/notify.service.js';
import { coverageGaps } from './duty.gaps.js';
import * as store from './duty.store.js';

/**
 * The durable work of rosters.
 *
 * Reminders: one job row per shift and start time (`duty.remind:<shiftId>:<startsAt>`), written in
 * the transaction that creates or re-times the shift, due REMINDER_LEAD_MS before the start. The
 * handler marks the shift reminded (reminded_at, only if still unmarked and still starting then)
 * in the same transaction as the notices: a job run twice, or a shift re-timed meanwhile, tells
 * nobody twice. A re-timed shift gets a new row for its new start and its mark is cleared.
 *
 * Coverage: a recurring job (hourly) looks 7 days ahead at every unit that keeps duty and tells the
 * unit head of each gap not told before (duty_gap_alerts): once per gap, not once per run.
 */
export const REMIND_SHIFT_JOB = 'duty.remind';
export const GAP_CHECK_JOB = 'duty.gaps';
/** How long before a shift starts its people are reminded: a constant, documented in docs/duty.md. */
export const REMINDER_LEAD_MS = 2 * 3_600_000;
export const GAP_CHECK_INTERVAL_MS = 60 * 60_000;

/** Write the reminder row of a shift (nothing when it has started). */
export async function scheduleShiftReminder(tx: Conn, deps: Deps, shift: { id: number; starts_at: number }): Promise<void> {
  const now = deps.clock.now();
  if (shift.starts_at <= now) return;
  await enqueueJob(tx, now, {
    kind: REMIND_SHIFT_JOB,
    key: `${REMIND_SHIFT_JOB}:${shift.id}:${shift.starts_at}`,
    payload: { shiftId: shift.id, startsAt: shift.starts_at },
    runAt: Math.max(now, shift.starts_at - REMINDER_LEAD_MS),
    maxAttempts: 5,
  });
}

/** Remind these people of the shift they are on (in the caller's transaction). */
export async function remindPeopleOfShift(
  tx: Conn,
  deps: Deps,
  shift: { id: number; unit_name: string; starts_at: number; ends_at: number },
  people: readonly { personId: number; role: 'leader' | 'officer' }[],
): Promise<void> {
  const tz = deps.config.timeZone;
  for (const role of ['leader', 'officer'] as const) {
    const ids = people.filter((p) => p.role === role).map((p) => p.personId);
    if (ids.length === 0) continue;
    await notifyPeople(tx, deps, ids, {
      kind: 'duty.reminder',
      params: { unit: shift.unit_name, dutyRole: role, start: localDateTime(shift.starts_at, tz), end: localDateTime(shift.ends_at, tz) },
      unitId: null,
      entity: 'duty_shift',
      entityId: String(shift.id),
      link: '/m/shifts',
    });
  }
}

/** `duty.remind` {shiftId, startsAt}: remind the shift's people once, if it still starts then and has not started. */
export async function handleShiftReminder(deps: Deps, payload: unknown): Promise<void> {
  const { shiftId, startsAt } = (payload ?? {}) as { shiftId?: number; startsAt?: number };
  if (typeof shiftId !== 'number' || typeof startsAt !== 'number') throw new Error(`${REMIND_SHIFT_JOB}: bad payload`);
  // Once it has started a reminder is no use.
  if (deps.clock.now() >= startsAt) return;
  await transact(deps, systemCtx, async (tx) => {
    const now = deps.clock.now();
    const shift = await store.findShift(tx, shiftId);
    if (!shift || !(await store.markShiftReminded(tx, shiftId, startsAt, now))) return;
    const members = await store.membersOf(tx, [shiftId]);
    await remindPeopleOfShift(
      tx,
      deps,
      shift,
      members.map((m) => ({ personId: m.person_id, role: m.role === 'leader' ? 'leader' : 'officer' })),
    );
    await recordAudit(tx, deps, systemCtx, { action: 'duty.shift_reminded', entity: 'duty_shift', entityId: shiftId, unitId: shift.unit_id, after: { people: members.length, startsAt } });
  });
}

/** `duty.gaps` (recurring): tell each unit head of the coverage gaps in the coming week not told before. */
export async function checkCoverageGaps(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const rosters = await deps.db.selectFrom('duty_rosters').innerJoin('units', 'units.id', 'duty_rosters.unit_id').select(['units.id', 'units.name', 'units.path']).where('units.archived_at', 'is', null).execute();
  const gaps = await coverageGaps(
    deps.db,
    rosters.map((r) => ({ id: r.id, name: r.name })),
    now,
  );
  let told = 0;
  const tz = deps.config.timeZone;
  for (const g of gaps) {
    await transact(deps, systemCtx, async (tx) => {
      // A gap overlapping one already told is the same gap, perhaps grown or partly filled since.
      if (await store.gapAlreadyAlerted(tx, g.unitId, g.role, g.startsAt, g.endsAt)) return;
      if (!(await store.insertGapAlert(tx, { unit_id: g.unitId, role: g.role, starts_at: g.startsAt, ends_at: g.endsAt, alerted_at: now }))) return;
      await notifyUnitRole(tx, deps, g.unitId, ['unit_head'], {
        kind: g.role === 'leader' ? 'duty.gap_leader' : 'duty.gap_officer',
        params: { unit: g.unitName, start: localDateTime(g.startsAt, tz), end: localDateTime(g.endsAt, tz) },
        unitId: g.unitId,
        entity: 'duty_roster',
        entityId: String(g.unitId),
        link: `/duty/rosters?unitId=${g.unitId}`,
      });
      await recordAudit(tx, deps, systemCtx, { action: 'duty.gap_alerted', entity: 'duty_roster', entityId: g.unitId, unitId: g.unitId, after: { role: g.role, startsAt: g.startsAt, endsAt: g.endsAt } });
      told++;
    });
  }
  // A told gap that no current gap overlaps any more was filled (or is past): forget it, so a hole
  // opening there later is told as the new gap it is.
  const current = new Map<string, typeof gaps>();
  for (const g of gaps) current.set(`${g.unitId}:${g.role}`, [...(current.get(`${g.unitId}:${g.role}`) ?? []), g]);
  const alerted = await store.gapAlertsOf(
    deps.db,
    rosters.map((r) => r.id),
  );
  const closed = alerted.filter((a) => !(current.get(`${a.unit_id}:${a.role}`) ?? []).some((g) => g.startsAt < a.ends_at && g.endsAt > a.starts_at));
  if (closed.length > 0) await store.deleteGapAlerts(deps.db, closed);
  return told;
}
