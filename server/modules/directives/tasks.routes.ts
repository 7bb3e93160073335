import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { MyTasksQuery, TaskAcknowledge, TaskAssignResult, TaskComplete, TaskDetail, TaskListQuery, TaskPage, TaskReturn, TaskSettings, TaskSplit, TaskUpdate, TaskVerify } from '../../../common/schemas/directives.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import { registerAttachmentOwner } from '../files/files.service.js';
import * as tasks from './tasks.service.js';
import { getTaskSettings, putTaskSettings } from './tasks.settings.js';

/** Tasks (任务): lists, "my tasks", one task with its log, and the steps of its life. */
export function taskRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tasks'];
  // A task's evidence is read by whoever sees the task.
  registerAttachmentOwner('task', (d, actor, id) => tasks.canReadTask(d, actor, id));
  r.get(
    '/api/v1/tasks',
    { schema: { tags, summary: 'Tasks of a subtree (open, overdue — the supervision view —, done, verified), open first by deadline', querystring: TaskListQuery, response: { 200: TaskPage } } },
    (req) => tasks.listTasks(deps, ctxOf(req), req.query),
  );
  r.get(
    '/api/v1/tasks/mine',
    { schema: { tags, summary: 'The tasks for which the signed-in user’s person is responsible (the phone’s 我的任务)', querystring: MyTasksQuery, response: { 200: TaskPage } } },
    (req) => tasks.myTasks(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/tasks/:id', { schema: { tags, summary: 'One task with its parts and its log', params: IdParams, response: { 200: TaskDetail } } }, (req) =>
    tasks.getTask(deps, ctxOf(req), req.params.id),
  );
  r.patch(
    '/api/v1/tasks/:id',
    { schema: { tags, summary: 'Re-date an open task or name another responsible person (whoever assigned it)', params: IdParams, body: TaskUpdate, response: { 200: TaskDetail } } },
    (req) => tasks.updateTask(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/tasks/:id/acknowledge',
    { schema: { tags, summary: 'Acknowledge an assigned task (its unit or its responsible person)', params: IdParams, body: TaskAcknowledge, response: { 200: TaskDetail } } },
    (req) => tasks.acknowledgeTask(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/tasks/:id/complete',
    { schema: { tags, summary: 'Report an acknowledged task done, with the report and evidence it requires', params: IdParams, body: TaskComplete, response: { 200: TaskDetail } } },
    (req) => tasks.completeTask(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/tasks/:id/verify',
    { schema: { tags, summary: 'Accept a done task (whoever assigned it)', params: IdParams, body: TaskVerify, response: { 200: TaskDetail } } },
    (req) => tasks.verifyTask(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/tasks/:id/return',
    { schema: { tags, summary: 'Send a done task back with a reason (whoever assigned it)', params: IdParams, body: TaskReturn, response: { 200: TaskDetail } } },
    (req) => tasks.returnTask(deps, ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/v1/tasks/:id/split',
    { schema: { tags, summary: 'Split a task down to units below its own (Idempotency-Key)', params: IdParams, body: TaskSplit, response: { 201: TaskAssignResult } } },
    (req, reply) => respondCreated(deps, req, reply, (ctx) => tasks.splitTask(deps, ctx, req.params.id, req.body)),
  );
  r.get('/api/v1/settings/tasks', { schema: { tags, summary: 'The task settings: the reminder lead time (directives.write on a root unit)', response: { 200: TaskSettings } } }, (req) =>
    getTaskSettings(deps, ctxOf(req)),
  );
  r.put('/api/v1/settings/tasks', { schema: { tags, summary: 'Replace the task settings (directives.write on a root unit)', body: TaskSettings, response: { 200: TaskSettings } } }, (req) =>
    putTaskSettings(deps, ctxOf(req), req.body),
  );
}
