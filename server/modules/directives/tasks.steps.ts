import type { TaskEventAction } from '../../../common/schemas/directives.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyPeople } from '../notify/notify.service.js';
import * as store from './tasks.store.js';

/**
 * The pieces every step on a task is made of, whether the tasks module takes it (tasks.service) or
 * the module that owns a linked task does (tasks.linked): move it only from the states it may leave,
 * log the step as an event with its audit row, tell the responsible person it came back.
 */

/** Move the task or answer 409: another request moved it first. */
export async function moveTaskOr409(tx: Conn, taskId: number, from: readonly string[], set: Partial<store.NewTask>): Promise<void> {
  if (!(await store.moveTask(tx, taskId, from, set))) throw errors.conflict('The task changed meanwhile; reload it', { status: 'changed' });
}

/** The step's event on the task and its audit row. */
export async function logTaskStep(tx: Conn, deps: Deps, ctx: Ctx, t: Pick<store.TaskView, 'id' | 'unit_id'>, action: TaskEventAction, before: unknown, after: unknown, note: string | null = null): Promise<void> {
  await store.insertTaskEvents(tx, [{ task_id: t.id, action, actor_user_id: ctx.actor?.userId ?? null, at: deps.clock.now(), note }]);
  await recordAudit(tx, deps, ctx, { action: `task.${action}`, entity: 'task', entityId: t.id, unitId: t.unit_id, before, after });
}

/** A done task sent back: its responsible person hears why. */
export async function tellReturned(tx: Conn, deps: Deps, t: Pick<store.TaskView, 'id' | 'unit_id' | 'title' | 'responsible_person_id'>, reason: string): Promise<void> {
  await notifyPeople(tx, deps, [t.responsible_person_id], {
    kind: 'task.returned',
    params: { title: t.title, why: reason },
    unitId: t.unit_id,
    entity: 'task',
    entityId: String(t.id),
    link: `/m/tasks/${t.id}`,
  });
}
