import type { z } from 'zod';
import { addDays, dayOf, startOfDay } from '../../../common/day.js';
import {
  MAX_PATTERN_DAYS,
  type Post,
  type PostCreate,
  type PostKind,
  type PostListQuery,
  type PostPage,
  type PostUpdate,
  type Shift,
  type ShiftCreate,
  type ShiftGrid,
  type ShiftList,
  type ShiftPattern,
  type ShiftQuery,
} from '../../../common/schemas/volunteers.js';
import type { Conn } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import type { Actor, Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { uncovered } from '../duty/duty.gaps.js';
import { daysBetween, handoverInstant } from '../duty/duty.pattern.js';
import { requireActor } from '../org/org.policy.js';
import { visibleUnit } from '../org/units.service.js';
import { visiblePlace } from '../places/places.service.js';
import { canReadVolunteers, canWriteVolunteers } from './volunteers.policy.js';
import { parseSkills, readPaths } from './volunteers.service.js';
import * as store from './volunteers.store.js';

/**
 * Posts that need volunteers (岗位) and their shifts (排班). A shift with fewer people than it needs
 * is short; the grid's gaps are the stretches of short shifts that no fully staffed shift of the
 * post covers — the duty roster's `uncovered()` over the fully staffed shifts.
 */

const H = 3_600_000;

export function presentPost(actor: Actor, p: store.PostView): Post {
  const write = canWriteVolunteers(actor, p.unit_path);
  return {
    id: p.id,
    unitId: p.unit_id,
    unitName: p.unit_name,
    placeId: p.place_id,
    placeName: p.place_name,
    kind: p.kind as PostKind,
    title: p.title,
    needed: p.needed,
    activeFrom: p.active_from,
    activeTo: p.active_to,
    note: p.note,
    shortShifts: p.short_shifts,
    openRequests: p.open_requests,
    createdAt: Number(p.created_at),
    abilities: { edit: write, ask: write },
  };
}

/** A post the actor may see (volunteers.read over its unit), or not_found. */
export async function visiblePost(db: Conn, deps: Deps, actor: Actor, id: number): Promise<store.PostView> {
  const p = await store.findPost(db, id, deps.clock.now());
  if (!p || !canReadVolunteers(actor, p.unit_path)) throw errors.notFound('post');
  return p;
}

/** A visible post the actor may change (volunteers.write), or not_found / 403. */
export async function writablePost(db: Conn, deps: Deps, actor: Actor, id: number): Promise<store.PostView> {
  const p = await visiblePost(db, deps, actor, id);
  if (!canWriteVolunteers(actor, p.unit_path)) throw errors.forbidden('You may not change posts of this unit');
  return p;
}

/** The key place must be one the actor sees (places.read). */
async function checkPlace(deps: Deps, actor: Actor, placeId: number): Promise<void> {
  await visiblePlace(deps.db, actor, placeId).catch(() => {
    throw errors.validation({ placeId: 'no such place' });
  });
}

export async function listPosts(deps: Deps, ctx: Ctx, q: z.output<typeof PostListQuery>): Promise<PostPage> {
  const actor = requireActor(ctx.actor);
  const paths = await readPaths(deps, actor, q.unitId);
  const now = deps.clock.now();
  const today = dayOf(now, deps.config.timeZone);
  const { rows, total } = await store.listPosts(deps.db, { paths, kind: q.kind, activeOn: q.active === undefined ? undefined : { day: today, active: q.active } }, now, (q.page - 1) * q.pageSize, q.pageSize);
  return { items: rows.map((r) => presentPost(actor, r)), total, page: q.page, pageSize: q.pageSize };
}

export async function getPost(deps: Deps, ctx: Ctx, id: number): Promise<Post> {
  const actor = requireActor(ctx.actor);
  return presentPost(actor, await visiblePost(deps.db, deps, actor, id));
}

/** Create a post at a unit, optionally at a key place. */
export async function createPost(deps: Deps, ctx: Ctx, input: PostCreate): Promise<Post> {
  const actor = requireActor(ctx.actor);
  const unit = await visibleUnit(deps, actor, input.unitId).catch(() => {
    throw errors.validation({ unitId: 'no such unit' });
  });
  if (!canReadVolunteers(actor, unit.path) && !canWriteVolunteers(actor, unit.path)) throw errors.validation({ unitId: 'no such unit' });
  if (!canWriteVolunteers(actor, unit.path)) throw errors.forbidden('You may not create posts at this unit');
  if (unit.archived_at !== null) throw errors.validation({ unitId: 'the unit is archived' });
  if (input.placeId !== undefined) await checkPlace(deps, actor, input.placeId);
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const id = await store.insertPost(tx, {
      unit_id: unit.id,
      place_id: input.placeId ?? null,
      kind: input.kind,
      title: input.title,
      needed: input.needed,
      active_from: input.activeFrom,
      active_to: input.activeTo,
      note: input.note ?? null,
      created_by_user_id: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(tx, deps, ctx, { action: 'volunteer_post.created', entity: 'volunteer_post', entityId: id, unitId: unit.id, after: input });
    return presentPost(actor, (await store.findPost(tx, id, now))!);
  });
}

/** Change a post (its unit stays). */
export async function updatePost(deps: Deps, ctx: Ctx, id: number, input: PostUpdate): Promise<Post> {
  const actor = requireActor(ctx.actor);
  const p = await writablePost(deps.db, deps, actor, id);
  if (input.placeId != null) await checkPlace(deps, actor, input.placeId);
  const from = input.activeFrom ?? p.active_from;
  const to = input.activeTo ?? p.active_to;
  if (to < from) throw errors.validation({ activeTo: 'must not be before activeFrom' });
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const set: Parameters<typeof store.updatePost>[2] = { updated_at: now, active_from: from, active_to: to };
    if (input.placeId !== undefined) set.place_id = input.placeId;
    if (input.kind !== undefined) set.kind = input.kind;
    if (input.title !== undefined) set.title = input.title;
    if (input.needed !== undefined) set.needed = input.needed;
    if (input.note !== undefined) set.note = input.note;
    await store.updatePost(tx, id, set);
    await recordAudit(tx, deps, ctx, { action: 'volunteer_post.updated', entity: 'volunteer_post', entityId: id, unitId: p.unit_id, after: input });
    return presentPost(actor, (await store.findPost(tx, id, now))!);
  });
}

// ── shifts ───────────────────────────────────────────────────────────────────────────────────────

/** Shifts with their assignees, each marked short when it has fewer people than it needs. */
export async function presentShifts(db: Conn, shifts: readonly store.ShiftRow[]): Promise<Shift[]> {
  const people = await store.assigneesOf(
    db,
    shifts.map((s) => s.id),
  );
  return shifts.map((s) => {
    const list = people.get(s.id) ?? [];
    return {
      id: s.id,
      postId: s.post_id,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      needed: s.needed,
      short: list.length < s.needed,
      assignees: list.map((a) => ({
        volunteerId: a.volunteer_id,
        personId: a.person_id,
        name: a.name,
        unitName: a.unit_name,
        partyMember: a.party_member === 1,
        youthLeague: a.youth_league === 1,
        skills: parseSkills(a.skills),
        requestId: a.request_id,
        assignedAt: a.assigned_at,
      })),
    };
  });
}

/** The stretches of short shifts that no fully staffed shift covers (duty.gaps' `uncovered`), merged. */
export function gapsOf(shifts: readonly Shift[]): { startsAt: number; endsAt: number }[] {
  const full = shifts.filter((s) => !s.short).map((s) => ({ start: s.startsAt, end: s.endsAt }));
  const pieces = shifts.filter((s) => s.short).flatMap((s) => uncovered(full, s.startsAt, s.endsAt));
  pieces.sort((a, b) => a.start - b.start);
  const out: { startsAt: number; endsAt: number }[] = [];
  for (const p of pieces) {
    const last = out.at(-1);
    if (last && p.start <= last.endsAt) last.endsAt = Math.max(last.endsAt, p.end);
    else out.push({ startsAt: p.start, endsAt: p.end });
  }
  return out;
}

/** A post's shift grid over local days [from, to] (default its first active days, at most MAX_PATTERN_DAYS). */
export async function shiftGrid(deps: Deps, ctx: Ctx, id: number, q: z.output<typeof ShiftQuery>): Promise<ShiftGrid> {
  const actor = requireActor(ctx.actor);
  const p = await visiblePost(deps.db, deps, actor, id);
  const tz = deps.config.timeZone;
  const fromDay = q.from ?? p.active_from;
  let toDay = q.to ?? (addDays(fromDay, 13) < p.active_to ? addDays(fromDay, 13) : p.active_to);
  if (toDay < fromDay) toDay = fromDay;
  if (daysBetween(fromDay, toDay).length > MAX_PATTERN_DAYS) throw errors.validation({ to: `at most ${MAX_PATTERN_DAYS} days after from` });
  const from = startOfDay(fromDay, tz);
  const to = startOfDay(addDays(toDay, 1), tz);
  const shifts = await presentShifts(deps.db, await store.shiftsOfPost(deps.db, p.id, from, to));
  return { post: presentPost(actor, p), from, to, shifts, gaps: gapsOf(shifts) };
}

/** The shift must lie within the post's active days. */
function checkWithinPost(p: store.PostView, startsAt: number, endsAt: number, tz: string): void {
  if (startsAt < startOfDay(p.active_from, tz)) throw errors.validation({ startsAt: `before the post's first day (${p.active_from})` });
  if (startsAt >= startOfDay(addDays(p.active_to, 1), tz)) throw errors.validation({ startsAt: `after the post's last day (${p.active_to})` });
  // A night shift of the last day may run into the next morning.
  if (endsAt > startOfDay(addDays(p.active_to, 2), tz)) throw errors.validation({ endsAt: `too long after the post's last day (${p.active_to})` });
}

/** Add one shift to a post (a repeat of an existing start and end answers that shift). */
export async function addShift(deps: Deps, ctx: Ctx, postId: number, input: ShiftCreate): Promise<Shift> {
  const actor = requireActor(ctx.actor);
  const p = await writablePost(deps.db, deps, actor, postId);
  checkWithinPost(p, input.startsAt, input.endsAt, deps.config.timeZone);
  return transact(deps, ctx, async (tx) => {
    const [id] = await store.insertShifts(tx, p.id, [{ starts_at: input.startsAt, ends_at: input.endsAt, needed: input.needed ?? p.needed }], deps.clock.now());
    await recordAudit(tx, deps, ctx, { action: 'volunteer_shift.created', entity: 'volunteer_shift', entityId: id!, unitId: p.unit_id, after: { postId, ...input } });
    return (await presentShifts(tx, [(await store.findShift(tx, id!))!]))[0]!;
  });
}

/**
 * The slots a pattern lays over local days [from, to]: the duty roster's hand-over instants
 * (duty.pattern.ts), each day tiled by `shiftHours` from `startHour`, keeping those that start
 * within `hoursPerDay` of it. The last slot of a full day ends at the next day's hand-over.
 */
export function patternSlots(p: ShiftPattern, tz: string): { starts_at: number; ends_at: number }[] {
  const out: { starts_at: number; ends_at: number }[] = [];
  for (const day of daysBetween(p.from, p.to)) {
    const base = handoverInstant(day, p.startHour, tz);
    const next = handoverInstant(addDays(day, 1), p.startHour, tz);
    const perDay = 24 / p.shiftHours;
    for (let j = 0; j < perDay && j * p.shiftHours < p.hoursPerDay; j++) {
      const starts = base + j * p.shiftHours * H;
      out.push({ starts_at: starts, ends_at: j === perDay - 1 ? next : starts + p.shiftHours * H });
    }
  }
  return out;
}

/** Lay shifts over days by a pattern; existing identical shifts are kept, not repeated. */
export async function generateShifts(deps: Deps, ctx: Ctx, postId: number, input: ShiftPattern): Promise<ShiftList> {
  const actor = requireActor(ctx.actor);
  const p = await writablePost(deps.db, deps, actor, postId);
  if (daysBetween(input.from, input.to).length > MAX_PATTERN_DAYS) throw errors.validation({ to: `at most ${MAX_PATTERN_DAYS} days after from` });
  if (input.from < p.active_from) throw errors.validation({ from: `before the post's first day (${p.active_from})` });
  if (input.to > p.active_to) throw errors.validation({ to: `after the post's last day (${p.active_to})` });
  const slots = patternSlots(input, deps.config.timeZone);
  return transact(deps, ctx, async (tx) => {
    const ids = await store.insertShifts(
      tx,
      p.id,
      slots.map((s) => ({ ...s, needed: input.needed ?? p.needed })),
      deps.clock.now(),
    );
    await recordAudit(tx, deps, ctx, { action: 'volunteer_shift.generated', entity: 'volunteer_post', entityId: p.id, unitId: p.unit_id, after: { ...input, shifts: ids.length } });
    const rows = await store.shiftsOfPost(tx, p.id, startOfDay(input.from, deps.config.timeZone), startOfDay(addDays(input.to, 2), deps.config.timeZone));
    const wanted = new Set(ids);
    return { items: await presentShifts(tx, rows.filter((r) => wanted.has(r.id))) };
  });
}

/** Remove a shift nobody is assigned to (409 otherwise). */
export async function removeShift(deps: Deps, ctx: Ctx, shiftId: number): Promise<{ ok: true }> {
  const actor = requireActor(ctx.actor);
  const s = await store.findShift(deps.db, shiftId);
  if (!s) throw errors.notFound('shift');
  const p = await store.findPost(deps.db, s.post_id, deps.clock.now());
  if (!p || !canReadVolunteers(actor, p.unit_path)) throw errors.notFound('shift');
  if (!canWriteVolunteers(actor, p.unit_path)) throw errors.forbidden('You may not change posts of this unit');
  const people = (await store.assigneesOf(deps.db, [s.id])).get(s.id) ?? [];
  if (people.length) throw errors.conflict(`The shift has ${people.length} volunteer(s) assigned; unassign them first`, { shift: 'assigned' });
  return transact(deps, ctx, async (tx) => {
    await store.deleteShift(tx, s.id);
    await recordAudit(tx, deps, ctx, { action: 'volunteer_shift.removed', entity: 'volunteer_shift', entityId: s.id, unitId: p.unit_id, before: { postId: s.post_id, startsAt: s.starts_at, endsAt: s.ends_at } });
    return { ok: true as const };
  });
}
