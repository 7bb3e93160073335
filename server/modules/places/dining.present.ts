import { MEALS, hhmmOf, minutesOf, type Meal, type Plan, type PlanMeal, type PlanStatus, type PlanSummary, type UnplacedReason } from '../../../common/schemas/dining.js';
import type { DiningPlanUnitRow } from '../../db/schema.js';
import type { Actor } from '../../http/actor.js';
import { planAbilities } from './canteens.policy.js';
import { parseWindows } from './canteens.service.js';
import { slotsOf } from './dining.planner.js';
import type { PlanWithNames } from './dining.store.js';

/** A plan row and its unit rows as the API shows them: every slot of every meal, even an empty one. */

export function presentSummary(p: PlanWithNames, counts: { placed: number; unplaced: number; people: number } | undefined): PlanSummary {
  return {
    id: p.id,
    canteenId: p.canteen_id,
    day: p.day,
    status: p.status as PlanStatus,
    fromDay: p.from_day,
    untilDay: p.until_day,
    density: p.density / 100,
    seatsPerSlot: p.seats_per_slot,
    placedUnits: counts?.placed ?? 0,
    unplacedUnits: counts?.unplaced ?? 0,
    people: counts?.people ?? 0,
    note: p.note,
    createdAt: Number(p.created_at),
    createdByName: p.created_by_name,
    publishedAt: p.published_at === null ? null : Number(p.published_at),
    publishedByName: p.published_by_name,
  };
}

export function presentPlan(actor: Actor, p: PlanWithNames, canteen: { name: string; unit_path: string }, units: readonly (DiningPlanUnitRow & { unit_name: string })[]): Plan {
  const windows = parseWindows(p.windows);
  const meals: PlanMeal[] = [];
  for (const meal of MEALS) {
    const w = windows[meal];
    if (!w) continue;
    const slots = slotsOf({ from: minutesOf(w.from), to: minutesOf(w.to) }, p.slot_minutes).map((s) => ({
      start: hhmmOf(s.start),
      end: hhmmOf(s.end),
      seats: p.seats_per_slot,
      load: 0,
      units: [] as PlanMeal['slots'][number]['units'],
    }));
    const unplaced: PlanMeal['unplaced'] = [];
    const mine = units.filter((u) => u.meal === meal).sort((a, b) => b.headcount - a.headcount || a.unit_id - b.unit_id);
    for (const u of mine) {
      if (u.slot_start === null) {
        unplaced.push({ unitId: u.unit_id, unitName: u.unit_name, headcount: u.headcount, reason: u.reason as UnplacedReason, window: { from: hhmmOf(u.window_from), to: hhmmOf(u.window_to) } });
        continue;
      }
      const s = slots.find((x) => x.start === hhmmOf(u.slot_start!));
      if (!s) continue; // cannot happen: a slot start is always one of the plan's own slots
      s.load += u.headcount;
      s.units.push({ unitId: u.unit_id, unitName: u.unit_name, headcount: u.headcount, forcedReason: u.forced_reason });
    }
    meals.push({ meal: meal as Meal, window: w, slots, unplaced });
  }
  const people = units.reduce((n, u) => n + (u.slot_start === null ? 0 : u.headcount), 0);
  const placed = units.filter((u) => u.slot_start !== null).length;
  return {
    ...presentSummary(p, { placed, unplaced: units.length - placed, people }),
    canteenName: canteen.name,
    slotMinutes: p.slot_minutes,
    meals,
    abilities: planAbilities(actor, canteen.unit_path, p.status),
  };
}
