import type { IncidentKind } from '../../../common/schemas/incidents.js';
import type { CoverageList, PlanUnitKind } from '../../../common/schemas/plans.js';
import type { Deps } from '../../deps.js';
import { can, type Ctx } from '../../http/actor.js';
import { requireActor } from '../org/org.policy.js';
import { readScope } from './plans.service.js';
import * as store from './plans.store.js';

/**
 * Coverage (预案全覆盖): a plan may name unit kinds (e.g. every 'site') below its unit that must
 * hold their own plan for its kind. The gaps are the active units of those kinds below it, in the
 * actor's plans.read scope, with no active plan of that kind of their own.
 */
export async function coverageGaps(deps: Deps, ctx: Ctx, unitId: number | undefined): Promise<CoverageList> {
  const actor = requireActor(ctx.actor);
  const { paths, above } = await readScope(deps, actor, unitId);
  // Rules of plans inside the scope and of the plans above it (a group plan's rule reaches a subsidiary's units).
  const aboveUnits = await store.unitsByIds(deps.db, above);
  const rulePaths = [...paths, ...[...aboveUnits.values()].map((u) => u.path)];
  const plans = await store.plansWithCoverageRule(deps.db, rulePaths);
  const items: CoverageList['items'] = [];
  const seen = new Set<string>();
  for (const p of plans) {
    const kinds = JSON.parse(p.required_unit_kinds) as string[];
    const units = (await store.unitsOfKindsBelow(deps.db, p.unit_path, kinds)).filter((u) => paths.some((s) => u.path.startsWith(s)) && can(actor, 'plans.read', u.path));
    const own = await store.unitsWithOwnPlan(
      deps.db,
      units.map((u) => u.id),
      p.kind,
    );
    for (const u of units) {
      const key = `${p.kind}:${u.id}`;
      if (own.has(u.id) || seen.has(key)) continue;
      seen.add(key);
      items.push({ planId: p.id, planTitle: p.title, planUnitName: p.unit_name, kind: p.kind as IncidentKind, unitId: u.id, unitName: u.name, unitKind: u.kind as PlanUnitKind });
    }
  }
  return { items, total: items.length };
}
