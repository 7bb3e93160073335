import type { DirectiveSource, EvidenceKind, TaskStatus } from '../../../common/schemas/directives.js';
import type { Attachment } from '../../../common/schemas/files.js';
import type { Conn } from '../../db/database.js';
import { chainIds, nearestUp } from '../../db/tree.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { insertDirective } from './directives.store.js';
import { checkDeadline, evidenceOf, writeTasks } from './tasks.assign.js';
import { logTaskStep, moveTaskOr409, tellReturned } from './tasks.steps.js';
import * as store from './tasks.store.js';

/**
 * Tasks that another module opens for its own records and closes by its own rule: a finding of an
 * inspection opens a rectification task (整改) that a re-inspection verifies (places), issue 8's
 * plans will do the same. The task is a real task — the responsible person sees it under 我的任务,
 * acknowledges and completes it with evidence, deadlines, reminders and overdue marks run as for
 * any task — but its verification belongs to the owning module:
 *
 * - createLinkedTasks records one directive of the owner's source with its tasks;
 * - the ordinary verify of such a task answers 409 with the owner's words (assertOrdinaryVerify);
 * - when the task moves by the tasks module's own steps (completed, returned, done by its parts),
 *   the owner hears of it inside the same transaction (registerLinkedTaskSource's onStatus);
 * - the owner verifies (completing it first if still open) or returns it with verifyLinkedTask and
 *   returnLinkedTask, and reads where its tasks stand with linkedTaskStates.
 */

/** What the owner of a source of linked tasks says about them. */
export interface LinkedTaskSource {
  /** Why the ordinary verify refuses (409), e.g. "verified by re-inspecting the place". */
  verifiedBy: string;
  /** Called in the transaction of a tasks-module step that moved one of its tasks. */
  onStatus?: (tx: Conn, deps: Deps, taskId: number, status: TaskStatus, at: number) => Promise<void>;
  /** What the task shows beside its directive's attachments (the owner's read rule must let the task's responsible person read them). */
  attachments?: (db: Conn, taskId: number) => Promise<Attachment[]>;
}

const sources = new Map<DirectiveSource, LinkedTaskSource>();

/** The owning module registers its source when it registers its routes. */
export function registerLinkedTaskSource(source: DirectiveSource, owner: LinkedTaskSource): void {
  sources.set(source, owner);
}

/** Whether tasks of this directive source are linked to another module's record. */
export function isLinkedSource(directiveSource: string): boolean {
  return sources.has(directiveSource as DirectiveSource);
}

/** The ordinary verify of a linked task: 409, the owner verifies it by its own rule. */
export function assertOrdinaryVerify(directiveSource: string): void {
  const owner = sources.get(directiveSource as DirectiveSource);
  if (owner) throw errors.conflict(`This task cannot be verified here: it is ${owner.verifiedBy}`, { status: 'linked' });
}

/** The attachments a linked task's owner shows on it (none for ordinary tasks). */
export async function linkedTaskAttachments(db: Conn, directiveSource: string, taskId: number): Promise<Attachment[]> {
  const owner = sources.get(directiveSource as DirectiveSource);
  return owner?.attachments ? owner.attachments(db, taskId) : [];
}

/** Tell a linked task's owner that a tasks-module step moved it (no-op for ordinary tasks). */
export async function linkedTaskMoved(tx: Conn, deps: Deps, t: { id: number; directive_source: string }, status: TaskStatus): Promise<void> {
  const owner = sources.get(t.directive_source as DirectiveSource);
  if (owner?.onStatus) await owner.onStatus(tx, deps, t.id, status, deps.clock.now());
}

export interface LinkedTaskSpec {
  unitId: number;
  /** Checked by the caller: the owning module knows who answers for its record. */
  responsiblePersonId: number;
  title: string;
  instructions?: string | null | undefined;
  /** In the future. */
  deadline: number;
  evidence: readonly EvidenceKind[];
}

export interface LinkedTasksSpec {
  /** The unit the directive is recorded at. */
  unitId: number;
  source: DirectiveSource;
  title: string;
  body: string;
  tasks: readonly LinkedTaskSpec[];
  /** A drill's tasks (issue 8): the directive is marked drill = 1 and left out of real statistics. */
  drill?: boolean;
  /**
   * Deadlines fixed by the owner's own clock may already have passed (a plan step due 2 h after an
   * incident filed 3 h late): the task is made all the same and goes overdue at once.
   */
  allowPastDeadline?: boolean;
}

/**
 * Record one directive of `source` and its tasks, in the caller's transaction, exactly as ordinary
 * tasks are written (events, deadline and reminder jobs, notices), with one audit row. Answers the
 * task ids in the order of `spec.tasks`.
 */
export async function createLinkedTasks(tx: Conn, deps: Deps, ctx: Ctx, spec: LinkedTasksSpec): Promise<{ directiveId: number; taskIds: number[] }> {
  if (spec.tasks.length === 0) throw new Error('createLinkedTasks: no task');
  if (!spec.allowPastDeadline) for (const t of spec.tasks) checkDeadline(deps, t.deadline, null);
  const people = await store.peopleByIds(tx, [...new Set(spec.tasks.map((t) => t.responsiblePersonId))]);
  const now = deps.clock.now();
  const userId = ctx.actor?.userId ?? null;
  const directive = await insertDirective(tx, {
    unit_id: spec.unitId,
    source: spec.source,
    document_no: null,
    title: spec.title,
    body: spec.body,
    received_at: now,
    attachment_ids: '[]',
    meeting_id: null,
    drill: spec.drill ? 1 : 0,
    created_by_user_id: userId,
    created_at: now,
    updated_at: now,
  });
  const taskIds = await writeTasks(
    tx,
    deps,
    userId,
    directive.id,
    null,
    spec.tasks.map((t) => {
      const p = people.get(t.responsiblePersonId);
      if (!p) throw new Error(`createLinkedTasks: no person ${t.responsiblePersonId}`);
      return { unitId: t.unitId, responsible: { personId: p.id, name: p.name }, title: t.title, instructions: t.instructions ?? null, deadline: t.deadline, evidence: evidenceOf(t.evidence) };
    }),
  );
  await recordAudit(tx, deps, ctx, {
    action: 'tasks.assigned',
    entity: 'directive',
    entityId: directive.id,
    unitId: spec.unitId,
    after: { directiveId: directive.id, source: spec.source, count: taskIds.length, taskIds, deadlines: [...new Set(spec.tasks.map((t) => t.deadline))] },
  });
  return { directiveId: directive.id, taskIds };
}

/** Where a linked task stands, for its owner's pages. */
export interface LinkedTaskState {
  id: number;
  status: TaskStatus;
  deadline: number;
  /** Open and past its deadline. */
  overdue: boolean;
  responsiblePersonId: number;
  responsibleName: string;
  completedAt: number | null;
  verifiedAt: number | null;
}

/** The states of these tasks (missing ids are left out), in one query. */
export async function linkedTaskStates(db: Conn, taskIds: readonly number[], now: number): Promise<Map<number, LinkedTaskState>> {
  const out = new Map<number, LinkedTaskState>();
  for (const part of store.slices([...new Set(taskIds)], 1000)) {
    const rows = await db
      .selectFrom('tasks')
      .innerJoin('people', 'people.id', 'tasks.responsible_person_id')
      .select(['tasks.id', 'tasks.status', 'tasks.deadline', 'tasks.responsible_person_id', 'people.name', 'tasks.completed_at', 'tasks.verified_at'])
      .where('tasks.id', 'in', part)
      .execute();
    for (const r of rows) {
      const status = r.status as TaskStatus;
      out.set(r.id, {
        id: r.id,
        status,
        deadline: Number(r.deadline),
        overdue: (status === 'assigned' || status === 'acknowledged') && Number(r.deadline) < now,
        responsiblePersonId: r.responsible_person_id,
        responsibleName: r.name,
        completedAt: r.completed_at === null ? null : Number(r.completed_at),
        verifiedAt: r.verified_at === null ? null : Number(r.verified_at),
      });
    }
  }
  return out;
}

async function linkedTask(tx: Conn, taskId: number): Promise<store.TaskView> {
  const t = await store.findTaskView(tx, taskId);
  if (!t) throw errors.notFound('task');
  return t;
}

/**
 * The owner verifies its task (in the caller's transaction): a done task is verified; a task still
 * open is completed and verified by the same act (the owner saw it put right). A verified task is
 * left as it is. Answers the status it ends in.
 */
export async function verifyLinkedTask(tx: Conn, deps: Deps, ctx: Ctx, taskId: number, note: string | null): Promise<TaskStatus> {
  const t = await linkedTask(tx, taskId);
  if (t.status === 'verified') return 'verified';
  const now = deps.clock.now();
  if (t.status !== 'done') {
    await moveTaskOr409(tx, t.id, ['assigned', 'acknowledged'], { status: 'done', acknowledged_at: t.acknowledged_at ?? now, completed_at: now, updated_at: now });
    await logTaskStep(tx, deps, ctx, t, 'completed', { status: t.status }, { status: 'done', by: 'owner' }, note);
  }
  await moveTaskOr409(tx, t.id, ['done'], { status: 'verified', verified_at: now, return_reason: null, updated_at: now });
  await logTaskStep(tx, deps, ctx, t, 'verified', { status: 'done' }, { status: 'verified' }, note);
  return 'verified';
}

/** The owner sends its done task back to the responsible person with a reason; an open task is left as it is. Answers the status it ends in. */
export async function returnLinkedTask(tx: Conn, deps: Deps, ctx: Ctx, taskId: number, reason: string): Promise<TaskStatus> {
  const t = await linkedTask(tx, taskId);
  if (t.status !== 'done') return t.status as TaskStatus;
  const now = deps.clock.now();
  await moveTaskOr409(tx, t.id, ['done'], { status: 'acknowledged', completed_at: null, return_reason: reason, updated_at: now });
  await logTaskStep(tx, deps, ctx, t, 'returned', { status: 'done' }, { status: 'acknowledged' }, reason);
  await tellReturned(tx, deps, t, reason);
  return 'acknowledged';
}

/**
 * Who answers for a linked task when its owner names nobody: the unit head of the unit, else of the
 * nearest unit above that has one linked to an active person (the same rule as an assignment's
 * default responsible person, walked up the tree). Undefined when no unit up to the root has one.
 */
export async function nearestUnitHeadPerson(db: Conn, unitPath: string): Promise<{ personId: number; name: string } | undefined> {
  const heads = await store.unitHeadPeople(db, chainIds(unitPath));
  const at = nearestUp(unitPath, (id) => heads.has(id));
  return at === undefined ? undefined : heads.get(at);
}
