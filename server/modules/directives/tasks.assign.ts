import { dayOf, endOfDay, localDateTime } from '../../../common/day.js';
import type { EvidenceKind, TaskTarget } from '../../../common/schemas/directives.js';
import type { Conn } from '../../db/database.js';
import type { DirectiveRow } from '../../db/schema.js';
import { isWithin } from '../../db/tree.js';
import type { Deps } from '../../deps.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { enqueueJob } from '../../jobs/jobs.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyPeopleInApp } from '../notify/notify.service.js';
import { REMIND_TASKS_JOB, TASK_DEADLINE_JOB, reminderLeadMs } from './tasks.jobs.js';
import * as store from './tasks.store.js';

/**
 * Making tasks: a directive's tasks to one unit or many at once, and the parts of a split. Both
 * resolve the target to units, name a responsible person for each, and write every task, its
 * 'assigned' event, the notices and the deadline jobs in the caller's transaction, in a handful of
 * statements whatever the number of units (a directive to every unit of a group is ~5,000 tasks).
 */

export interface AssignSpec {
  directive: Pick<DirectiveRow, 'id' | 'title'>;
  /** The task being split, or null for tasks assigned from the directive. */
  parent: { id: number; unit_path: string; deadline: number; evidence: string } | null;
  /** The unit the audit row is filed under: the directive's, or the split task's. */
  auditUnitId: number;
  title?: string | undefined;
  instructions?: string | undefined;
  target: TaskTarget;
  responsible: readonly { unitId: number; personId: number }[];
  deadline?: number | undefined;
  evidence?: readonly EvidenceKind[] | undefined;
}

/** The default deadline under the same-day rule (落实不过夜): the end of today in the deployment's time zone. */
export function endOfToday(deps: Deps): number {
  return endOfDay(dayOf(deps.clock.now(), deps.config.timeZone), deps.config.timeZone);
}

const listed = (units: readonly { name: string; id: number }[]) => {
  const names = units.slice(0, 5).map((u) => `${u.name} (${u.id})`);
  return units.length > 5 ? `${names.join(', ')} and ${units.length - 5} more` : names.join(', ');
};

/**
 * The units a target reaches. Splitting: every unit must lie strictly below the task's unit.
 * Assigning from a directive: the units must be in the actor's tasks.read scope (else they read
 * as absent) and under directives.write (else 403).
 */
async function resolveTarget(db: Conn, actor: Actor, spec: AssignSpec): Promise<store.TargetUnit[]> {
  const t = spec.target;
  const below = spec.parent?.unit_path ?? null;
  const fits = (path: string) => (below === null ? can(actor, 'tasks.read', path) : isWithin(path, below) && path !== below);
  let units: store.TargetUnit[];
  if (t.mode === 'units') {
    const found = await store.unitsByIds(db, t.unitIds);
    const byId = new Map(found.map((u) => [u.id, u]));
    const missing = t.unitIds.filter((id) => {
      const u = byId.get(id);
      return !u || !fits(u.path);
    });
    if (missing.length) {
      const why = below === null ? 'no such unit' : "not a unit below this task's unit";
      throw errors.validation({ 'target.unitIds': `${why}: ${missing.slice(0, 10).join(', ')}` });
    }
    const archived = found.filter((u) => u.archived);
    if (archived.length) throw errors.validation({ 'target.unitIds': `archived: ${listed(archived)}` });
    units = t.unitIds.map((id) => byId.get(id)!);
  } else {
    const [anchor] = await store.unitsByIds(db, [t.unitId]);
    // The anchor may be the task's own unit when splitting (its children are below it).
    const anchorFits = anchor && (below === null ? can(actor, 'tasks.read', anchor.path) : isWithin(anchor.path, below));
    if (!anchor || !anchorFits) throw errors.validation({ 'target.unitId': below === null ? 'no such unit' : "not this task's unit or a unit below it" });
    const depth = t.mode === 'children' ? anchor.depth + 1 : t.depth === undefined ? undefined : anchor.depth + t.depth;
    units = await store.unitsBelow(db, anchor.path, depth);
  }
  if (units.length === 0) throw errors.validation({ target: 'reaches no unit' });
  if (below === null) {
    const refused = units.filter((u) => !can(actor, 'directives.write', u.path));
    if (refused.length) throw errors.forbidden(`You may not assign tasks to ${listed(refused)}`);
  }
  return units;
}

/** A responsible person for every unit: the one named, else the unit head's person; names the units with neither. */
async function resolveResponsible(db: Conn, units: readonly store.TargetUnit[], named: AssignSpec['responsible']): Promise<Map<number, { personId: number; name: string }>> {
  const unitById = new Map(units.map((u) => [u.id, u]));
  const stray = named.filter((r) => !unitById.has(r.unitId));
  if (stray.length) throw errors.validation({ responsible: `not among the target units: ${stray.slice(0, 10).map((r) => r.unitId).join(', ')}` });
  const seen = new Set<number>();
  for (const r of named) {
    if (seen.has(r.unitId)) throw errors.validation({ responsible: `unit ${r.unitId} is named twice` });
    seen.add(r.unitId);
  }
  const out = new Map<number, { personId: number; name: string }>();
  if (named.length) {
    const people = await store.peopleByIds(db, named.map((r) => r.personId));
    const heads = await store.unitHeadPeople(db, named.map((r) => r.unitId));
    for (const r of named) {
      const p = people.get(r.personId);
      const unit = unitById.get(r.unitId)!;
      // A person of the unit (or below it), or the unit's own head wherever that person is registered.
      const belongs = p && p.status === 'active' && (isWithin(p.unit_path, unit.path) || heads.get(unit.id)?.personId === p.id);
      if (!belongs) throw errors.validation({ responsible: `person ${r.personId} is not an active person of ${unit.name} (${unit.id})` });
      out.set(r.unitId, { personId: p.id, name: p.name });
    }
  }
  const rest = units.filter((u) => !out.has(u.id));
  const heads = await store.unitHeadPeople(
    db,
    rest.map((u) => u.id),
  );
  const headless: store.TargetUnit[] = [];
  for (const u of rest) {
    const h = heads.get(u.id);
    if (h) out.set(u.id, h);
    else headless.push(u);
  }
  if (headless.length) throw errors.validation({ responsible: `no unit head linked to a person at ${listed(headless)}: name a responsible person` });
  return out;
}

export const evidenceOf = (kinds: readonly EvidenceKind[]) => [...kinds].sort((a, b) => ['report', 'photo', 'file'].indexOf(a) - ['report', 'photo', 'file'].indexOf(b)).join(',');

/** The deadline and reminder jobs of one deadline: one row each, shared by every task due then. */
export async function enqueueDeadlineJobs(tx: Conn, deps: Deps, deadline: number): Promise<void> {
  const now = deps.clock.now();
  // Overdue the moment the deadline has passed: a task due 23:59:59.999 is overdue at 00:00.
  await enqueueJob(tx, now, { kind: TASK_DEADLINE_JOB, key: `${TASK_DEADLINE_JOB}:${deadline}`, payload: { deadline }, runAt: deadline + 1 });
  const remindAt = deadline - (await reminderLeadMs(tx));
  // Within the lead time the assignment's own notice is the reminder.
  if (remindAt > now) await enqueueJob(tx, now, { kind: REMIND_TASKS_JOB, key: `${REMIND_TASKS_JOB}:${deadline}`, payload: { deadline }, runAt: remindAt });
}

/** Validate a deadline: in the future, and for a part not after its parent's. */
export function checkDeadline(deps: Deps, deadline: number, parentDeadline: number | null): void {
  if (deadline <= deps.clock.now()) throw errors.validation({ deadline: 'must be in the future' });
  if (parentDeadline !== null && deadline > parentDeadline) throw errors.validation({ deadline: `must not be after the task's own deadline (${localDateTime(parentDeadline, deps.config.timeZone)})` });
}

/** One task to write: its unit, its responsible person (already checked by the caller), its words and deadline. */
export interface TaskToWrite {
  unitId: number;
  responsible: { personId: number; name: string };
  title: string;
  instructions: string | null;
  deadline: number;
  /** Comma-separated evidence kinds, in EVIDENCE_KINDS order (see evidenceOf). */
  evidence: string;
}

/**
 * Write assigned tasks, their 'assigned' events, their deadline and reminder jobs and the notices to
 * their responsible people, in the caller's transaction, in a handful of statements: the machinery
 * every task shares, whether a directive's managers assigned it, a split made it, or another module
 * linked it to its own record (tasks.linked.ts). The caller writes the audit row.
 */
export async function writeTasks(tx: Conn, deps: Deps, assignedBy: number | null, directiveId: number, parentId: number | null, tasks: readonly TaskToWrite[]): Promise<number[]> {
  const now = deps.clock.now();
  const ids = await store.insertTasks(
    tx,
    tasks.map((t) => ({
      directive_id: directiveId,
      parent_id: parentId,
      unit_id: t.unitId,
      title: t.title,
      instructions: t.instructions,
      responsible_person_id: t.responsible.personId,
      deadline: t.deadline,
      evidence: t.evidence,
      status: 'assigned',
      assigned_by_user_id: assignedBy,
      assigned_at: now,
      acknowledged_at: null,
      completed_at: null,
      report: null,
      photo_ids: '[]',
      file_ids: '[]',
      verified_at: null,
      return_reason: null,
      overdue_at: null,
      reminded_at: null,
      updated_at: now,
    })),
  );
  // Identities are drawn row by row in insertion order (one statement, or slices in order), so the
  // ids sorted ascending line up with `tasks`: several tasks may share a unit, so the unit cannot pair them.
  const taskIds = ids.map((r) => r.id).sort((a, b) => a - b);
  await store.insertTaskEvents(
    tx,
    taskIds.map((id, i) => ({ task_id: id, action: 'assigned', actor_user_id: assignedBy, at: now, note: tasks[i]!.responsible.name })),
  );
  for (const deadline of new Set(tasks.map((t) => t.deadline))) await enqueueDeadlineJobs(tx, deps, deadline);
  // One notice per (title, deadline) for all its responsible people: the same words, opening their list of tasks.
  const groups = new Map<string, { title: string; deadline: number; people: Set<number> }>();
  for (const t of tasks) {
    const key = `${t.deadline}\u0000${t.title}`;
    const g = groups.get(key) ?? { title: t.title, deadline: t.deadline, people: new Set<number>() };
    g.people.add(t.responsible.personId);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    await notifyPeopleInApp(tx, deps, [...g.people], {
      kind: 'task.assigned',
      params: { title: g.title, deadline: localDateTime(g.deadline, deps.config.timeZone) },
      unitId: null,
      entity: 'directive',
      entityId: String(directiveId),
      link: '/m/tasks',
    });
  }
  return taskIds;
}

/** Make the tasks of one assignment or split, in the caller's transaction. */
export async function createTasks(tx: Conn, deps: Deps, ctx: Ctx, actor: Actor, spec: AssignSpec): Promise<{ created: number; taskIds: number[] }> {
  const parentDeadline = spec.parent?.deadline ?? null;
  const deadline = spec.deadline ?? (parentDeadline !== null ? parentDeadline : endOfToday(deps));
  checkDeadline(deps, deadline, parentDeadline);
  const units = await resolveTarget(tx, actor, spec);
  if (spec.parent) {
    const taken = await store.partUnitIds(tx, spec.parent.id);
    const twice = units.filter((u) => taken.has(u.id));
    if (twice.length) throw errors.validation({ target: `already hold a part of this task: ${listed(twice)}` });
  }
  const responsible = await resolveResponsible(tx, units, spec.responsible);
  const evidence = spec.evidence ? evidenceOf(spec.evidence) : (spec.parent?.evidence ?? 'report');
  const title = spec.title ?? spec.directive.title;
  const taskIds = await writeTasks(
    tx,
    deps,
    actor.userId,
    spec.directive.id,
    spec.parent?.id ?? null,
    units.map((u) => ({ unitId: u.id, responsible: responsible.get(u.id)!, title, instructions: spec.instructions ?? null, deadline, evidence })),
  );
  // One audit row per assignment (a directive to 5,000 units is one act), naming the tasks made.
  await recordAudit(tx, deps, ctx, {
    action: spec.parent ? 'task.split' : 'tasks.assigned',
    entity: spec.parent ? 'task' : 'directive',
    entityId: spec.parent?.id ?? spec.directive.id,
    unitId: spec.auditUnitId,
    after: { directiveId: spec.directive.id, count: taskIds.length, taskIds: taskIds.slice(0, 50), units: units.slice(0, 50).map((u) => u.id), deadline, evidence },
  });
  return { created: taskIds.length, taskIds };
}
