import type { z } from 'zod';
import { MAX_SHIFT_HOURS, MAX_SHIFT_RANGE_DAYS, MAX_GENERATE_DAYS, type GenerateRequest, type GenerateResult, type Roster, type RosterListQuery, type RosterPut, type Shift, type ShiftCreate, type ShiftListQuery, type ShiftPatch } from '../../../common/schemas/duty.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor } from '../org/org.policy.js';
import { findUnit } from '../org/units.store.js';
import { remindPeopleOfShift, scheduleShiftReminder } from './duty.jobs.js';
import { daysBetween, patternProblems, planShifts } from './duty.pattern.js';
import { canReadDuty, canWriteDuty, isOn } from './duty.policy.js';
import { presentRoster, presentShifts, shiftAuditView } from './duty.present.js';
import * as store from './duty.store.js';

const H = 3_600_000;
const DAY = 24 * H;

// ── lookups shared by the duty services ────────────────────────────────────────────────────────

/** A unit the actor holds `read` over (404 otherwise), for a path parameter or query. */
export async function unitFor(deps: Deps, actor: Actor, unitId: number, permission: 'duty.read' | 'duty.write', field?: string) {
  const unit = await findUnit(deps.db, unitId);
  if (!unit || unit.archived_at !== null || !canReadDuty(actor, unit.path)) throw field ? errors.validation({ [field]: 'unit not found' }) : errors.notFound('unit');
  if (permission === 'duty.write' && !canWriteDuty(actor, unit.path)) throw errors.forbidden();
  return unit;
}

/** A shift the actor may see (duty.read over its unit, or on it); 404 otherwise. */
export async function visibleShift(db: Conn, actor: Actor, id: number) {
  const shift = await store.findShift(db, id);
  if (!shift) throw errors.notFound('shift');
  if (canReadDuty(actor, shift.unit_path)) return shift;
  const members = await store.membersOf(db, [id]);
  if (!isOn(actor, members.map((m) => m.person_id))) throw errors.notFound('shift');
  return shift;
}

/**
 * The people named for a shift: each must exist, be active and lie within the editor's scope
 * (people.read or duty.write over their unit); a bad id is a validation error on the field.
 */
async function assertPeople(db: Conn, actor: Actor, ids: readonly number[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const rows = await db.selectFrom('people').innerJoin('units', 'units.id', 'people.unit_id').select(['people.id', 'people.status', 'units.path']).where('people.id', 'in', [...new Set(ids)]).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const p = byId.get(id);
    if (!p || !(can(actor, 'people.read', p.path) || can(actor, 'duty.write', p.path))) throw errors.validation({ [field]: `person ${id} not found` });
    if (p.status !== 'active') throw errors.validation({ [field]: `person ${id} has left` });
  }
}

function assertTimes(startsAt: number, endsAt: number, now: number): void {
  if (endsAt <= startsAt) throw errors.validation({ endsAt: 'must be after startsAt' });
  if (endsAt - startsAt > MAX_SHIFT_HOURS * H) throw errors.validation({ endsAt: `a shift lasts at most ${MAX_SHIFT_HOURS} hours` });
  if (endsAt <= now) throw errors.validation({ endsAt: 'must be in the future' });
}

async function assertNoOverlap(db: Conn, unitId: number, startsAt: number, endsAt: number, exceptId?: number): Promise<void> {
  const clash = await store.shiftsOverlapping(db, unitId, startsAt, endsAt, exceptId);
  if (clash.length > 0) throw errors.conflict(`overlaps shift ${clash[0]!.id} of the unit`, { startsAt: `overlaps shift ${clash[0]!.id}` });
}

/** A unit keeps duty once it has a roster: adding shifts to a unit makes it keep duty. */
async function ensureRoster(tx: Conn, deps: Deps, ctx: Ctx, unitId: number): Promise<void> {
  if (!(await store.findRoster(tx, unitId))) {
    await store.insertRoster(tx, { unit_id: unitId, note: null, created_by_user_id: ctx.actor?.userId ?? null, now: deps.clock.now() });
    await recordAudit(tx, deps, ctx, { action: 'duty.roster_created', entity: 'duty_roster', entityId: unitId, unitId });
  }
  await store.lockRoster(tx, unitId);
}

// ── rosters ────────────────────────────────────────────────────────────────────────────────────

/** The units that keep duty in the actor's duty.read scope, or in one visible unit's subtree. */
export async function listRosters(deps: Deps, ctx: Ctx, q: z.infer<typeof RosterListQuery>): Promise<{ items: Roster[] }> {
  const actor = requireActor(ctx.actor);
  let paths = scopeFor(actor, 'duty.read');
  if (paths.length === 0) throw errors.forbidden();
  if (q.unitId !== undefined) paths = [(await unitFor(deps, actor, q.unitId, 'duty.read')).path];
  const rows = await store.rostersIn(deps.db, paths);
  return { items: rows.map((r) => presentRoster(actor, r)) };
}

/** Make a unit keep duty, or change its roster's note. */
export async function putRoster(deps: Deps, ctx: Ctx, unitId: number, input: RosterPut): Promise<Roster> {
  const actor = requireActor(ctx.actor);
  const unit = await unitFor(deps, actor, unitId, 'duty.write');
  return transact(deps, ctx, async (tx) => {
    const before = await store.findRoster(tx, unit.id);
    const now = deps.clock.now();
    if (before) await store.updateRoster(tx, unit.id, { note: input.note, updated_at: now });
    else await store.insertRoster(tx, { unit_id: unit.id, note: input.note, created_by_user_id: actor.userId, now });
    await recordAudit(tx, deps, ctx, { action: before ? 'duty.roster_updated' : 'duty.roster_created', entity: 'duty_roster', entityId: unit.id, unitId: unit.id, before: before ? { note: before.note } : undefined, after: { note: input.note } });
    return presentRoster(actor, (await store.findRoster(tx, unit.id))!);
  });
}

/** Stop keeping duty at a unit: only once no shift of it lies ahead (remove them first). */
export async function deleteRoster(deps: Deps, ctx: Ctx, unitId: number): Promise<{ ok: true }> {
  const actor = requireActor(ctx.actor);
  const unit = await unitFor(deps, actor, unitId, 'duty.write');
  return transact(deps, ctx, async (tx) => {
    const roster = await store.findRoster(tx, unit.id);
    if (!roster) throw errors.notFound('roster');
    const ahead = await store.shiftsOverlapping(tx, unit.id, deps.clock.now(), Number.MAX_SAFE_INTEGER);
    if (ahead.length > 0) throw errors.conflict(`the unit still has ${ahead.length} shifts ahead; remove them first`);
    await store.deleteRoster(tx, unit.id);
    await recordAudit(tx, deps, ctx, { action: 'duty.roster_deleted', entity: 'duty_roster', entityId: unit.id, unitId: unit.id, before: { note: roster.note } });
    return { ok: true as const };
  });
}

/**
 * Fill local days [from, to] from a pattern, in one transaction. Shifts there that have not started,
 * were not changed by a swap and have no open swap are replaced; the others are kept and a planned
 * shift overlapping one is skipped, as is a planned shift already over.
 */
export async function generateRange(deps: Deps, ctx: Ctx, unitId: number, input: GenerateRequest): Promise<GenerateResult> {
  const actor = requireActor(ctx.actor);
  const unit = await unitFor(deps, actor, unitId, 'duty.write');
  if (input.to < input.from) throw errors.validation({ to: 'must not be before from' });
  if (daysBetween(input.from, input.to).length > MAX_GENERATE_DAYS) throw errors.validation({ to: `at most ${MAX_GENERATE_DAYS} days at once` });
  const problems = patternProblems(input.pattern);
  if (problems) throw errors.validation(problems);
  await assertPeople(deps.db, actor, input.pattern.leaderIds, 'pattern.leaderIds');
  await assertPeople(deps.db, actor, input.pattern.officerIds, 'pattern.officerIds');
  const planned = planShifts(input.pattern, input.from, input.to, deps.config.timeZone);
  const from = planned[0]!.startsAt;
  const to = planned[planned.length - 1]!.endsAt;

  const run = async (tx: Conn): Promise<GenerateResult> => {
    if (!input.dryRun) await ensureRoster(tx, deps, ctx, unit.id);
    const now = deps.clock.now();
    const existing = await store.shiftsOverlapping(tx, unit.id, from, to);
    const inSwap = await store.shiftsWithOpenSwaps(
      tx,
      existing.map((s) => s.id),
    );
    const replaceable = existing.filter((s) => s.starts_at > now && s.swapped_at === null && !inSwap.has(s.id));
    const replaceIds = new Set(replaceable.map((s) => s.id));
    const kept = existing.filter((s) => !replaceIds.has(s.id));
    const toCreate = planned.filter((p) => p.endsAt > now && !kept.some((k) => k.starts_at < p.endsAt && k.ends_at > p.startsAt));
    const result: GenerateResult = { created: toCreate.length, replaced: replaceable.length, kept: kept.length, skipped: planned.length - toCreate.length, from, to, dryRun: input.dryRun };
    if (input.dryRun) return result;
    await store.deleteShifts(tx, [...replaceIds]);
    const members: { shiftId: number; leaderIds: number[]; officerIds: number[] }[] = [];
    for (const p of toCreate) {
      const s = await store.insertShift(tx, { unit_id: unit.id, starts_at: p.startsAt, ends_at: p.endsAt, note: input.note ?? null, source: 'generated', created_by_user_id: actor.userId }, now);
      members.push({ shiftId: s.id, leaderIds: p.leaderIds, officerIds: p.officerIds });
      await scheduleShiftReminder(tx, deps, s);
    }
    await store.insertMembers(tx, members);
    await store.updateRoster(tx, unit.id, { pattern: JSON.stringify(input.pattern), updated_at: now });
    await recordAudit(tx, deps, ctx, {
      action: 'duty.roster_generated',
      entity: 'duty_roster',
      entityId: unit.id,
      unitId: unit.id,
      before: { replacedShiftIds: [...replaceIds] },
      after: { from: input.from, to: input.to, pattern: input.pattern, created: result.created, replaced: result.replaced, kept: result.kept, skipped: result.skipped },
    });
    return result;
  };
  return input.dryRun ? run(deps.db) : transact(deps, ctx, run);
}

// ── shifts ─────────────────────────────────────────────────────────────────────────────────────

/** One unit's shifts overlapping [from, to). */
export async function listShifts(deps: Deps, ctx: Ctx, q: z.infer<typeof ShiftListQuery>): Promise<{ items: Shift[] }> {
  const actor = requireActor(ctx.actor);
  const unit = await unitFor(deps, actor, q.unitId, 'duty.read');
  if (q.to <= q.from) throw errors.validation({ to: 'must be after from' });
  if (q.to - q.from > MAX_SHIFT_RANGE_DAYS * DAY) throw errors.validation({ to: `at most ${MAX_SHIFT_RANGE_DAYS} days at once` });
  const rows = await store.shiftsOverlapping(deps.db, unit.id, q.from, q.to);
  return { items: await presentShifts(deps.db, actor, rows, deps.clock.now()) };
}

export async function getShift(deps: Deps, ctx: Ctx, id: number): Promise<Shift> {
  const actor = requireActor(ctx.actor);
  const shift = await visibleShift(deps.db, actor, id);
  return (await presentShifts(deps.db, actor, [shift], deps.clock.now()))[0]!;
}

/** Add one shift by hand (a holiday, a change of plan); the unit then keeps duty. */
export async function createShift(deps: Deps, ctx: Ctx, input: ShiftCreate): Promise<Shift> {
  const actor = requireActor(ctx.actor);
  const unit = await unitFor(deps, actor, input.unitId, 'duty.write', 'unitId');
  assertTimes(input.startsAt, input.endsAt, deps.clock.now());
  if (input.leaderIds.some((id) => input.officerIds.includes(id))) throw errors.validation({ officerIds: 'a person may not be both leader and officer of a shift' });
  await assertPeople(deps.db, actor, input.leaderIds, 'leaderIds');
  await assertPeople(deps.db, actor, input.officerIds, 'officerIds');
  return transact(deps, ctx, async (tx) => {
    await ensureRoster(tx, deps, ctx, unit.id);
    await assertNoOverlap(tx, unit.id, input.startsAt, input.endsAt);
    const now = deps.clock.now();
    const s = await store.insertShift(tx, { unit_id: unit.id, starts_at: input.startsAt, ends_at: input.endsAt, note: input.note ?? null, source: 'manual', created_by_user_id: actor.userId }, now);
    await store.insertMembers(tx, [{ shiftId: s.id, leaderIds: input.leaderIds, officerIds: input.officerIds }]);
    await scheduleShiftReminder(tx, deps, s);
    await recordAudit(tx, deps, ctx, { action: 'duty.shift_created', entity: 'duty_shift', entityId: s.id, unitId: unit.id, after: shiftAuditView(s, input.leaderIds, input.officerIds) });
    const row = (await store.findShift(tx, s.id))!;
    return (await presentShifts(tx, actor, [row], now))[0]!;
  });
}

/** Change a shift's times, people or note (not once it has ended; its start not once it has started). */
export async function updateShift(deps: Deps, ctx: Ctx, id: number, patch: ShiftPatch): Promise<Shift> {
  const actor = requireActor(ctx.actor);
  const shift = await visibleShift(deps.db, actor, id);
  if (!canWriteDuty(actor, shift.unit_path)) throw errors.forbidden();
  const now = deps.clock.now();
  if (shift.ends_at <= now) throw errors.conflict('the shift is over');
  if (patch.startsAt !== undefined && patch.startsAt !== shift.starts_at && shift.starts_at <= now) throw errors.validation({ startsAt: 'the shift has started' });
  const startsAt = patch.startsAt ?? shift.starts_at;
  const endsAt = patch.endsAt ?? shift.ends_at;
  assertTimes(startsAt, endsAt, now);
  const before = await store.membersOf(deps.db, [id]);
  const leaderIds = patch.leaderIds ?? before.filter((m) => m.role === 'leader').map((m) => m.person_id);
  const officerIds = patch.officerIds ?? before.filter((m) => m.role === 'officer').map((m) => m.person_id);
  if (leaderIds.some((p) => officerIds.includes(p))) throw errors.validation({ [patch.officerIds ? 'officerIds' : 'leaderIds']: 'a person may not be both leader and officer of a shift' });
  if (patch.leaderIds) await assertPeople(deps.db, actor, patch.leaderIds, 'leaderIds');
  if (patch.officerIds) await assertPeople(deps.db, actor, patch.officerIds, 'officerIds');
  return transact(deps, ctx, async (tx) => {
    await ensureRoster(tx, deps, ctx, shift.unit_id);
    await assertNoOverlap(tx, shift.unit_id, startsAt, endsAt, id);
    const retimed = startsAt !== shift.starts_at;
    await store.updateShift(tx, id, {
      starts_at: startsAt,
      ends_at: endsAt,
      ...(patch.note !== undefined ? { note: patch.note } : {}),
      // A new start is reminded anew.
      ...(retimed ? { reminded_at: null } : {}),
      updated_at: now,
    });
    if (patch.leaderIds || patch.officerIds) await store.replaceMembers(tx, id, leaderIds, officerIds);
    if (retimed) await scheduleShiftReminder(tx, deps, { id, starts_at: startsAt });
    // Someone put on a shift whose people were already reminded is reminded now, in the same change.
    else if (shift.reminded_at !== null && startsAt > now) {
      const had = new Set(before.map((m) => m.person_id));
      await remindPeopleOfShift(tx, deps, { ...shift, starts_at: startsAt, ends_at: endsAt }, [
        ...leaderIds.filter((p) => !had.has(p)).map((personId) => ({ personId, role: 'leader' as const })),
        ...officerIds.filter((p) => !had.has(p)).map((personId) => ({ personId, role: 'officer' as const })),
      ]);
    }
    await recordAudit(tx, deps, ctx, {
      action: 'duty.shift_updated',
      entity: 'duty_shift',
      entityId: id,
      unitId: shift.unit_id,
      before: shiftAuditView(
        shift,
        before.filter((m) => m.role === 'leader').map((m) => m.person_id),
        before.filter((m) => m.role === 'officer').map((m) => m.person_id),
      ),
      after: shiftAuditView({ starts_at: startsAt, ends_at: endsAt, note: patch.note !== undefined ? patch.note : shift.note }, leaderIds, officerIds),
    });
    const row = (await store.findShift(tx, id))!;
    return (await presentShifts(tx, actor, [row], now))[0]!;
  });
}

/** Remove a shift that has not started (with its closed swaps; an open swap must be settled first). */
export async function deleteShift(deps: Deps, ctx: Ctx, id: number): Promise<{ ok: true }> {
  const actor = requireActor(ctx.actor);
  const shift = await visibleShift(deps.db, actor, id);
  if (!canWriteDuty(actor, shift.unit_path)) throw errors.forbidden();
  return transact(deps, ctx, async (tx) => {
    if (shift.starts_at <= deps.clock.now()) throw errors.conflict('the shift has started');
    if ((await store.shiftsWithOpenSwaps(tx, [id])).size > 0) throw errors.conflict('the shift has an open swap; refuse or cancel it first');
    const members = await store.membersOf(tx, [id]);
    await store.deleteShifts(tx, [id]);
    await recordAudit(tx, deps, ctx, {
      action: 'duty.shift_deleted',
      entity: 'duty_shift',
      entityId: id,
      unitId: shift.unit_id,
      before: shiftAuditView(
        shift,
        members.filter((m) => m.role === 'leader').map((m) => m.person_id),
        members.filter((m) => m.role === 'officer').map((m) => m.person_id),
      ),
    });
    return { ok: true as const };
  });
}
