import type { TaskAbilities } from '../../../common/schemas/directives.js';
import { can, type Actor } from '../../http/actor.js';

/**
 * Who may do what with directives and tasks. Pure functions over the actor's grants and the units
 * involved; the abilities travel with each task so the console and the phone show only what is allowed.
 *
 * - A directive is managed (edited, broken into tasks, its top-level tasks verified) with
 *   directives.write over the unit it was recorded at.
 * - A task is seen with tasks.read over its unit, or by its responsible person.
 * - A task is worked (acknowledged, completed, split) with tasks.work over its unit, or by its
 *   responsible person.
 * - A part of a split task is verified or returned by the unit that split it: tasks.work over the
 *   parent task's unit, or the parent task's responsible person.
 */

/** The facts about one task that every decision needs. */
export interface TaskFacts {
  status: string;
  unit_path: string;
  responsible_person_id: number;
  directive_unit_path: string;
  parent_id: number | null;
  parent_unit_path: string | null;
  parent_responsible_person_id: number | null;
  part_count: number;
  parts_verified: number;
}

const isResponsible = (actor: Actor, personId: number | null) => actor.personId !== null && personId !== null && actor.personId === personId;

export function canSeeTask(actor: Actor, t: Pick<TaskFacts, 'unit_path' | 'responsible_person_id'>): boolean {
  return can(actor, 'tasks.read', t.unit_path) || isResponsible(actor, t.responsible_person_id);
}

/** Acknowledge, complete, split: the unit's own people (tasks.work) or the responsible person. */
export function canWorkTask(actor: Actor, t: Pick<TaskFacts, 'unit_path' | 'responsible_person_id'>): boolean {
  return can(actor, 'tasks.work', t.unit_path) || isResponsible(actor, t.responsible_person_id);
}

/** Verify, return, re-date, reassign: whoever assigned it (the directive's managers, or the unit that split it). */
export function canJudgeTask(actor: Actor, t: Pick<TaskFacts, 'parent_id' | 'parent_unit_path' | 'parent_responsible_person_id' | 'directive_unit_path'>): boolean {
  if (t.parent_id === null) return can(actor, 'directives.write', t.directive_unit_path);
  return (t.parent_unit_path !== null && can(actor, 'tasks.work', t.parent_unit_path)) || isResponsible(actor, t.parent_responsible_person_id);
}

const OPEN = new Set(['assigned', 'acknowledged']);

export function taskAbilities(actor: Actor, t: TaskFacts): TaskAbilities {
  const work = canWorkTask(actor, t);
  const judge = canJudgeTask(actor, t);
  const open = OPEN.has(t.status);
  return {
    acknowledge: work && t.status === 'assigned',
    // A split task is done by its parts; once they are all verified it may be completed by hand (after a return).
    complete: work && t.status === 'acknowledged' && t.parts_verified === t.part_count,
    split: work && open,
    verify: judge && t.status === 'done',
    return: judge && t.status === 'done',
    update: judge && open,
  };
}

/** `linked`: the directive belongs to another module's record (an inspection's rectification) and is kept by it. */
export function directiveAbilities(actor: Actor, directiveUnitPath: string, linked = false) {
  const write = !linked && can(actor, 'directives.write', directiveUnitPath);
  return { update: write, assign: write };
}
