import type { z } from 'zod';
import { addDays, dayOf, startOfDay } from '../../../common/day.js';
import { MAX_HOURS_DAYS, type HoursQuery, type HoursReport, type NowQuery, type OnShiftNow, type PostKind } from '../../../common/schemas/volunteers.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { requireActor } from '../org/org.policy.js';
import { daysBetween } from '../duty/duty.pattern.js';
import { readPaths } from './volunteers.service.js';
import * as store from './volunteers.store.js';

/** What the command office watches: who is on shift now, and the hours each volunteer has served. */

const hoursOf = (ms: number) => Math.round(ms / 360_000) / 10;

/** Shifts running now at posts of a subtree, with the people on them (an empty shift is listed too: nobody is there). */
export async function onShiftNow(deps: Deps, ctx: Ctx, q: z.output<typeof NowQuery>): Promise<OnShiftNow> {
  const actor = requireActor(ctx.actor);
  const paths = await readPaths(deps, actor, q.unitId);
  const at = deps.clock.now();
  const shifts = await store.shiftsRunning(deps.db, paths, at);
  const people = await store.assigneesOf(
    deps.db,
    shifts.map((s) => s.shift_id),
  );
  const posts = shifts.map((s) => ({
    postId: s.post_id,
    title: s.title,
    kind: s.kind as PostKind,
    unitId: s.unit_id,
    unitName: s.unit_name,
    placeName: s.place_name,
    shiftId: s.shift_id,
    startsAt: s.starts_at,
    endsAt: s.ends_at,
    needed: s.needed,
    people: (people.get(s.shift_id) ?? []).map((a) => ({ volunteerId: a.volunteer_id, name: a.name, unitName: a.unit_name })),
  }));
  return { at, posts, total: posts.reduce((n, p) => n + p.people.length, 0) };
}

/** Hours of finished shifts starting in local days [from, to], per volunteer of a subtree, most first. */
export async function hoursReport(deps: Deps, ctx: Ctx, q: z.output<typeof HoursQuery>): Promise<HoursReport> {
  const actor = requireActor(ctx.actor);
  const paths = await readPaths(deps, actor, q.unitId);
  const tz = deps.config.timeZone;
  const now = deps.clock.now();
  const to = q.to ?? dayOf(now, tz);
  const from = q.from ?? addDays(to, -29);
  if (to < from) throw errors.validation({ to: 'must not be before from' });
  if (daysBetween(from, to).length > MAX_HOURS_DAYS) throw errors.validation({ from: `at most ${MAX_HOURS_DAYS} days before to` });
  const rows = await store.hoursServed(deps.db, paths, startOfDay(from, tz), startOfDay(addDays(to, 1), tz), now);
  const items = rows
    .map((r) => ({ volunteerId: r.volunteer_id, name: r.name, unitName: r.unit_name, partyMember: r.party_member === 1, youthLeague: r.youth_league === 1, shifts: r.shifts, hours: hoursOf(r.ms) }))
    .sort((a, b) => b.hours - a.hours || a.name.localeCompare(b.name, 'zh-CN'));
  return { from, to, items, totalHours: hoursOf(rows.reduce((n, r) => n + r.ms, 0)) };
}
