import { addDays, dayOf, startOfDay } from '../../../common/day.js';
import type { DutyLog, DutyLogEntry, Handover, HandoverPut } from '../../../common/schemas/duty.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor } from '../org/org.policy.js';
import { entriesFromSources } from './duty.log.js';
import { HANDOVER_GRACE_MS, canWriteDuty, isOn } from './duty.policy.js';
import { presentHandover, presentShifts } from './duty.present.js';
import { unitFor, visibleShift } from './duty.service.js';
import * as store from './duty.store.js';

/** A shift's own handover note, or null. */
export async function getHandover(deps: Deps, ctx: Ctx, shiftId: number): Promise<{ handover: Handover | null }> {
  const actor = requireActor(ctx.actor);
  const shift = await visibleShift(deps.db, actor, shiftId);
  const h = await store.handoverOfShift(deps.db, shift.id);
  return { handover: h ? presentHandover(h) : null };
}

/** The note the previous shift of the unit (the last one ended by this one's start) left for this one. */
export async function previousHandover(deps: Deps, ctx: Ctx, shiftId: number): Promise<{ handover: Handover | null }> {
  const actor = requireActor(ctx.actor);
  const shift = await visibleShift(deps.db, actor, shiftId);
  const prev = await store.previousShift(deps.db, shift.unit_id, shift.starts_at);
  const h = prev ? await store.handoverOfShift(deps.db, prev.id) : undefined;
  return { handover: h ? presentHandover(h) : null };
}

/**
 * Write (or rewrite) a shift's handover note (交接班): the people on the shift, or duty.write over
 * its unit, from the shift's start until 12 hours after its end.
 */
export async function putHandover(deps: Deps, ctx: Ctx, shiftId: number, input: HandoverPut): Promise<Handover> {
  const actor = requireActor(ctx.actor);
  const shift = await visibleShift(deps.db, actor, shiftId);
  const members = await store.membersOf(deps.db, [shift.id]);
  if (!isOn(actor, members.map((m) => m.person_id)) && !canWriteDuty(actor, shift.unit_path)) throw errors.forbidden();
  const now = deps.clock.now();
  if (now < shift.starts_at) throw errors.conflict('the shift has not started');
  if (now > shift.ends_at + HANDOVER_GRACE_MS) throw errors.conflict('too late: the handover is written by 12 hours after the shift ends');
  return transact(deps, ctx, async (tx) => {
    const before = await store.handoverOfShift(tx, shift.id);
    const how = await store.upsertHandover(tx, { shift_id: shift.id, unit_id: shift.unit_id, body: input.body, author_person_id: actor.personId, author_user_id: actor.userId, now });
    await recordAudit(tx, deps, ctx, { action: how === 'written' ? 'duty.handover_written' : 'duty.handover_rewritten', entity: 'duty_shift', entityId: shift.id, unitId: shift.unit_id, before: before ? { body: before.body } : undefined, after: { body: input.body } });
    return presentHandover((await store.handoverOfShift(tx, shift.id))!);
  });
}

/**
 * The duty log of a unit's day (值班日志): the shifts overlapping the day with their people, their
 * handovers, and one line per shift start and handover, with the entries other modules add
 * (duty.log.ts), in time order.
 */
export async function dutyLog(deps: Deps, ctx: Ctx, unitId: number, day?: string): Promise<DutyLog> {
  const actor = requireActor(ctx.actor);
  const unit = await unitFor(deps, actor, unitId, 'duty.read');
  const tz = deps.config.timeZone;
  const d = day ?? dayOf(deps.clock.now(), tz);
  const from = startOfDay(d, tz);
  const to = startOfDay(addDays(d, 1), tz);
  const rows = await store.shiftsOverlapping(deps.db, unit.id, from, to);
  const shifts = await presentShifts(deps.db, actor, rows, deps.clock.now());
  const handovers = (await store.handoversOfShifts(deps.db, rows.map((r) => r.id))).map(presentHandover);
  const entries: DutyLogEntry[] = [];
  for (const s of shifts) {
    if (s.startsAt >= from && s.startsAt < to) {
      const names = (list: { name: string }[]) => list.map((p) => p.name).join('、') || '-';
      entries.push({ at: s.startsAt, source: 'duty', kind: 'shift_start', title: `接班 Shift starts`, detail: `带班领导 ${names(s.leaders)}；值班员 ${names(s.officers)}`, ref: { entity: 'duty_shift', id: s.id } });
    }
  }
  for (const h of handovers) if (h.writtenAt >= from && h.writtenAt < to) entries.push({ at: h.writtenAt, source: 'duty', kind: 'handover', title: '交接班 Handover', detail: h.body, ref: { entity: 'duty_shift', id: h.shiftId } });
  entries.push(...(await entriesFromSources(deps.db, { unitId: unit.id, unitPath: unit.path, from, to })));
  entries.sort((a, b) => a.at - b.at);
  return { unitId: unit.id, unitName: unit.name, day: d, from, to, shifts, handovers, entries };
}
