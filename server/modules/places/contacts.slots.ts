import { addDays, daysFrom } from '../../../common/day.js';
import { hhmmOf, type Meal } from '../../../common/schemas/dining.js';
import type { Conn } from '../../db/database.js';
import { chainIds, nearestUp, topmostPaths } from '../../db/tree.js';
import { activePeopleOfUnits, unitsIn } from './contacts.store.js';
import { dinerUnitsInForce, placementsOfUnits, unitsInSlots } from './dining.store.js';

/**
 * The canteen-slot source of the contact search. A person ate in a slot on the days a published
 * plan placed their nearest diner unit (per meal, up their unit's chain) there; another person
 * shared it when their own nearest diner unit for that meal (across every canteen's plans in force
 * then) sat in the same slot. A few queries whatever the size: the person's placements, the units
 * in those slots, the units under them and the diner units in force there (the nearest-diner rule
 * is decided per unit in memory), then the active people of just the units that shared a slot.
 * People are taken with today's units: a person who moved meanwhile is matched by where they are now.
 */

export interface SlotShare {
  canteenId: number;
  canteenName: string;
  meal: Meal;
  start: string;
  end: string;
  days: number;
}

const depth = (path: string) => path.split('/').length;

export async function sharedSlots(db: Conn, personId: number, unitPath: string, fromDay: string, toDay: string): Promise<Map<number, SlotShare[]>> {
  const out = new Map<number, SlotShare[]>();
  const rows = await placementsOfUnits(db, chainIds(unitPath), fromDay, toDay);
  // Per plan and meal, the person's nearest diner unit's row.
  const nearest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const k = `${r.plan_id}:${r.meal}`;
    const had = nearest.get(k);
    if (!had || depth(r.unit_path) > depth(had.unit_path)) nearest.set(k, r);
  }
  const mine = [...nearest.values()]
    .filter((r) => r.slot_start !== null && r.slot_end !== null)
    .map((r) => {
      const first = r.from_day! > fromDay ? r.from_day! : fromDay;
      const lastInForce = r.until_day === null ? toDay : addDays(r.until_day, -1);
      const last = lastInForce < toDay ? lastInForce : toDay;
      return { r, days: last < first ? 0 : daysFrom(first, last) + 1 };
    })
    .filter((m) => m.days > 0);
  if (mine.length === 0) return out;

  const mates = await unitsInSlots(db, mine.map((m) => ({ planId: m.r.plan_id, meal: m.r.meal, slotStart: m.r.slot_start! })));
  const roots = topmostPaths(mates.map((u) => u.unit_path));
  // Who eats where for each meal, across every canteen's plans in force then: a department under a
  // subsidiary seated at the group canteen eats at the subsidiary's own canteen if it is a diner there.
  const [units, diners] = await Promise.all([unitsIn(db, roots), dinerUnitsInForce(db, roots, fromDay, toDay)]);
  const dinersOfMeal = new Map<string, Set<number>>();
  for (const d of diners) dinersOfMeal.set(d.meal, (dinersOfMeal.get(d.meal) ?? new Set<number>()).add(d.unit_id));
  const inSlot = new Map<string, Set<number>>();
  for (const u of mates) {
    const k = `${u.plan_id}:${u.meal}:${u.slot_start}`;
    inSlot.set(k, (inSlot.get(k) ?? new Set<number>()).add(u.unit_id));
  }
  // Per unit, the slots of mine its people sat in: decided per unit, so people are fetched only for those.
  const sharedBy = new Map<number, typeof mine>();
  for (const u of units) {
    for (const m of mine) {
      const set = dinersOfMeal.get(m.r.meal);
      const theirs = set ? nearestUp(u.path, (id) => set.has(id)) : undefined;
      if (theirs === undefined || !inSlot.get(`${m.r.plan_id}:${m.r.meal}:${m.r.slot_start}`)?.has(theirs)) continue;
      sharedBy.set(u.id, [...(sharedBy.get(u.id) ?? []), m]);
    }
  }
  const people = await activePeopleOfUnits(db, [...sharedBy.keys()]);
  for (const p of people) {
    if (p.id === personId) continue;
    for (const { r, days } of sharedBy.get(p.unit_id)!) {
      const list = out.get(p.id) ?? [];
      const start = hhmmOf(r.slot_start!);
      const same = list.find((s) => s.canteenId === r.canteen_id && s.meal === r.meal && s.start === start);
      if (same) same.days += days;
      else list.push({ canteenId: r.canteen_id, canteenName: r.canteen_name, meal: r.meal as Meal, start, end: hhmmOf(r.slot_end!), days });
      out.set(p.id, list);
    }
  }
  return out;
}
