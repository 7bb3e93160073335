import type { PlanAbilities } from '../../../common/schemas/plans.js';
import { can, type Actor } from '../../http/actor.js';
import { roleHas } from '../../../common/roles.js';

/**
 * Who may do what with emergency plans. Pure functions over the actor's grants and the plan's unit.
 *
 * - A plan is read with plans.read over its unit (404 outside, as everywhere). Below it, which plan
 *   would run for a unit is answered by GET /plans/select (the plan's summary), and a run shows its
 *   plan's title and steps on the incident to whoever sees the incident.
 * - A plan is created, edited and archived with plans.write over its unit.
 * - A drill of a plan is run with plans.write over the unit it is filed at (within the plan's subtree).
 * - A review is written with plans.write over the incident's unit or above; "open changes" needs
 *   plans.write over the reviewed plan's unit.
 */
export function canReadPlan(actor: Actor, unitPath: string): boolean {
  return can(actor, 'plans.read', unitPath);
}

export function canWritePlan(actor: Actor, unitPath: string): boolean {
  return can(actor, 'plans.write', unitPath);
}

export function planAbilities(actor: Actor, p: { unit_path: string; archived_at: number | null }): PlanAbilities {
  const active = p.archived_at === null;
  const write = canWritePlan(actor, p.unit_path);
  // A drill may be filed wherever at or below the plan the actor holds plans.write.
  const drill = active && actor.grants.some((g) => roleHas(g.role, 'plans.write') && (p.unit_path.startsWith(g.path) || g.path.startsWith(p.unit_path)));
  return { edit: write && active, archive: write && active, drill };
}
