import { addDays, dayOf, startOfDay } from '../../../common/day.js';
import { SUGGESTED_SKILLS } from '../../../common/schemas/volunteers.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { demoSubsidiaries, topUnitOf, type DemoShape } from '../places/meetings.demo.js';
import { patternSlots } from './posts.service.js';
import * as store from './volunteers.store.js';

/**
 * The demo organisation's front-line volunteers (called inside the demo's own transaction), so
 * that 志愿服务 has something to show from the first minute: a pool of party and Youth League
 * members at the first subsidiaries, and at each of them three posts — a checkpoint at one of its
 * key places, a testing site, deliveries to quarantined colleagues — with two shifts a day from two
 * days ago to four days ahead, staffed from the subsidiary's own pool. The past shifts give hours
 * served; the pool runs short on the later days, so the grids show gaps; and one unit has asked the
 * command office for people. Bounded cost: at most 3 subsidiaries, 10 volunteers and 3 posts each.
 * `leaveOut`: people kept out of the pool (the demo employee, who signs up on the phone).
 */

const SUBSIDIARIES = 3;
const POOL = 10;
const DAYS_BACK = 2;
const DAYS_AHEAD = 4;
const POSTS: { kind: 'checkpoint' | 'testing_site' | 'delivery'; title: string; needed: number; atPlace: boolean }[] = [
  { kind: 'checkpoint', title: '卡口测温登记', needed: 2, atPlace: true },
  { kind: 'testing_site', title: '核酸采样点秩序维护', needed: 3, atPlace: false },
  { kind: 'delivery', title: '隔离职工物资配送', needed: 1, atPlace: false },
];
const AVAILABILITY = ['工作日晚上', '周末全天', '随时可以', null];
const DAY = 86_400_000;

export async function seedDemoVolunteers(tx: Conn, deps: Deps, shape: DemoShape, leaveOut: readonly number[] = []): Promise<{ volunteers: number; posts: number; shifts: number }> {
  const now = deps.clock.now();
  const tz = deps.config.timeZone;
  const today = dayOf(now, tz);
  const out = { volunteers: 0, posts: 0, shifts: 0 };
  const { root, subs } = demoSubsidiaries(shape, SUBSIDIARIES);
  if (root < 0) return out;
  const subOf = (i: number) => topUnitOf(shape, root, i);
  // A pool spread over the subsidiary's units (every seventh of its active people, topped up from
  // the rest in a small one); a subsidiary too small to staff a slot of every post gets none.
  const peopleOf = new Map<number, number[]>(subs.map((s) => [s, []]));
  for (const p of shape.people) if (p.active && !leaveOut.includes(p.id)) peopleOf.get(subOf(p.unit))?.push(p.id);
  const slotNeeds = POSTS.reduce((a, p) => a + p.needed, 0);
  const poolOf = new Map<number, number[]>();
  for (const [sub, people] of peopleOf) {
    const pool = [...people.filter((_, k) => k % 7 === 3), ...people.filter((_, k) => k % 7 !== 3)].slice(0, POOL);
    if (pool.length >= slotNeeds) poolOf.set(sub, pool);
  }
  const places = await tx.selectFrom('places').select(['id', 'unit_id']).where('archived_at', 'is', null).orderBy('id').execute();
  const indexOfUnit = new Map(shape.units.map((u, i) => [u.id, i]));
  const shortFrom = startOfDay(addDays(today, 2), tz);
  const from = addDays(today, -DAYS_BACK);
  const to = addDays(today, DAYS_AHEAD);
  // The same two slots a day at every post: 08:00–14:00 and 14:00–20:00.
  const slots = patternSlots({ from, to, startHour: 8, shiftHours: 6, hoursPerDay: 12 }, tz);

  for (const [n, s] of subs.entries()) {
    const pool = poolOf.get(s);
    if (!pool) continue;
    const volunteerIds: number[] = [];
    for (const [k, personId] of pool.entries()) {
      volunteerIds.push(
        await store.insertVolunteer(tx, {
          person_id: personId,
          party_member: k % 2 === 0 ? 1 : 0,
          youth_league: k % 3 === 1 ? 1 : 0,
          skills: JSON.stringify([SUGGESTED_SKILLS[k % SUGGESTED_SKILLS.length]!, ...(k % 4 === 0 ? [SUGGESTED_SKILLS[(k + 3) % SUGGESTED_SKILLS.length]!] : [])]),
          availability: AVAILABILITY[k % AVAILABILITY.length] ?? null,
          consent_note: null, // signed up themselves
          added_by_user_id: null,
          joined_at: now - (10 + k) * DAY,
          left_at: null,
          updated_at: now - (10 + k) * DAY,
        }),
      );
    }
    out.volunteers += volunteerIds.length;
    const place = places.find((pl) => {
      const i = indexOfUnit.get(pl.unit_id);
      return i !== undefined && subOf(i) === s;
    });
    const shiftsOf: number[][] = [];
    for (const spec of POSTS) {
      const postId = await store.insertPost(tx, {
        unit_id: shape.units[s]!.id,
        place_id: spec.atPlace && place ? place.id : null,
        kind: spec.kind,
        title: spec.title,
        needed: spec.needed,
        active_from: from,
        active_to: to,
        note: null,
        created_by_user_id: null,
        created_at: now - 3 * DAY,
        updated_at: now - 3 * DAY,
      });
      shiftsOf.push(await store.insertShifts(tx, postId, slots.map((sl) => ({ ...sl, needed: spec.needed })), now - 3 * DAY));
      out.posts++;
      out.shifts += slots.length;
      if (n === 0 && spec.kind === 'testing_site') {
        // The first subsidiary's testing site asks the pool for two more people for the short days.
        await store.insertRequest(tx, { post_id: postId, count: 2, from_at: shortFrom, to_at: startOfDay(addDays(to, 1), tz), note: '采样点人手不足，请志愿者库支援', status: 'open', asked_by_user_id: null, asked_at: now - 3_600_000, closed_at: null });
      }
    }
    // Per slot, the posts take consecutive volunteers from a turning start, so no one is on two
    // posts at once; from the day after tomorrow each post is one short.
    for (const [k, slot] of slots.entries()) {
      let taken = 0;
      for (const [j, spec] of POSTS.entries()) {
        const count = slot.starts_at >= shortFrom ? spec.needed - 1 : spec.needed;
        for (let m = 0; m < count; m++) {
          const v = volunteerIds[(k * 2 + taken + m) % volunteerIds.length]!; // taken + m < slotNeeds ≤ the pool
          await store.insertAssignment(tx, { shift_id: shiftsOf[j]![k]!, volunteer_id: v, request_id: null, assigned_by_user_id: null, assigned_at: now - 3 * DAY });
        }
        taken += count;
      }
    }
  }
  return out;
}
