import { ROLES, roleHas, type Role } from '../../../common/roles.js';
import type { IncidentAbilities, IncidentSeverity } from '../../../common/schemas/incidents.js';
import { SEVERITIES_NEEDING_REVIEW } from '../../../common/schemas/incidents.js';
import type { Conn } from '../../db/database.js';
import { isWithin } from '../../db/tree.js';
import { can, type Actor } from '../../http/actor.js';
import { onDutyAt } from '../duty/duty.onduty.js';

/**
 * Who may act for a level of an incident: the people on shift at that level's unit at the moment
 * (leader on duty or duty officer), or the holders of incidents.handle by a grant on that very unit.
 * A grant on a unit above does NOT count: the airline's duty officer covers the station in every
 * read, but acknowledging for the station would hide that the station never did (逐级上报 means each
 * level answers for itself). Whoever acts at a higher level does so at their own level.
 */

/** The roles that carry incidents.handle: who a level with nobody on shift falls back to. */
export const HANDLE_ROLES: readonly Role[] = ROLES.filter((r) => roleHas(r, 'incidents.handle'));

/** The units (among those asked about) the actor acts for now. */
export async function actingUnits(db: Conn, actor: Actor, unitIds: readonly number[], now: number): Promise<Set<number>> {
  const asked = new Set(unitIds);
  const out = new Set<number>();
  for (const g of actor.grants) if (asked.has(g.unitId) && roleHas(g.role, 'incidents.handle')) out.add(g.unitId);
  const rest = [...asked].filter((id) => !out.has(id));
  if (rest.length) {
    const duty = await onDutyAt(db, rest, now);
    for (const [unitId, d] of duty) {
      const on = [...d.leaders, ...d.officers].some((p) => (p.userId !== null && p.userId === actor.userId) || (actor.personId !== null && p.personId === actor.personId));
      if (on) out.add(unitId);
    }
  }
  return out;
}

/** Filing: any grant whose subtree holds the unit, whatever its role. */
export function canFileAt(actor: Actor, unitPath: string): boolean {
  return actor.grants.some((g) => isWithin(unitPath, g.path));
}

/** The people involved must be within the filer's scope: any of their grants' subtrees. */
export function personInFilerScope(actor: Actor, personUnitPath: string): boolean {
  return canFileAt(actor, personUnitPath);
}

export interface LevelView {
  id: number;
  position: number;
  unit_id: number;
  state: string;
}

export interface IncidentView {
  status: string;
  severity: string;
  top_position: number;
  current_position: number;
}

/**
 * Who sees an incident: incidents.read over its unit, its filer, and whoever acts for a level it
 * reached (on shift there: the station's duty officer without a grant still sees what they must pass on).
 */
export function canSeeIncident(actor: Actor, unitPath: string, filedBy: number | null, levels: readonly LevelView[], acting: ReadonlySet<number>): boolean {
  if (can(actor, 'incidents.read', unitPath)) return true;
  if (filedBy === actor.userId) return true;
  return levels.some((l) => l.state !== 'pending' && acting.has(l.unit_id));
}

/** What the actor may do now. `pendingInstructionLevels`: for each instruction, the lower levels that have not acknowledged it. */
export function incidentAbilities(i: IncidentView, levels: readonly LevelView[], acting: ReadonlySet<number>, pendingInstructionLevels: readonly (readonly number[])[]): IncidentAbilities {
  const current = levels.find((l) => l.position === i.current_position);
  const top = levels.find((l) => l.position === i.top_position);
  const reached = levels.filter((l) => l.state !== 'pending');
  const actsAt = (l: LevelView | undefined) => l !== undefined && acting.has(l.unit_id);
  const notClosed = i.status !== 'closed';
  const byLevelId = new Map(levels.map((l) => [l.id, l]));
  return {
    acknowledge: i.status === 'open' && current?.state === 'waiting' && actsAt(current),
    instruct: notClosed && reached.some((l) => l.position > 0 && actsAt(l)),
    acknowledgeInstruction: notClosed && pendingInstructionLevels.some((ids) => ids.some((id) => actsAt(byLevelId.get(id)))),
    act: notClosed && reached.some(actsAt),
    resolve: i.status === 'open' && top?.state === 'acknowledged' && actsAt(top),
    close: i.status === 'resolved' && actsAt(top),
  };
}

export function reviewRequired(severity: string): boolean {
  return SEVERITIES_NEEDING_REVIEW.includes(severity as IncidentSeverity);
}
