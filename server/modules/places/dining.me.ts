import { dayOf } from '../../../common/day.js';
import { MEALS, hhmmOf, type Meal, type MyDining, type MySlot } from '../../../common/schemas/dining.js';
import { chainIds } from '../../db/tree.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { requireActor } from '../org/org.policy.js';
import { findPerson } from '../org/people.store.js';
import { placementsOfUnits } from './dining.store.js';

type Placement = Awaited<ReturnType<typeof placementsOfUnits>>[number];

const depth = (path: string) => path.split('/').length;

/**
 * Per meal, the slot of the nearest diner unit up the person's chain among these plan rows (the
 * deepest unit; the later plan on a tie). A nearest unit the planner could not place gives no slot:
 * a farther unit's slot would send the person where their unit is not expected.
 */
function slotsOf(rows: readonly Placement[]): MySlot[] {
  const out: MySlot[] = [];
  for (const meal of MEALS) {
    const best = rows
      .filter((r) => r.meal === meal)
      .sort((a, b) => depth(b.unit_path) - depth(a.unit_path) || b.from_day!.localeCompare(a.from_day!))[0];
    if (!best || best.slot_start === null || best.slot_end === null) continue;
    out.push({
      meal: meal as Meal,
      canteenId: best.canteen_id,
      canteenName: best.canteen_name,
      unitId: best.unit_id,
      unitName: best.unit_name,
      start: hhmmOf(best.slot_start),
      end: hhmmOf(best.slot_end),
      planId: best.plan_id,
      fromDay: best.from_day!,
    });
  }
  return out;
}

/** My slot per meal today, from the published plans covering my unit, and those of a plan already published from a later day. */
export async function myDining(deps: Deps, ctx: Ctx): Promise<MyDining> {
  const actor = requireActor(ctx.actor);
  const day = dayOf(deps.clock.now(), deps.config.timeZone);
  if (actor.personId === null) return { day, meals: [], next: [] };
  const person = await findPerson(deps.db, actor.personId);
  if (!person || person.status !== 'active') return { day, meals: [], next: [] };
  const rows = await placementsOfUnits(deps.db, chainIds(person.unit_path), day, '9999-12-31');
  const now = rows.filter((r) => r.from_day! <= day && (r.until_day === null || r.until_day > day));
  const later = rows.filter((r) => r.from_day! > day);
  // The next change: the earliest later start among the plans of each meal.
  const next = MEALS.flatMap((meal) => {
    const mine = later.filter((r) => r.meal === meal);
    const first = mine.map((r) => r.from_day!).sort()[0];
    return first === undefined ? [] : slotsOf(mine.filter((r) => r.from_day === first));
  });
  return { day, meals: slotsOf(now), next };
}
