import type { UnitRow } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { can, scopeFor, type Actor } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { findUnit } from '../org/units.store.js';

/**
 * Who may see what of supervision (issue 7). Pure checks over the actor's grants and a unit's path.
 *
 * - The matrix and the overdue view: supervision.read over the unit (unit heads, the command office,
 *   supervisors, the admin). They name people and duties, never health or care details.
 * - Findings: supervision.findings over the finding's unit (supervisors and the admin). Everyone
 *   else gets 404 on every findings route, the list included (nobody else learns that findings
 *   exist); opening one names a unit or person they cannot see: 400 naming the subject, as for
 *   anyone whose scope does not reach it.
 * - A finding is changed (title, evidence, decision, close) by whoever may see it, while it is open.
 */
export function canReadSupervision(actor: Actor, unitPath: string): boolean {
  return can(actor, 'supervision.read', unitPath);
}

export function canHandleFindings(actor: Actor, unitPath: string): boolean {
  return can(actor, 'supervision.findings', unitPath);
}

/** A finding's abilities for the console. */
export function findingAbilities(actor: Actor, f: { unit_path: string; status: string; decision: string | null }) {
  const open = f.status === 'open' && canHandleFindings(actor, f.unit_path);
  return { edit: open, link: open, decide: open, close: open && f.decision !== null };
}

/**
 * The subtrees a supervision read covers: one unit's (404 outside the actor's scope of `permission`),
 * or the actor's whole scope. Without the permission anywhere: 403 for supervision.read (the menu
 * hides it), 404 for supervision.findings (findings do not exist for them).
 */
export async function scopeRoots(deps: Deps, actor: Actor, permission: 'supervision.read' | 'supervision.findings', unitId: number | undefined): Promise<UnitRow[]> {
  const scope = scopeFor(actor, permission);
  // Findings do not exist for whoever holds no supervision.findings: the same 404 as outside the scope.
  if (scope.length === 0 && permission === 'supervision.findings') throw errors.notFound(unitId === undefined ? 'finding' : 'unit');
  if (scope.length === 0) throw errors.forbidden();
  if (unitId !== undefined) {
    const unit = await findUnit(deps.db, unitId);
    if (!unit || !can(actor, permission, unit.path)) throw errors.notFound('unit');
    return [unit];
  }
  const roots: UnitRow[] = [];
  for (const g of actor.grants) {
    if (!scope.includes(g.path) || roots.some((r) => r.path === g.path)) continue;
    const unit = await findUnit(deps.db, g.unitId);
    if (unit) roots.push(unit);
  }
  return roots.sort((a, b) => (a.path < b.path ? -1 : 1));
}
