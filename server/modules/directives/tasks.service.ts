import type { z } from 'zod';
import type {
  EvidenceKind,
  MyTasksQuery,
  Task,
  TaskAssignResult,
  TaskComplete,
  TaskDetail,
  TaskEvent,
  TaskEventAction,
  TaskListQuery,
  TaskSplit,
  TaskStatus,
  TaskUpdate,
} from '../../../common/schemas/directives.js';
import type { DirectiveSource } from '../../../common/schemas/directives.js';
import type { Conn } from '../../db/database.js';
import { isWithin } from '../../db/tree.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { attachmentsOf, linkAttachments } from '../files/files.service.js';
import { notifyPeople, notifyUsers } from '../notify/notify.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { visibleUnit } from '../org/units.service.js';
import { canJudgeTask, canSeeTask, canWorkTask, taskAbilities } from './directives.policy.js';
import { checkDeadline, createTasks, enqueueDeadlineJobs } from './tasks.assign.js';
import { assertOrdinaryVerify, isLinkedSource, linkedTaskAttachments, linkedTaskMoved } from './tasks.linked.js';
import { localDateTime } from '../../../common/day.js';
import { logTaskStep, moveTaskOr409, tellReturned } from './tasks.steps.js';
import * as store from './tasks.store.js';

/**
 * A task's life: assigned → acknowledged → done (report and evidence, checked against what was
 * required) → verified by whoever assigned it, or returned with a reason (back to acknowledged).
 * Every step is one transaction holding the change, its event (who, when), its audit row and its
 * notices; a step that lost a race with another finds the task moved on and answers 409.
 */

const OPEN = new Set(['assigned', 'acknowledged']);
const ids = (json: string): number[] => JSON.parse(json) as number[];

/** A task as every list shows it, with what the actor may do to it. */
export function presentTask(actor: Actor, t: store.TaskView, now: number): Task {
  const open = OPEN.has(t.status);
  return {
    id: t.id,
    directiveId: t.directive_id,
    directiveTitle: t.directive_title,
    directiveSource: t.directive_source as DirectiveSource,
    drill: Number(t.directive_drill) === 1,
    documentNo: t.document_no,
    parentTaskId: t.parent_id,
    title: t.title,
    unitId: t.unit_id,
    unitName: t.unit_name,
    responsiblePersonId: t.responsible_person_id,
    responsibleName: t.responsible_name,
    deadline: Number(t.deadline),
    evidence: t.evidence.split(',') as EvidenceKind[],
    status: t.status as TaskStatus,
    overdue: open && Number(t.deadline) < now,
    late: t.completed_at === null ? null : Number(t.completed_at) > Number(t.deadline),
    partCount: t.part_count,
    partsVerified: t.parts_verified,
    assignedAt: Number(t.assigned_at),
    acknowledgedAt: t.acknowledged_at === null ? null : Number(t.acknowledged_at),
    completedAt: t.completed_at === null ? null : Number(t.completed_at),
    verifiedAt: t.verified_at === null ? null : Number(t.verified_at),
    abilities: abilitiesOf(actor, t),
  };
}

/** A linked task (tasks.linked.ts) is verified by its owner, never here: no verify button. */
function abilitiesOf(actor: Actor, t: store.TaskView) {
  const a = taskAbilities(actor, t);
  return isLinkedSource(t.directive_source) ? { ...a, verify: false } : a;
}

function presentEvent(e: store.TaskEventView): TaskEvent {
  return { id: e.id, action: e.action as TaskEventAction, actorUserId: e.actor_user_id, actorName: e.actor_name, at: Number(e.at), note: e.note };
}

/** A task the actor may see (tasks.read over its unit, or being its responsible person), or not_found. */
async function visibleTask(db: Conn, actor: Actor, id: number): Promise<store.TaskView> {
  const t = await store.findTaskView(db, id);
  if (!t || !canSeeTask(actor, t)) throw errors.notFound('task');
  return t;
}

/** Whether the actor sees the task with this id (the read rule of its evidence). */
export async function canReadTask(deps: Deps, actor: Actor, id: number): Promise<boolean> {
  const t = await store.findTaskView(deps.db, id);
  return t !== undefined && canSeeTask(actor, t);
}

async function detailOf(db: Conn, deps: Deps, actor: Actor, t: store.TaskView): Promise<TaskDetail> {
  const now = deps.clock.now();
  const [parts, events, directive] = await Promise.all([
    store.partsOf(db, t.id),
    store.eventsOf(db, t.id),
    db
      .selectFrom('directives')
      .leftJoin('users', 'users.id', 'directives.created_by_user_id')
      .select(['directives.body', 'directives.attachment_ids'])
      .where('directives.id', '=', t.directive_id)
      .executeTakeFirstOrThrow(),
  ]);
  const [directiveFiles, evidence] = await Promise.all([attachmentsOf(db, 'directive', [t.directive_id]), attachmentsOf(db, 'task', [t.id])]);
  const byId = new Map(evidence.get(t.id)!.map((a) => [a.id, a]));
  const pick = (list: number[]) => list.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  const assignedBy = t.assigned_by_user_id === null ? null : await db.selectFrom('users').select(['display_name', 'username']).where('id', '=', t.assigned_by_user_id).executeTakeFirst();
  return {
    ...presentTask(actor, t, now),
    instructions: t.instructions,
    directiveBody: directive.body,
    directiveAttachmentIds: ids(directive.attachment_ids),
    assignedByName: assignedBy ? (assignedBy.display_name ?? assignedBy.username) : null,
    report: t.report,
    photoIds: ids(t.photo_ids),
    fileIds: ids(t.file_ids),
    returnReason: t.status === 'acknowledged' ? t.return_reason : null,
    // A linked task also shows what its owner attaches to it (an inspection's photos of the failed item).
    directiveAttachments: [...(directiveFiles.get(t.directive_id) ?? []), ...(await linkedTaskAttachments(db, t.directive_source, t.id))],
    photos: pick(ids(t.photo_ids)),
    files: pick(ids(t.file_ids)),
    parts: parts.map((p) => presentTask(actor, p, now)),
    events: events.map(presentEvent),
  };
}

/** One task with its parts and its log. */
export async function getTask(deps: Deps, ctx: Ctx, id: number): Promise<TaskDetail> {
  const actor = requireActor(ctx.actor);
  return detailOf(deps.db, deps, actor, await visibleTask(deps.db, actor, id));
}

/** One page of the tasks in a subtree (default: the actor's whole tasks.read scope). */
export async function listTasks(deps: Deps, ctx: Ctx, q: z.infer<typeof TaskListQuery>) {
  const actor = requireActor(ctx.actor);
  let paths = requireScope(actor, 'tasks.read');
  let unitId: number | undefined;
  if (q.unitId !== undefined) {
    const unit = await visibleUnit(deps, actor, q.unitId);
    if (!can(actor, 'tasks.read', unit.path)) throw errors.notFound('unit');
    paths = [unit.path];
    if (q.ownUnitOnly === 'true') unitId = unit.id;
  }
  const now = deps.clock.now();
  const { rows, total } = await store.listTasks(
    deps.db,
    { paths, state: q.state, now, ...(q.directiveId !== undefined ? { directiveId: q.directiveId } : {}), ...(unitId !== undefined ? { unitId } : {}) },
    (q.page - 1) * q.pageSize,
    q.pageSize,
  );
  return { items: rows.map((r) => presentTask(actor, r, now)), total, page: q.page, pageSize: q.pageSize };
}

/** The tasks for which the actor's own person is responsible ("my tasks" on the phone); none without a linked person. */
export async function myTasks(deps: Deps, ctx: Ctx, q: z.infer<typeof MyTasksQuery>) {
  const actor = requireActor(ctx.actor);
  const now = deps.clock.now();
  if (actor.personId === null) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
  const { rows, total } = await store.listTasks(deps.db, { paths: [], personId: actor.personId, state: q.state, now }, (q.page - 1) * q.pageSize, q.pageSize);
  return { items: rows.map((r) => presentTask(actor, r, now)), total, page: q.page, pageSize: q.pageSize };
}

// ── the steps ────────────────────────────────────────────────────────────────────────────────────

type Step = 'acknowledge' | 'complete' | 'split' | 'verify' | 'return' | 'update';

/** A visible task the actor may take this step on, in a status that allows it. */
async function taskFor(deps: Deps, actor: Actor, id: number, step: Step): Promise<store.TaskView> {
  const t = await visibleTask(deps.db, actor, id);
  const allowed = step === 'verify' || step === 'return' || step === 'update' ? canJudgeTask(actor, t) : canWorkTask(actor, t);
  if (!allowed) throw errors.forbidden(step === 'verify' || step === 'return' || step === 'update' ? 'Only whoever assigned this task may do this' : "Only the task's unit or its responsible person may do this");
  if (step === 'verify') assertOrdinaryVerify(t.directive_source);
  const need: Record<Step, readonly string[]> = {
    acknowledge: ['assigned'],
    complete: ['acknowledged'],
    split: ['assigned', 'acknowledged'],
    verify: ['done'],
    return: ['done'],
    update: ['assigned', 'acknowledged'],
  };
  if (!need[step].includes(t.status)) {
    const hint = step === 'complete' && t.status === 'assigned' ? 'acknowledge the task first' : `the task is ${t.status}`;
    throw errors.conflict(`Cannot ${step} this task: ${hint}`, { status: t.status });
  }
  return t;
}

async function reread(tx: Conn, deps: Deps, actor: Actor, id: number): Promise<TaskDetail> {
  return detailOf(tx, deps, actor, (await store.findTaskView(tx, id))!);
}

/** The unit acknowledges the task: it has it and will act. */
export async function acknowledgeTask(deps: Deps, ctx: Ctx, id: number, input: { note?: string | undefined }): Promise<TaskDetail> {
  const actor = requireActor(ctx.actor);
  const t = await taskFor(deps, actor, id, 'acknowledge');
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await moveTaskOr409(tx, t.id, ['assigned'], { status: 'acknowledged', acknowledged_at: now, updated_at: now });
    await logTaskStep(tx, deps, ctx, t, 'acknowledged', { status: t.status }, { status: 'acknowledged' }, input.note ?? null);
    return reread(tx, deps, actor, t.id);
  });
}

/** Report the task done, with the evidence it requires (a written report, a photo, a file). */
export async function completeTask(deps: Deps, ctx: Ctx, id: number, input: TaskComplete): Promise<TaskDetail> {
  const actor = requireActor(ctx.actor);
  const t = await taskFor(deps, actor, id, 'complete');
  if (t.parts_verified < t.part_count) throw errors.conflict(`Its parts are not all verified (${t.parts_verified} of ${t.part_count}): a split task is done by its parts`, { parts: 'open' });
  const required = new Set(t.evidence.split(','));
  const missing: Record<string, string> = {};
  if (required.has('report') && !input.report) missing.report = 'required: this task asks for a written report';
  if (required.has('photo') && input.photoIds.length === 0) missing.photoIds = 'required: this task asks for a photo';
  if (required.has('file') && input.fileIds.length === 0) missing.fileIds = 'required: this task asks for a file';
  if (Object.keys(missing).length) throw errors.validation(missing, 'The evidence this task requires is missing');
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await moveTaskOr409(tx, t.id, ['acknowledged'], {
      status: 'done',
      completed_at: now,
      report: input.report ?? null,
      photo_ids: JSON.stringify(input.photoIds),
      file_ids: JSON.stringify(input.fileIds),
      updated_at: now,
    });
    // The evidence becomes the task's: the actor's own fresh uploads, and a photo must be an image.
    const photos = await linkAttachments(tx, deps, actor, input.photoIds, { kind: 'task', id: t.id }, 'photoIds');
    const notPhotos = photos.filter((a) => !a.image);
    if (notPhotos.length) throw errors.validation({ photoIds: `not a photo: ${notPhotos.map((a) => a.id).join(', ')}` });
    await linkAttachments(tx, deps, actor, input.fileIds, { kind: 'task', id: t.id }, 'fileIds');
    await logTaskStep(tx, deps, ctx, t, 'completed', { status: t.status }, { status: 'done', photos: input.photoIds.length, files: input.fileIds.length, late: now > Number(t.deadline) });
    await linkedTaskMoved(tx, deps, t, 'done');
    await tellAssigner(tx, deps, t);
    return reread(tx, deps, actor, t.id);
  });
}

/** Tell whoever must verify the task that it is done. */
async function tellAssigner(tx: Conn, deps: Deps, t: Pick<store.TaskView, 'id' | 'unit_id' | 'unit_name' | 'title' | 'assigned_by_user_id'>): Promise<void> {
  if (t.assigned_by_user_id === null) return;
  await notifyUsers(tx, deps, [t.assigned_by_user_id], {
    kind: 'task.completed',
    params: { unit: t.unit_name, title: t.title },
    unitId: null,
    entity: 'task',
    entityId: String(t.id),
    link: `/tasks/${t.id}`,
  });
}

/** Accept a done task. A verified part may finish its parent: when every part is verified, the parent is done. */
export async function verifyTask(deps: Deps, ctx: Ctx, id: number, input: { note?: string | undefined }): Promise<TaskDetail> {
  const actor = requireActor(ctx.actor);
  const t = await taskFor(deps, actor, id, 'verify');
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await moveTaskOr409(tx, t.id, ['done'], { status: 'verified', verified_at: now, return_reason: null, updated_at: now });
    await logTaskStep(tx, deps, ctx, t, 'verified', { status: 'done' }, { status: 'verified' }, input.note ?? null);
    if (t.parent_id !== null) await finishParentIfDone(tx, deps, ctx, t.parent_id);
    return reread(tx, deps, actor, t.id);
  });
}

/** The parent of a cascade is done when all its parts are: it then waits for its own assigner's verification. */
async function finishParentIfDone(tx: Conn, deps: Deps, ctx: Ctx, parentId: number): Promise<void> {
  const { total, verified } = await store.partCounts(tx, parentId);
  if (total === 0 || verified < total) return;
  const parent = (await store.findTaskView(tx, parentId))!;
  if (!OPEN.has(parent.status)) return;
  const now = deps.clock.now();
  if (!(await store.moveTask(tx, parentId, ['assigned', 'acknowledged'], { status: 'done', completed_at: now, acknowledged_at: parent.acknowledged_at ?? now, updated_at: now }))) return;
  await logTaskStep(tx, deps, ctx, parent, 'parts_done', { status: parent.status }, { status: 'done', parts: total }, `${verified}/${total}`);
  await linkedTaskMoved(tx, deps, parent, 'done');
  await tellAssigner(tx, deps, parent);
}

/** Send a done task back to its unit with a reason; it is acknowledged again and must be completed anew. */
export async function returnTask(deps: Deps, ctx: Ctx, id: number, input: { reason: string }): Promise<TaskDetail> {
  const actor = requireActor(ctx.actor);
  const t = await taskFor(deps, actor, id, 'return');
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await moveTaskOr409(tx, t.id, ['done'], { status: 'acknowledged', completed_at: null, return_reason: input.reason, updated_at: now });
    await logTaskStep(tx, deps, ctx, t, 'returned', { status: 'done' }, { status: 'acknowledged' }, input.reason);
    await linkedTaskMoved(tx, deps, t, 'acknowledged');
    await tellReturned(tx, deps, t, input.reason);
    return reread(tx, deps, actor, t.id);
  });
}

/** Split a received task to units below its own; splitting acknowledges it. */
export async function splitTask(deps: Deps, ctx: Ctx, id: number, input: TaskSplit): Promise<TaskAssignResult> {
  const actor = requireActor(ctx.actor);
  const t = await taskFor(deps, actor, id, 'split');
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    if (t.status === 'assigned') {
      await moveTaskOr409(tx, t.id, ['assigned'], { status: 'acknowledged', acknowledged_at: now, updated_at: now });
      await logTaskStep(tx, deps, ctx, t, 'acknowledged', { status: 'assigned' }, { status: 'acknowledged' });
    }
    const made = await createTasks(tx, deps, ctx, actor, {
      directive: { id: t.directive_id, title: t.title },
      parent: { id: t.id, unit_path: t.unit_path, deadline: Number(t.deadline), evidence: t.evidence },
      auditUnitId: t.unit_id,
      title: t.title,
      instructions: input.instructions,
      target: input.target,
      responsible: input.responsible,
      deadline: input.deadline,
      evidence: input.evidence,
    });
    await store.insertTaskEvents(tx, [{ task_id: t.id, action: 'split', actor_user_id: actor.userId, at: now, note: String(made.created) }]);
    return { directiveId: t.directive_id, ...made };
  });
}

/** Re-date the task or name another responsible person (whoever assigned it); an overdue task re-dated is in time again. */
export async function updateTask(deps: Deps, ctx: Ctx, id: number, input: TaskUpdate): Promise<TaskDetail> {
  const actor = requireActor(ctx.actor);
  const t = await taskFor(deps, actor, id, 'update');
  if (input.deadline !== undefined) {
    const parentDeadline = t.parent_id === null ? null : Number((await store.findTaskView(deps.db, t.parent_id))!.deadline);
    checkDeadline(deps, input.deadline, parentDeadline);
  }
  let person: { id: number; name: string } | null = null;
  if (input.responsiblePersonId !== undefined) {
    const p = (await store.peopleByIds(deps.db, [input.responsiblePersonId])).get(input.responsiblePersonId);
    const head = (await store.unitHeadPeople(deps.db, [t.unit_id])).get(t.unit_id);
    if (!p || p.status !== 'active' || !(isWithin(p.unit_path, t.unit_path) || head?.personId === p.id)) {
      throw errors.validation({ responsiblePersonId: `not an active person of ${t.unit_name}` });
    }
    person = p;
  }
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const set: Partial<store.NewTask> = { updated_at: now };
    if (input.deadline !== undefined) Object.assign(set, { deadline: input.deadline, overdue_at: null, reminded_at: null });
    if (person) set.responsible_person_id = person.id;
    await moveTaskOr409(tx, t.id, ['assigned', 'acknowledged'], set);
    if (input.deadline !== undefined) {
      await enqueueDeadlineJobs(tx, deps, input.deadline);
      const tz = deps.config.timeZone;
      await logTaskStep(tx, deps, ctx, t, 'redated', { deadline: Number(t.deadline) }, { deadline: input.deadline }, `${localDateTime(Number(t.deadline), tz)} → ${localDateTime(input.deadline, tz)}`);
    }
    if (person) {
      await logTaskStep(tx, deps, ctx, t, 'reassigned', { responsiblePersonId: t.responsible_person_id }, { responsiblePersonId: person.id }, person.name);
      await notifyPeople(tx, deps, [person.id], {
        kind: 'task.assigned',
        params: { title: t.title, deadline: localDateTime(input.deadline ?? Number(t.deadline), deps.config.timeZone) },
        unitId: null,
        entity: 'task',
        entityId: String(t.id),
        link: `/m/tasks/${t.id}`,
      });
    }
    return reread(tx, deps, actor, t.id);
  });
}

/** The subtrees in which the actor reads tasks (possibly none: a responsible person sees only their own). */
export function taskScope(actor: Actor): string[] {
  return scopeFor(actor, 'tasks.read');
}
