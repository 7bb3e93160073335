import type { Deps } from '../../deps.js';
import { assertVisible, requireScope } from '../org/org.policy.js';
import { visibleUnit } from '../org/units.service.js';
import type { Actor } from '../../http/actor.js';
import { phoneAsSeenBy } from '../org/people.service.js';
import type { NonReporterRow } from './health.store.js';

/** A unit the actor may read health data of, or not_found (the same answer as a unit that does not exist). */
export async function healthUnit(deps: Deps, actor: Actor, unitId: number) {
  const unit = await visibleUnit(deps, actor, unitId);
  assertVisible(actor, 'health.read', unit.path, 'unit');
  return unit;
}

/** What a health list reads: the subtree of the unit asked for, or else the actor's whole health scope. */
export async function healthSubtrees(deps: Deps, actor: Actor, unitId: number | undefined): Promise<{ paths: readonly string[]; unitId: number | null }> {
  const scope = requireScope(actor, 'health.read');
  if (unitId === undefined) return { paths: scope, unitId: null };
  const unit = await healthUnit(deps, actor, unitId);
  return { paths: [unit.path], unitId: unit.id };
}

/** A person to reach, as a list shows them: their unit, and their phone as this actor may see it. */
export function presentPersonToReach(actor: Actor, r: NonReporterRow) {
  return { personId: r.id, name: r.name, employeeNo: r.employee_no, unitId: r.unit_id, unitName: r.unit_name, phone: phoneAsSeenBy(actor, r) };
}
