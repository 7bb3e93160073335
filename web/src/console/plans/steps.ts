import type { PlanStep, PlanStepInput } from '../../api/plans';

/** A step as the editor holds it: what the server takes, plus the named person's name to show. */
export type EditedStep = PlanStepInput & { personName?: string | null };

/** The next free key of the form s1, s2, … (keys only need to be unique within a version). */
export function nextKey(steps: readonly { key: string }[]): string {
  const used = new Set(steps.map((s) => s.key));
  let n = steps.length + 1;
  while (used.has(`s${n}`)) n++;
  return `s${n}`;
}

/** A stored step (with its person's name) as the editor's row. */
export function toEdited(s: PlanStep & { personName: string | null }): EditedStep {
  return { ...s };
}

/** The editor's row as the server takes it (the shown name dropped). */
export function toInput({ personName: _name, ...s }: EditedStep): PlanStepInput {
  return s;
}

/** Dropping a step drops it from every other step's dependsOn too. */
export function withoutStep(steps: readonly EditedStep[], key: string): EditedStep[] {
  return steps.filter((s) => s.key !== key).map((s) => ({ ...s, dependsOn: (s.dependsOn ?? []).filter((d) => d !== key) }));
}

/** Move a step up (-1) or down (+1) in the list. */
export function moved(steps: readonly EditedStep[], index: number, by: -1 | 1): EditedStep[] {
  const to = index + by;
  if (to < 0 || to >= steps.length) return [...steps];
  const next = [...steps];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}
