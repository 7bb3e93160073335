import { addDays } from '../../../common/day.js';
import { hhmmOf, type Meal } from '../../../common/schemas/dining.js';
import type { Conn } from '../../db/database.js';
import { chainIds, nearestUp, topmostPaths } from '../../db/tree.js';
import { activePeopleIn } from './contacts.store.js';
import { dinerUnitsOfPlans, placementsOfUnits, unitsInSlots } from './dining.store.js';

/**
 * The canteen-slot source of the contact search. A person ate in a slot on the days a published
 * plan placed their nearest diner unit (per meal, up their unit's chain) there; another person
 * shared it when their own nearest diner unit in that plan and meal sat in the same slot. Four
 * queries whatever the size: the person's placements, the units in those slots, every diner unit
 * of those plans (for the nearest-diner rule), and the active people under the slot's units.
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
const dayCount = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

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
      return { r, days: last < first ? 0 : dayCount(first, last) };
    })
    .filter((m) => m.days > 0);
  if (mine.length === 0) return out;

  const mates = await unitsInSlots(db, mine.map((m) => ({ planId: m.r.plan_id, meal: m.r.meal, slotStart: m.r.slot_start! })));
  const diners = await dinerUnitsOfPlans(db, [...new Set(mine.map((m) => m.r.plan_id))]);
  const dinerSets = new Map<string, Map<number, number | null>>();
  for (const d of diners) {
    const k = `${d.plan_id}:${d.meal}`;
    const m = dinerSets.get(k) ?? new Map<number, number | null>();
    m.set(d.unit_id, d.slot_start);
    dinerSets.set(k, m);
  }
  const people = await activePeopleIn(db, topmostPaths(mates.map((u) => u.unit_path)));
  for (const p of people) {
    if (p.id === personId) continue;
    for (const { r, days } of mine) {
      const set = dinerSets.get(`${r.plan_id}:${r.meal}`)!;
      const theirs = nearestUp(p.unit_path, (id) => set.has(id));
      if (theirs === undefined || set.get(theirs) !== r.slot_start) continue;
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
