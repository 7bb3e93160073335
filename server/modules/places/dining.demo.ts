import { dayOf } from '../../../common/day.js';
import { MEALS, type Meal } from '../../../common/schemas/dining.js';
import type { Conn } from '../../db/database.js';
import type { DiningPlanUnitRow } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { insertCanteen, replaceDiners } from './canteens.store.js';
import { planMeal, seatsPerSlot } from './dining.planner.js';
import { insertPlan, insertPlanUnits } from './dining.store.js';
import type { DemoShape } from './meetings.demo.js';

/**
 * The demo organisation's canteens (called inside the demo's own transaction): one at the group
 * whose diner units are its children, and one at each subsidiary whose diner units are the
 * subsidiary's children, each with a plan published from today — so 就餐时段 shows every employee a
 * slot from the first minute. A subsidiary eats at the group canteen only with its own staff: its
 * departments eat at the subsidiary's (the nearest diner unit). Headcounts come from the shape in
 * memory and the planner is the real one, so the cost is one pass over the people plus a handful of
 * inserts per canteen (about as many rows as the group has units at its second and third levels).
 */

const WINDOWS: Partial<Record<Meal, { from: string; to: string }>> = {
  breakfast: { from: '07:00', to: '08:30' },
  lunch: { from: '11:00', to: '13:00' },
  dinner: { from: '17:00', to: '19:00' },
};
const SLOT_MINUTES = 30;
/** canteen.slot_density's built-in default, in hundredths: the demo sets no canteen measure. */
const DENSITY = 50;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export async function seedDemoDining(tx: Conn, deps: Deps, shape: DemoShape): Promise<{ canteens: number; units: number }> {
  const now = deps.clock.now();
  const day = dayOf(now, deps.config.timeZone);
  const root = shape.units.findIndex((u) => u.parent === null);
  if (root < 0) return { canteens: 0, units: 0 };
  const childrenOf = new Map<number, number[]>();
  shape.units.forEach((u, i) => {
    if (u.parent !== null) childrenOf.set(u.parent, [...(childrenOf.get(u.parent) ?? []), i]);
  });
  const subs = (childrenOf.get(root) ?? []).filter((i) => shape.units[i]!.kind === 'subsidiary');
  const canteens = [root, ...subs].filter((i) => (childrenOf.get(i) ?? []).length > 0);
  // Every diner unit, and so each person's nearest one (the same for every meal here).
  const isDiner = new Set(canteens.flatMap((i) => childrenOf.get(i)!));
  const nearest = new Map<number, number | undefined>();
  const nearestOf = (u: number): number | undefined => {
    if (nearest.has(u)) return nearest.get(u);
    const n = isDiner.has(u) ? u : shape.units[u]!.parent === null ? undefined : nearestOf(shape.units[u]!.parent!);
    nearest.set(u, n);
    return n;
  };
  const headcount = new Map<number, number>();
  for (const p of shape.people) {
    if (!p.active) continue;
    const d = nearestOf(p.unit);
    if (d !== undefined) headcount.set(d, (headcount.get(d) ?? 0) + 1);
  }

  let planned = 0;
  for (const c of canteens) {
    const diners = childrenOf.get(c)!;
    const heads = diners.map((d) => headcount.get(d) ?? 0);
    const total = heads.reduce((a, b) => a + b, 0);
    // Seats for the whole meal over four slots with a fifth to spare, never less than the largest
    // unit, and more (a tenth at a time) until the planner places every unit: a demo canteen fits.
    let capacity = Math.ceil((Math.max(...heads, Math.ceil((total * 1.25) / 4), 20) * 100) / DENSITY / 10) * 10;
    const fits = (cap: number) =>
      MEALS.every((meal) => {
        const w = { from: minutes(WINDOWS[meal]!.from), to: minutes(WINDOWS[meal]!.to) };
        return planMeal({ window: w, slotMinutes: SLOT_MINUTES, seats: seatsPerSlot(cap, DENSITY), units: heads.map((h, k) => ({ unitId: k, headcount: h, window: w })) }).unplaced.length === 0;
      });
    for (let i = 0; i < 20 && !fits(capacity); i++) capacity = Math.ceil((capacity * 1.1) / 10) * 10;
    const name = `${shape.units[c]!.name}职工食堂`;
    const id = await insertCanteen(tx, {
      unit_id: shape.units[c]!.id,
      name,
      capacity,
      slot_minutes: SLOT_MINUTES,
      windows: JSON.stringify(WINDOWS),
      note: '演示食堂',
      archived_at: null,
      created_by_user_id: null,
      created_at: now,
      updated_at: now,
    });
    await replaceDiners(
      tx,
      id,
      diners.flatMap((d) => MEALS.map((meal) => ({ unit_id: shape.units[d]!.id, meal, window_from: null, window_to: null }))),
    );
    const perSlot = seatsPerSlot(capacity, DENSITY);
    const planId = await insertPlan(tx, {
      canteen_id: id,
      day,
      status: 'published',
      from_day: day,
      until_day: null,
      density: DENSITY,
      capacity,
      seats_per_slot: perSlot,
      slot_minutes: SLOT_MINUTES,
      windows: JSON.stringify(WINDOWS),
      note: '演示：按部门错峰就餐',
      created_by_user_id: null,
      created_at: now,
      published_by_user_id: null,
      published_at: now,
      updated_at: now,
    });
    const rows: DiningPlanUnitRow[] = [];
    for (const meal of MEALS) {
      const w = WINDOWS[meal]!;
      const window = { from: minutes(w.from), to: minutes(w.to) };
      const units = diners.map((d, k) => ({ unitId: shape.units[d]!.id, headcount: heads[k]!, window }));
      const plan = planMeal({ window, slotMinutes: SLOT_MINUTES, seats: perSlot, units });
      const reasons = new Map(plan.unplaced.map((u) => [u.unitId, u.reason]));
      for (const u of units) {
        const at = plan.placed.get(u.unitId);
        const slot = at === undefined ? null : plan.slots[at]!;
        rows.push({ plan_id: planId, meal, unit_id: u.unitId, headcount: u.headcount, window_from: window.from, window_to: window.to, slot_start: slot?.start ?? null, slot_end: slot?.end ?? null, reason: slot ? null : reasons.get(u.unitId)!, forced_reason: null });
      }
    }
    await insertPlanUnits(tx, rows);
    planned += diners.length;
  }
  return { canteens: canteens.length, units: planned };
}
