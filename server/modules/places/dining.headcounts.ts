import type { Conn } from '../../db/database.js';
import { nearestUp, topmostPaths } from '../../db/tree.js';
import { dinersIn, ownHeadcountsIn } from './canteens.store.js';

/**
 * Headcounts of diner units for a meal. A unit's people eat where their nearest diner unit for the
 * meal eats: a subsidiary listed at the group canteen does not bring the people of its own
 * departments that are listed at the subsidiary's canteen. So a diner unit counts the active
 * people of its subtree minus those under a nested diner unit of the same meal (any canteen's).
 * Three queries whatever the number of units: the diners under them, the people per unit, then
 * a walk up each unit's path in memory.
 */
export async function dinerHeadcounts(db: Conn, diners: readonly { unit_id: number; unit_path: string; meal: string }[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const d of diners) out.set(keyOf(d.unit_id, d.meal), 0);
  if (diners.length === 0) return out;
  const roots = topmostPaths(diners.map((d) => d.unit_path));
  const [counts, nested] = await Promise.all([ownHeadcountsIn(db, roots), dinersIn(db, roots)]);
  const byMeal = new Map<string, Set<number>>();
  for (const d of [...nested, ...diners]) {
    const s = byMeal.get(d.meal) ?? new Set<number>();
    s.add(d.unit_id);
    byMeal.set(d.meal, s);
  }
  for (const [path, n] of counts) {
    for (const [meal, units] of byMeal) {
      const nearest = nearestUp(path, (id) => units.has(id));
      if (nearest === undefined) continue;
      const k = keyOf(nearest, meal);
      if (out.has(k)) out.set(k, out.get(k)! + n);
    }
  }
  return out;
}

export const keyOf = (unitId: number, meal: string) => `${unitId}:${meal}`;
