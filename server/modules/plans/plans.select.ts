import type { PlanStep } from '../../../common/schemas/plans.js';
import type { Conn } from '../../db/database.js';
import { chainIds, nearestUp } from '../../db/tree.js';
import { onDutyAt } from '../duty/duty.onduty.js';
import * as store from './plans.store.js';

/**
 * Which plan an incident starts, and who does each of its steps.
 *
 * Selection: the nearest unit up from the incident's unit (itself first) holding an active plan of
 * the incident's kind whose current version covers its severity. A lower unit's own plan thereby
 * wins over its parents' within its subtree. When the incident reaches a level, the level unit's own
 * covering plan (if any) starts too — once per plan per incident.
 */

const covers = (p: store.PlanView, severity: string) => (JSON.parse(p.severities) as string[]).includes(severity);

/** The plan an incident of (kind, severity) filed at the unit at `unitPath` starts, if any. */
export async function selectPlanFor(db: Conn, unitPath: string, kind: string, severity: string): Promise<store.PlanView | undefined> {
  const plans = (await store.activePlansAt(db, chainIds(unitPath), kind)).filter((p) => covers(p, severity));
  const at = nearestUp(unitPath, (id) => plans.some((p) => p.unit_id === id));
  return at === undefined ? undefined : plans.find((p) => p.unit_id === at);
}

/** The unit's own active plan covering (kind, severity), if any. */
export async function ownPlanAt(db: Conn, unitId: number, kind: string, severity: string): Promise<store.PlanView | undefined> {
  return (await store.activePlansAt(db, [unitId], kind)).find((p) => covers(p, severity));
}

/** The unit `levelsUp` levels above the one at `unitPath` (capped at the root): its id and path. */
export function unitAbove(unitPath: string, levelsUp: number): { id: number; path: string } {
  const ids = chainIds(unitPath);
  const keep = Math.max(1, ids.length - levelsUp);
  const chain = ids.slice(0, keep);
  return { id: chain.at(-1)!, path: `/${chain.join('/')}/` };
}

/** Who does a step: the person, the unit their task is recorded at, and how they were found. */
export interface StepAssignee {
  personId: number;
  name: string;
  unitId: number;
  /** How: the role asked for, or the fallback taken (e.g. "unit_head (no duty officer on shift)"). */
  via: string;
}

async function nearestHolder(db: Conn, path: string, role: string): Promise<{ personId: number; name: string; unitId: number } | undefined> {
  const holders = await store.roleHolderPeople(db, chainIds(path), role);
  const at = nearestUp(path, (id) => holders.has(id));
  return at === undefined ? undefined : { ...holders.get(at)!, unitId: at };
}

/**
 * Who does `step` of an incident at the unit at `incidentUnitPath`, at instant `now`: the role at the
 * unit `levelsUp` above (the nearest unit up holding it when that unit has none), the duty officer
 * on shift there (else its unit head), the nearest command office, or the named person (if still
 * active; else the unit head). Undefined: nobody found up to the root.
 */
export async function assigneeOf(db: Conn, step: PlanStep, incidentUnitId: number, incidentUnitPath: string, now: number): Promise<StepAssignee | undefined> {
  const target = unitAbove(incidentUnitPath, step.levelsUp);
  const head = async (why: string): Promise<StepAssignee | undefined> => {
    const h = await nearestHolder(db, target.path, 'unit_head');
    return h && { ...h, via: why };
  };
  switch (step.role) {
    case 'person': {
      const p = step.personId === undefined ? undefined : (await store.peopleByIds(db, [step.personId])).get(step.personId);
      if (p && p.status === 'active') return { personId: p.id, name: p.name, unitId: incidentUnitId, via: 'person' };
      return head('unit_head (the named person is no longer active)');
    }
    case 'duty_officer': {
      const officer = (await onDutyAt(db, [target.id], now)).get(target.id)?.officers[0];
      if (officer) return { personId: officer.personId, name: officer.name, unitId: target.id, via: 'duty_officer' };
      return head('unit_head (no duty officer on shift)');
    }
    case 'unit_head':
    case 'liaison':
    case 'command': {
      const h = await nearestHolder(db, target.path, step.role);
      if (h) return { ...h, via: step.role };
      return step.role === 'unit_head' ? undefined : head(`unit_head (no ${step.role} found)`);
    }
  }
}
