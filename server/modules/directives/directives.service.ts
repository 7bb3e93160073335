import type { z } from 'zod';
import type { Directive, DirectiveCreate, DirectiveDetail, DirectiveListQuery, DirectiveSource, DirectiveUpdate, ProgressFigures, TaskAssign, TaskAssignResult } from '../../../common/schemas/directives.js';
import type { Conn } from '../../db/database.js';
import type { DirectiveRow } from '../../db/schema.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, scopeFor, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { attachmentsOf, linkAttachments } from '../files/files.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { visibleUnit } from '../org/units.service.js';
import { directiveAbilities } from './directives.policy.js';
import * as store from './directives.store.js';
import { createTasks } from './tasks.assign.js';
import { isLinkedSource } from './tasks.linked.js';
import { presentTask } from './tasks.service.js';
import * as tasks from './tasks.store.js';

/**
 * Directives from above (部署): recorded at a unit by its command office (directives.write), and
 * broken into tasks there and then or later. A directive is seen by whoever reads tasks at its unit,
 * and by the units (and responsible people) its tasks reached.
 */

const noFigures = (): ProgressFigures => ({ total: 0, inTime: 0, overdue: 0, done: 0, verified: 0, late: 0 });

function figuresOf(r: store.FigureRow | undefined): ProgressFigures {
  if (!r) return noFigures();
  return { total: r.total, inTime: r.open_in_time, overdue: r.overdue, done: r.done, verified: r.verified, late: r.late };
}

function presentDirective(actor: Actor, d: store.DirectiveView, figures: ProgressFigures): Directive {
  return {
    id: d.id,
    unitId: d.unit_id,
    unitName: d.unit_name,
    source: d.source as DirectiveSource,
    documentNo: d.document_no,
    title: d.title,
    receivedAt: Number(d.received_at),
    meetingId: d.meeting_id,
    createdByName: d.created_by_name,
    createdAt: Number(d.created_at),
    progress: figures,
    abilities: directiveAbilities(actor, d.unit_path, isLinkedSource(d.source)),
  };
}

/** Whether the actor sees the directive: tasks.read at its unit, or a task of it within reach. */
async function canSeeDirective(db: Conn, actor: Actor, d: store.DirectiveView): Promise<boolean> {
  if (can(actor, 'tasks.read', d.unit_path) || can(actor, 'directives.write', d.unit_path)) return true;
  return store.directiveReaches(db, d.id, scopeFor(actor, 'tasks.read'), actor.personId);
}

/** A directive the actor may see, or not_found. */
export async function visibleDirective(db: Conn, actor: Actor, id: number): Promise<store.DirectiveView> {
  const d = await store.findDirective(db, id);
  if (!d || !(await canSeeDirective(db, actor, d))) throw errors.notFound('directive');
  return d;
}

/** Whether the actor sees the directive with this id (the read rule of its attachments). */
export async function canReadDirective(deps: Deps, actor: Actor, id: number): Promise<boolean> {
  const d = await store.findDirective(deps.db, id);
  return d !== undefined && (await canSeeDirective(deps.db, actor, d));
}

/** A directive the actor manages (directives.write over its unit): 404 when unseen, 403 when only seen. */
async function managedDirective(db: Conn, actor: Actor, id: number): Promise<store.DirectiveView> {
  const d = await visibleDirective(db, actor, id);
  if (!can(actor, 'directives.write', d.unit_path)) throw errors.forbidden();
  // Its owner (the places module for an inspection) keeps it: a task added or a source changed by
  // hand would be a task no re-inspection ever verifies.
  if (isLinkedSource(d.source)) throw errors.conflict('This directive is kept by the record that opened it (an inspection): change it there', { source: d.source });
  return d;
}

/** The unit a directive or meeting is recorded at: the one named, or the actor's only directives.write unit. */
export async function recordingUnit(deps: Deps, actor: Actor, unitId: number | undefined): Promise<{ id: number; path: string }> {
  const scope = requireScope(actor, 'directives.write');
  if (unitId === undefined) {
    if (scope.length > 1) throw errors.validation({ unitId: 'required: you may record directives at more than one unit' });
    const g = actor.grants.find((x) => x.path === scope[0])!;
    return { id: g.unitId, path: g.path };
  }
  const unit = await visibleUnit(deps, actor, unitId).catch(() => {
    throw errors.validation({ unitId: 'no such unit' });
  });
  if (!can(actor, 'tasks.read', unit.path) && !can(actor, 'directives.write', unit.path)) throw errors.validation({ unitId: 'no such unit' });
  if (!can(actor, 'directives.write', unit.path)) throw errors.forbidden();
  return { id: unit.id, path: unit.path };
}

async function detailOf(db: Conn, deps: Deps, actor: Actor, d: store.DirectiveView): Promise<DirectiveDetail> {
  const now = deps.clock.now();
  const paths = can(actor, 'tasks.read', d.unit_path) ? [d.unit_path] : scopeFor(actor, 'tasks.read');
  const [figures, top, files] = await Promise.all([
    store.directiveFigures(db, [d.id], paths, actor.personId, now),
    tasks.listTasks(db, { paths, personId: actor.personId, directiveId: d.id, topLevel: true, state: 'all', now }, 0, 500),
    attachmentsOf(db, 'directive', [d.id]),
  ]);
  const attachmentIds = JSON.parse(d.attachment_ids) as number[];
  // A file taken off by a correction stays linked (the record keeps it) but is no longer shown.
  const linked = new Map((files.get(d.id) ?? []).map((a) => [a.id, a]));
  return {
    ...presentDirective(actor, d, figuresOf(figures.get(d.id))),
    body: d.body,
    attachmentIds,
    attachments: attachmentIds.flatMap((id) => linked.get(id) ?? []),
    tasks: top.rows.map((t) => presentTask(actor, t, now)),
  };
}

/** Record a directive from above, and (optionally) break it into tasks in the same transaction. */
export async function createDirective(deps: Deps, ctx: Ctx, input: DirectiveCreate, extra: { meetingId?: number } = {}): Promise<DirectiveDetail> {
  const actor = requireActor(ctx.actor);
  const unit = await recordingUnit(deps, actor, input.unitId);
  return transact(deps, ctx, async (tx) => {
    const d = await insertDirective(tx, deps, ctx, actor, unit.id, input, extra.meetingId ?? null);
    for (const [i, t] of input.tasks.entries()) {
      await createTasks(tx, deps, ctx, actor, specOf(d, t)).catch((err: unknown) => {
        throw prefixFields(err, `tasks.${i}.`);
      });
    }
    return detailOf(tx, deps, actor, (await store.findDirective(tx, d.id))!);
  });
}

/** Write the directive row and its audit row (the tasks come after). */
export async function insertDirective(tx: Conn, deps: Deps, ctx: Ctx, actor: Actor, unitId: number, input: Omit<DirectiveCreate, 'tasks' | 'unitId'>, meetingId: number | null): Promise<DirectiveRow> {
  const now = deps.clock.now();
  const d = await store.insertDirective(tx, {
    unit_id: unitId,
    source: input.source,
    document_no: input.documentNo ?? null,
    title: input.title,
    body: input.body,
    received_at: input.receivedAt ?? now,
    attachment_ids: JSON.stringify(input.attachmentIds),
    meeting_id: meetingId,
    created_by_user_id: actor.userId,
    created_at: now,
    updated_at: now,
  });
  await linkAttachments(tx, deps, actor, input.attachmentIds, { kind: 'directive', id: d.id });
  await recordAudit(tx, deps, ctx, { action: 'directive.created', entity: 'directive', entityId: d.id, unitId, after: { source: d.source, documentNo: d.document_no, title: d.title } });
  return d;
}

export function specOf(d: Pick<DirectiveRow, 'id' | 'title' | 'unit_id'>, t: TaskAssign) {
  return { directive: d, parent: null, auditUnitId: d.unit_id, title: t.title, instructions: t.instructions, target: t.target, responsible: t.responsible, deadline: t.deadline, evidence: t.evidence };
}

/** A validation error about one of several tasks names its field under that task: tasks.2.deadline. */
function prefixFields(err: unknown, prefix: string): unknown {
  const e = err as { code?: string; fields?: Record<string, string> };
  if (e?.code !== 'validation' || !e.fields) return err;
  return errors.validation(Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [`${prefix}${k}`, v])));
}

/** Break a directive into more tasks: one unit, or many at once. */
export async function assignTasks(deps: Deps, ctx: Ctx, id: number, input: TaskAssign): Promise<TaskAssignResult> {
  const actor = requireActor(ctx.actor);
  const d = await managedDirective(deps.db, actor, id);
  return transact(deps, ctx, async (tx) => ({ directiveId: d.id, ...(await createTasks(tx, deps, ctx, actor, specOf(d, input))) }));
}

/** Correct a directive's header (its source, number, title, text, attachments). */
export async function updateDirective(deps: Deps, ctx: Ctx, id: number, input: DirectiveUpdate): Promise<DirectiveDetail> {
  const actor = requireActor(ctx.actor);
  const d = await managedDirective(deps.db, actor, id);
  return transact(deps, ctx, async (tx) => {
    const set: Partial<store.NewDirective> = { updated_at: deps.clock.now() };
    if (input.source !== undefined) set.source = input.source;
    if (input.documentNo !== undefined) set.document_no = input.documentNo;
    if (input.title !== undefined) set.title = input.title;
    if (input.body !== undefined) set.body = input.body;
    if (input.receivedAt !== undefined) set.received_at = input.receivedAt;
    if (input.attachmentIds !== undefined) {
      // Ids already attached to this directive stay; new ones must be the actor's own fresh uploads.
      const held = new Set((await attachmentsOf(tx, 'directive', [d.id])).get(d.id)!.map((a) => a.id));
      await linkAttachments(tx, deps, actor, input.attachmentIds.filter((x) => !held.has(x)), { kind: 'directive', id: d.id });
      set.attachment_ids = JSON.stringify(input.attachmentIds);
    }
    await store.updateDirective(tx, d.id, set);
    const before = { source: d.source, documentNo: d.document_no, title: d.title, receivedAt: Number(d.received_at), attachmentIds: JSON.parse(d.attachment_ids) as number[] };
    await recordAudit(tx, deps, ctx, { action: 'directive.updated', entity: 'directive', entityId: d.id, unitId: d.unit_id, before, after: { ...input, body: input.body === undefined ? undefined : '(changed)' } });
    return detailOf(tx, deps, actor, (await store.findDirective(tx, d.id))!);
  });
}

/** One directive with its top-level tasks and the progress of the tasks the actor sees. */
export async function getDirective(deps: Deps, ctx: Ctx, id: number): Promise<DirectiveDetail> {
  const actor = requireActor(ctx.actor);
  return detailOf(deps.db, deps, actor, await visibleDirective(deps.db, actor, id));
}

/** One page of directives recorded in, or reaching into, the actor's scope (or one unit's subtree). */
export async function listDirectives(deps: Deps, ctx: Ctx, q: z.infer<typeof DirectiveListQuery>) {
  const actor = requireActor(ctx.actor);
  const paths = requireScope(actor, 'tasks.read');
  let unitPath: string | undefined;
  if (q.unitId !== undefined) {
    const unit = await visibleUnit(deps, actor, q.unitId);
    if (!can(actor, 'tasks.read', unit.path)) throw errors.notFound('unit');
    unitPath = unit.path;
  }
  const { rows, total } = await store.listDirectives(
    deps.db,
    { paths, ...(unitPath ? { unitPath } : {}), ...(q.source ? { source: q.source } : {}), ...(q.q ? { q: q.q } : {}) },
    (q.page - 1) * q.pageSize,
    q.pageSize,
  );
  const figures = await store.directiveFigures(
    deps.db,
    rows.map((r) => r.id),
    unitPath ? [unitPath] : paths,
    null,
    deps.clock.now(),
  );
  return { items: rows.map((d) => presentDirective(actor, d, figuresOf(figures.get(d.id)))), total, page: q.page, pageSize: q.pageSize };
}
