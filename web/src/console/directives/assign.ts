import dayjs, { type Dayjs } from 'dayjs';
import { dayOf, startOfDay } from '../../../../common/day.js';
import type { EvidenceKind, TaskAssign, TaskSplit } from '../../../../common/schemas/directives.js';

/** The form values of one assignment (a directive's tasks, a decision's tasks, a split). */
export interface AssignValues {
  title?: string;
  instructions?: string;
  mode: 'units' | 'children' | 'subtree';
  unitIds?: number[];
  unitId?: number;
  depth?: number | null;
  /** Responsible person per picked unit (mode `units`), keyed by the unit's id. */
  responsible?: Record<string, number | undefined>;
  deadline?: Dayjs | null;
  evidence?: EvidenceKind[];
}

/** The field names a server validation error may name, for putting it on the form. */
export const ASSIGN_FIELDS = ['title', 'instructions', 'target', 'unitIds', 'unitId', 'responsible', 'deadline', 'evidence'] as const;

/**
 * A picked date and time is a wall-clock time in the deployment's time zone, whatever the browser's:
 * the day's start there plus the hours and minutes picked. (On a day whose clocks shift, a time
 * after the shift is an hour off; the zones Bulwark is deployed in, Asia/Shanghai, do not shift.)
 */
export function instantOf(d: Dayjs, timeZone: string): number {
  return startOfDay(d.format('YYYY-MM-DD'), timeZone) + d.hour() * 3_600_000 + d.minute() * 60_000;
}

/** An instant as a Dayjs whose fields show its wall-clock time in the deployment's time zone. */
export function wallClockOf(ms: number, timeZone: string): Dayjs {
  const day = dayOf(ms, timeZone);
  const minutes = Math.floor((ms - startOfDay(day, timeZone)) / 60_000);
  return dayjs(day).hour(Math.floor(minutes / 60)).minute(minutes % 60).second(0);
}

function targetOf(v: AssignValues): TaskAssign['target'] {
  if (v.mode === 'units') return { mode: 'units', unitIds: v.unitIds ?? [] };
  if (v.mode === 'children') return { mode: 'children', unitId: v.unitId! };
  return { mode: 'subtree', unitId: v.unitId!, ...(v.depth ? { depth: v.depth } : {}) };
}

function responsibleOf(v: AssignValues) {
  if (v.mode !== 'units') return [];
  const picked = new Set(v.unitIds ?? []);
  return Object.entries(v.responsible ?? {}).flatMap(([unitId, personId]) => (personId && picked.has(Number(unitId)) ? [{ unitId: Number(unitId), personId }] : []));
}

/** The body of POST /directives/:id/tasks (and a decision's), from the form. */
export function assignBody(v: AssignValues, timeZone: string): TaskAssign {
  return {
    ...(v.title?.trim() ? { title: v.title.trim() } : {}),
    ...(v.instructions?.trim() ? { instructions: v.instructions.trim() } : {}),
    target: targetOf(v),
    responsible: responsibleOf(v),
    ...(v.deadline ? { deadline: instantOf(v.deadline, timeZone) } : {}),
    evidence: v.evidence?.length ? v.evidence : ['report'],
  };
}

/** The body of POST /tasks/:id/split. */
export function splitBody(v: AssignValues, timeZone: string): TaskSplit {
  return {
    ...(v.instructions?.trim() ? { instructions: v.instructions.trim() } : {}),
    target: targetOf(v),
    responsible: responsibleOf(v),
    ...(v.deadline ? { deadline: instantOf(v.deadline, timeZone) } : {}),
    ...(v.evidence?.length ? { evidence: v.evidence } : {}),
  };
}
