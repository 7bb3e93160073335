import { dayOf } from '../../../common/day.js';
import { MEALS, hhmmOf, minutesOf, type Plan, type PlanMove, type PlanPublish, type PlanRun, type PlanSummary } from '../../../common/schemas/dining.js';
import type { Conn } from '../../db/database.js';
import type { DiningPlanUnitRow } from '../../db/schema.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { effectiveMeasure } from '../measures/measures.effective.js';
import { notifyUnitRoleMany } from '../notify/notify.service.js';
import { requireActor } from '../org/org.policy.js';
import { parseWindows, visibleCanteen } from './canteens.service.js';
import * as canteens from './canteens.store.js';
import { dinerHeadcounts, keyOf } from './dining.headcounts.js';
import { planMeal, seatsPerSlot, slotsOf } from './dining.planner.js';
import { presentPlan, presentSummary } from './dining.present.js';
import * as store from './dining.store.js';

const today = (deps: Deps) => dayOf(deps.clock.now(), deps.config.timeZone);

async function plannable(deps: Deps, actor: Actor, canteenId: number) {
  const c = await visibleCanteen(deps.db, actor, canteenId);
  if (!can(actor, 'dining.plan', c.unit_path)) throw errors.forbidden();
  return c;
}

async function visiblePlan(db: Conn, canteenId: number, planId: number) {
  const p = await store.findPlan(db, canteenId, planId);
  if (!p) throw errors.notFound('plan');
  return p;
}

async function answer(db: Conn, actor: Actor, canteen: { name: string; unit_path: string }, canteenId: number, planId: number): Promise<Plan> {
  const p = (await store.findPlan(db, canteenId, planId))!;
  return presentPlan(actor, p, canteen, await store.planUnitsOf(db, [planId]));
}

/** A canteen's plans, newest first: the history. */
export async function listPlans(deps: Deps, ctx: Ctx, canteenId: number): Promise<{ items: PlanSummary[] }> {
  const actor = requireActor(ctx.actor);
  await visibleCanteen(deps.db, actor, canteenId);
  const plans = await store.plansOf(deps.db, canteenId);
  const counts = await store.planCounts(deps.db, plans.map((p) => p.id));
  return { items: plans.map((p) => presentSummary(p, counts.get(p.id))) };
}

/** One plan with every slot and the unplaced units. */
export async function getPlan(deps: Deps, ctx: Ctx, canteenId: number, planId: number): Promise<Plan> {
  const actor = requireActor(ctx.actor);
  const c = await visibleCanteen(deps.db, actor, canteenId);
  await visiblePlan(deps.db, canteenId, planId);
  return answer(deps.db, actor, c, canteenId, planId);
}

/**
 * Run the planner for a canteen and a day: seats per slot from the canteen.slot_density measure in
 * force at the canteen's unit that day, headcounts of today's people (nearest diner unit per meal).
 * Writes a draft with every unit placed or reported.
 */
export async function runPlan(deps: Deps, ctx: Ctx, canteenId: number, input: PlanRun): Promise<Plan> {
  const actor = requireActor(ctx.actor);
  const c = await plannable(deps, actor, canteenId);
  const day = input.day ?? today(deps);
  const density = (await effectiveMeasure(deps, 'canteen.slot_density', c.unit_id, day)).stored;
  const seats = seatsPerSlot(c.capacity, density);
  const windows = parseWindows(c.windows);
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await canteens.lockCanteen(tx, canteenId);
    const diners = await canteens.dinersOf(tx, [canteenId]);
    const counts = await dinerHeadcounts(tx, diners);
    const rows: DiningPlanUnitRow[] = [];
    for (const meal of MEALS) {
      const w = windows[meal];
      if (!w) continue;
      const canteenWindow = { from: minutesOf(w.from), to: minutesOf(w.to) };
      const units = diners
        .filter((d) => d.meal === meal)
        .map((d) => ({ unitId: d.unit_id, headcount: counts.get(keyOf(d.unit_id, meal)) ?? 0, window: d.window_from !== null && d.window_to !== null ? { from: d.window_from, to: d.window_to } : canteenWindow }));
      const plan = planMeal({ window: canteenWindow, slotMinutes: c.slot_minutes, seats, units });
      const reasons = new Map(plan.unplaced.map((u) => [u.unitId, u.reason]));
      for (const u of units) {
        const slot = plan.placed.has(u.unitId) ? plan.slots[plan.placed.get(u.unitId)!]! : null;
        rows.push({
          plan_id: 0,
          meal,
          unit_id: u.unitId,
          headcount: u.headcount,
          window_from: u.window.from,
          window_to: u.window.to,
          slot_start: slot?.start ?? null,
          slot_end: slot?.end ?? null,
          reason: slot ? null : reasons.get(u.unitId)!,
          forced_reason: null,
        });
      }
    }
    const planId = await store.insertPlan(tx, {
      canteen_id: canteenId,
      day,
      status: 'draft',
      from_day: null,
      until_day: null,
      density,
      capacity: c.capacity,
      seats_per_slot: seats,
      slot_minutes: c.slot_minutes,
      windows: c.windows,
      note: input.note ?? null,
      created_by_user_id: actor.userId,
      created_at: now,
      published_by_user_id: null,
      published_at: null,
      updated_at: now,
    });
    await store.insertPlanUnits(tx, rows.map((r) => ({ ...r, plan_id: planId })));
    const unplaced = rows.filter((r) => r.slot_start === null).length;
    await recordAudit(tx, deps, ctx, { action: 'dining_plan.created', entity: 'dining_plan', entityId: planId, unitId: c.unit_id, after: { canteenId, day, density: density / 100, seatsPerSlot: seats, placed: rows.length - unplaced, unplaced } });
    return answer(tx, actor, c, canteenId, planId);
  });
}

/**
 * Move a unit to another slot of a draft. Over the slot's seats it is refused naming the slot,
 * unless forced with a reason (a canteen that opens extra tables for one day, say): the reason is
 * kept beside the assignment and in the audit row. Outside the unit's own window it is refused.
 */
export async function moveUnit(deps: Deps, ctx: Ctx, canteenId: number, planId: number, input: PlanMove): Promise<Plan> {
  const actor = requireActor(ctx.actor);
  const c = await plannable(deps, actor, canteenId);
  return transact(deps, ctx, async (tx) => {
    await canteens.lockCanteen(tx, canteenId);
    const p = await visiblePlan(tx, canteenId, planId);
    if (p.status !== 'draft') throw errors.conflict('only a draft plan can be changed; run the planner again for a new one');
    const window = parseWindows(p.windows)[input.meal];
    if (!window) throw errors.validation({ meal: `the plan does not serve ${input.meal}` });
    const units = (await store.planUnitsOf(tx, [planId])).filter((u) => u.meal === input.meal);
    const unit = units.find((u) => u.unit_id === input.unitId);
    if (!unit) throw errors.validation({ unitId: `not a diner unit of this plan for ${input.meal}` });
    const start = minutesOf(input.slotStart);
    const slot = slotsOf({ from: minutesOf(window.from), to: minutesOf(window.to) }, p.slot_minutes).find((s) => s.start === start);
    if (!slot) throw errors.validation({ slotStart: `not the start of a ${input.meal} slot of this plan` });
    const label = `${hhmmOf(slot.start)}–${hhmmOf(slot.end)}`;
    if (slot.start < unit.window_from || slot.end > unit.window_to) throw errors.validation({ slotStart: `slot ${label} lies outside the unit's window ${hhmmOf(unit.window_from)}–${hhmmOf(unit.window_to)}` });
    const load = units.filter((u) => u.slot_start === start && u.unit_id !== unit.unit_id).reduce((n, u) => n + u.headcount, 0) + unit.headcount;
    const over = load > p.seats_per_slot;
    if (over && !input.force) throw errors.validation({ slotStart: `slot ${label} would have ${load} people for ${p.seats_per_slot} seats; force with a reason to allow it` });
    await store.movePlanUnit(tx, planId, input.meal, unit.unit_id, { slot_start: slot.start, slot_end: slot.end, reason: null, forced_reason: over ? input.reason! : null });
    await store.updatePlan(tx, planId, { updated_at: deps.clock.now() });
    await recordAudit(tx, deps, ctx, {
      action: 'dining_plan.unit_moved',
      entity: 'dining_plan',
      entityId: planId,
      unitId: c.unit_id,
      before: { unitId: unit.unit_id, meal: input.meal, slotStart: unit.slot_start === null ? null : hhmmOf(unit.slot_start) },
      after: { unitId: unit.unit_id, meal: input.meal, slotStart: input.slotStart, load, seats: p.seats_per_slot, ...(over ? { forced: input.reason } : {}) },
    });
    return answer(tx, actor, c, canteenId, planId);
  });
}

/**
 * Publish a draft from a day (default: the later of today and the plan's day). Every plan of the
 * canteen still in force on or after that day ends then (superseded; one that had not started yet
 * never comes into force), so exactly one plan is in force on any day. The diner units' liaisons
 * are told in-app in the same transaction.
 */
export async function publishPlan(deps: Deps, ctx: Ctx, canteenId: number, planId: number, input: PlanPublish): Promise<Plan> {
  const actor = requireActor(ctx.actor);
  const c = await plannable(deps, actor, canteenId);
  const now = today(deps);
  return transact(deps, ctx, async (tx) => {
    await canteens.lockCanteen(tx, canteenId);
    const p = await visiblePlan(tx, canteenId, planId);
    if (p.status !== 'draft') throw errors.conflict('the plan is already published');
    const fromDay = input.fromDay ?? (p.day > now ? p.day : now);
    if (fromDay < now) throw errors.validation({ fromDay: 'must not be before today: the plans of past days are history' });
    if (fromDay < p.day) throw errors.validation({ fromDay: `must not be before the day the plan was made for (${p.day})` });
    const ended = await store.endPlansFrom(tx, canteenId, fromDay, deps.clock.now());
    await store.updatePlan(tx, planId, { status: 'published', from_day: fromDay, published_by_user_id: actor.userId, published_at: deps.clock.now(), updated_at: deps.clock.now() });
    const units = await store.planUnitsOf(tx, [planId]);
    const told = [...new Map(units.map((u) => [u.unit_id, u.unit_name])).entries()];
    await notifyUnitRoleMany(
      tx,
      deps,
      ['liaison'],
      told.map(([unitId, unitName]) => ({
        unitId,
        n: { kind: 'dining.plan_published', params: { canteen: c.name, day: fromDay, unit: unitName }, unitId, entity: 'dining_plan', entityId: String(planId), link: `/places/canteens/${canteenId}/plans/${planId}` },
      })),
    );
    await recordAudit(tx, deps, ctx, { action: 'dining_plan.published', entity: 'dining_plan', entityId: planId, unitId: c.unit_id, after: { canteenId, fromDay, superseded: ended, unitsTold: told.length } });
    return answer(tx, actor, c, canteenId, planId);
  });
}

/** Discard a draft (published plans are history and stay). */
export async function discardPlan(deps: Deps, ctx: Ctx, canteenId: number, planId: number): Promise<{ ok: true }> {
  const actor = requireActor(ctx.actor);
  const c = await plannable(deps, actor, canteenId);
  return transact(deps, ctx, async (tx) => {
    const p = await visiblePlan(tx, canteenId, planId);
    if (p.status !== 'draft') throw errors.conflict('only a draft plan can be discarded; published plans are kept as history');
    await store.deletePlan(tx, planId);
    await recordAudit(tx, deps, ctx, { action: 'dining_plan.discarded', entity: 'dining_plan', entityId: planId, unitId: c.unit_id, before: { canteenId, day: p.day } });
    return { ok: true as const };
  });
}
