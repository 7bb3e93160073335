import type { z } from 'zod';
import type { DecisionAssign, Meeting, MeetingCreate, MeetingDetail, MeetingListQuery, TaskAssignResult } from '../../../common/schemas/directives.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { findUnit } from '../org/units.store.js';
import { directiveAbilities } from './directives.policy.js';
import { insertDirective, recordingUnit, specOf } from './directives.service.js';
import * as directives from './directives.store.js';
import * as store from './meetings.store.js';
import { createTasks } from './tasks.assign.js';

/**
 * Meetings of the command (such as the leading group's meeting of the source document) recorded
 * with their decisions. A decision becomes tasks in one step: the first time, a directive (source
 * 'meeting') is made for it and linked; later calls add tasks to that same directive.
 */

function presentMeeting(actor: Actor, m: store.MeetingView): Meeting {
  return {
    id: m.id,
    unitId: m.unit_id,
    unitName: m.unit_name,
    title: m.title,
    heldAt: Number(m.held_at),
    place: m.place,
    chair: m.chair,
    decisionCount: m.decision_count,
    createdAt: Number(m.created_at),
    abilities: directiveAbilities(actor, m.unit_path),
  };
}

async function detailOf(db: Conn, actor: Actor, m: store.MeetingView): Promise<MeetingDetail> {
  const decisions = await store.decisionsOf(db, m.id);
  return {
    ...presentMeeting(actor, m),
    attendees: m.attendees,
    minutes: m.minutes,
    decisions: decisions.map((d) => ({ id: d.id, position: d.position, text: d.text, directiveId: d.directive_id })),
  };
}

/** A meeting the actor may see (tasks.read over its unit), or not_found. */
async function visibleMeeting(db: Conn, actor: Actor, id: number): Promise<store.MeetingView> {
  const m = await store.findMeeting(db, id);
  if (!m || !(can(actor, 'tasks.read', m.unit_path) || can(actor, 'directives.write', m.unit_path))) throw errors.notFound('meeting');
  return m;
}

async function managedMeeting(db: Conn, actor: Actor, id: number): Promise<store.MeetingView> {
  const m = await visibleMeeting(db, actor, id);
  if (!can(actor, 'directives.write', m.unit_path)) throw errors.forbidden();
  return m;
}

/** Record a meeting with its decisions. */
export async function createMeeting(deps: Deps, ctx: Ctx, input: MeetingCreate): Promise<MeetingDetail> {
  const actor = requireActor(ctx.actor);
  const unit = await recordingUnit(deps, actor, input.unitId);
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const m = await store.insertMeeting(tx, {
      unit_id: unit.id,
      title: input.title,
      held_at: input.heldAt,
      place: input.place ?? null,
      chair: input.chair ?? null,
      attendees: input.attendees ?? null,
      minutes: input.minutes ?? null,
      created_by_user_id: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await store.insertDecisions(
      tx,
      input.decisions.map((d, i) => ({ meeting_id: m.id, position: i + 1, text: d.text, directive_id: null, created_at: now })),
    );
    await recordAudit(tx, deps, ctx, { action: 'meeting.created', entity: 'meeting', entityId: m.id, unitId: unit.id, after: { title: m.title, heldAt: input.heldAt, decisions: input.decisions.length } });
    return detailOf(tx, actor, (await store.findMeeting(tx, m.id))!);
  });
}

/** Add a decision to a recorded meeting. */
export async function addDecision(deps: Deps, ctx: Ctx, id: number, input: { text: string }): Promise<MeetingDetail> {
  const actor = requireActor(ctx.actor);
  const m = await managedMeeting(deps.db, actor, id);
  return transact(deps, ctx, async (tx) => {
    const position = await store.nextPosition(tx, m.id);
    await store.insertDecisions(tx, [{ meeting_id: m.id, position, text: input.text, directive_id: null, created_at: deps.clock.now() }]);
    await recordAudit(tx, deps, ctx, { action: 'meeting.decision_added', entity: 'meeting', entityId: m.id, unitId: m.unit_id, after: { position } });
    return detailOf(tx, actor, (await store.findMeeting(tx, m.id))!);
  });
}

export async function getMeeting(deps: Deps, ctx: Ctx, id: number): Promise<MeetingDetail> {
  const actor = requireActor(ctx.actor);
  return detailOf(deps.db, actor, await visibleMeeting(deps.db, actor, id));
}

/** One page of meetings recorded in the actor's scope (or one unit's subtree). */
export async function listMeetings(deps: Deps, ctx: Ctx, q: z.infer<typeof MeetingListQuery>) {
  const actor = requireActor(ctx.actor);
  let paths = requireScope(actor, 'tasks.read');
  if (q.unitId !== undefined) {
    const u = await findUnit(deps.db, q.unitId);
    if (!u || !can(actor, 'tasks.read', u.path)) throw errors.notFound('unit');
    paths = [u.path];
  }
  const { rows, total } = await store.listMeetings(deps.db, paths, (q.page - 1) * q.pageSize, q.pageSize);
  return { items: rows.map((m) => presentMeeting(actor, m)), total, page: q.page, pageSize: q.pageSize };
}

/** Turn a decision into tasks in one step (its directive is made the first time). */
export async function assignDecision(deps: Deps, ctx: Ctx, id: number, decisionId: number, input: DecisionAssign): Promise<TaskAssignResult> {
  const actor = requireActor(ctx.actor);
  const m = await managedMeeting(deps.db, actor, id);
  const decision = await store.findDecision(deps.db, m.id, decisionId);
  if (!decision) throw errors.notFound('decision');
  return transact(deps, ctx, async (tx) => {
    let directive = decision.directive_id === null ? undefined : await directives.findDirective(tx, decision.directive_id);
    if (!directive) {
      const title = input.title ?? (decision.text.length > 200 ? `${decision.text.slice(0, 199)}…` : decision.text);
      const d = await insertDirective(tx, deps, ctx, actor, m.unit_id, { source: 'meeting', title, body: `${m.title}\n\n${decision.text}`, receivedAt: Number(m.held_at), attachmentIds: [] }, m.id);
      if (!(await store.linkDecision(tx, decision.id, d.id))) throw errors.conflict('The decision was turned into tasks meanwhile; reload it', { decisionId: 'changed' });
      directive = (await directives.findDirective(tx, d.id))!;
    }
    return { directiveId: directive.id, ...(await createTasks(tx, deps, ctx, actor, specOf(directive, input))) };
  });
}

