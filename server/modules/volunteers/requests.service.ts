import type { z } from 'zod';
import { localDateTime } from '../../../common/day.js';
import type { RequestCreate, RequestListQuery, RequestPage, RequestStatus, VolunteerRequest } from '../../../common/schemas/volunteers.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import type { Actor, Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyUnitRole } from '../notify/notify.service.js';
import { requireActor } from '../org/org.policy.js';
import { writablePost } from './posts.service.js';
import { canAnswerRequest, canReadVolunteers, canWriteVolunteers } from './volunteers.policy.js';
import { parseSkills, readPaths } from './volunteers.service.js';
import * as store from './volunteers.store.js';

/**
 * A unit asks the pool for people (用人申请): a post, how many, over which period. The pool's keeper
 * (volunteers.write above the unit: the command office) answers by assigning volunteers to the
 * post's shifts with the request's id (volunteers.assign.ts); open → partly_filled → filled follows
 * the distinct people assigned. The asker cancels a request that is not filled.
 */

async function present(db: Conn, actor: Actor, rows: readonly store.RequestView[]): Promise<VolunteerRequest[]> {
  const people = await store.requestAssignees(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    postId: r.post_id,
    postTitle: r.post_title,
    unitId: r.unit_id,
    unitName: r.unit_name,
    count: r.count,
    from: Number(r.from_at),
    to: Number(r.to_at),
    note: r.note,
    status: r.status as RequestStatus,
    filled: r.filled,
    askedByName: r.asked_by_name,
    askedAt: Number(r.asked_at),
    closedAt: r.closed_at === null ? null : Number(r.closed_at),
    assignees: people
      .filter((a) => a.request_id === r.id)
      .map((a) => ({
        volunteerId: a.volunteer_id,
        personId: a.person_id,
        name: a.name,
        unitName: a.unit_name,
        partyMember: a.party_member === 1,
        youthLeague: a.youth_league === 1,
        skills: parseSkills(a.skills),
        requestId: r.id,
        assignedAt: a.assigned_at,
        shiftId: a.shift_id,
        startsAt: a.starts_at,
        endsAt: a.ends_at,
      })),
    abilities: {
      answer: (r.status === 'open' || r.status === 'partly_filled') && canAnswerRequest(actor, r.unit_path),
      cancel: (r.status === 'open' || r.status === 'partly_filled') && canWriteVolunteers(actor, r.unit_path),
    },
  }));
}

async function visibleRequest(db: Conn, actor: Actor, id: number): Promise<store.RequestView> {
  const r = await store.findRequest(db, id);
  if (!r || !canReadVolunteers(actor, r.unit_path)) throw errors.notFound('request');
  return r;
}

export async function listRequests(deps: Deps, ctx: Ctx, q: z.output<typeof RequestListQuery>): Promise<RequestPage> {
  const actor = requireActor(ctx.actor);
  const paths = await readPaths(deps, actor, q.unitId);
  const { rows, total } = await store.listRequests(deps.db, paths, q.status, (q.page - 1) * q.pageSize, q.pageSize);
  return { items: await present(deps.db, actor, rows), total, page: q.page, pageSize: q.pageSize };
}

export async function getRequest(deps: Deps, ctx: Ctx, id: number): Promise<VolunteerRequest> {
  const actor = requireActor(ctx.actor);
  return (await present(deps.db, actor, [await visibleRequest(deps.db, actor, id)]))[0]!;
}

/** Ask the pool for people for a post; the command office above the unit is told. */
export async function createRequest(deps: Deps, ctx: Ctx, input: RequestCreate): Promise<VolunteerRequest> {
  const actor = requireActor(ctx.actor);
  const post = await writablePost(deps.db, deps, actor, input.postId).catch((err: unknown) => {
    if ((err as { code?: string }).code === 'not_found') throw errors.validation({ postId: 'no such post' });
    throw err;
  });
  if (input.to <= deps.clock.now()) throw errors.validation({ to: 'must be in the future' });
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const id = await store.insertRequest(tx, { post_id: post.id, count: input.count, from_at: input.from, to_at: input.to, note: input.note ?? null, status: 'open', asked_by_user_id: actor.userId, asked_at: now, closed_at: null });
    await recordAudit(tx, deps, ctx, { action: 'volunteer_request.created', entity: 'volunteer_request', entityId: id, unitId: post.unit_id, after: input });
    const parent = post.unit_path.split('/').filter(Boolean).map(Number).at(-2) ?? post.unit_id;
    const tz = deps.config.timeZone;
    await notifyUnitRole(tx, deps, parent, ['command'], {
      kind: 'volunteers.request_asked',
      params: { unit: post.unit_name, post: post.title, count: input.count, from: localDateTime(input.from, tz), to: localDateTime(input.to, tz) },
      unitId: null,
      entity: 'volunteer_request',
      entityId: String(id),
      link: '/duty/volunteers?tab=requests',
    });
    return (await present(tx, actor, [(await store.findRequest(tx, id))!]))[0]!;
  });
}

/** Cancel a request that is not filled; people already assigned stay on their shifts. */
export async function cancelRequest(deps: Deps, ctx: Ctx, id: number): Promise<VolunteerRequest> {
  const actor = requireActor(ctx.actor);
  const r = await visibleRequest(deps.db, actor, id);
  if (!canWriteVolunteers(actor, r.unit_path)) throw errors.forbidden('You may not cancel requests of this unit');
  if (r.status === 'cancelled' || r.status === 'filled') throw errors.conflict(`The request is ${r.status}`, { status: r.status });
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    await store.updateRequest(tx, id, { status: 'cancelled', closed_at: now });
    await recordAudit(tx, deps, ctx, { action: 'volunteer_request.cancelled', entity: 'volunteer_request', entityId: id, unitId: r.unit_id, before: { status: r.status } });
    return (await present(tx, actor, [(await store.findRequest(tx, id))!]))[0]!;
  });
}
