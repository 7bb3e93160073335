import { addDays, dayOf, startOfDay } from '../../../common/day.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { insertGroup, replaceGroupUnits } from '../org/groups.store.js';
import { checkMeeting } from './meetings.check.js';
import { insertMeeting, replaceAttendees } from './meetings.store.js';
import { insertRoom } from './rooms.store.js';

/**
 * The demo organisation's rooms, meeting registrations and key groups (called inside the demo's own
 * transaction): rooms at the group and its first subsidiaries, a meeting a day at the group and at
 * each of those subsidiaries over the last 14 days, today and tomorrow, with attendee lists (the
 * contact search has something to find), one in five over the room's density limit with a reason and
 * approved; and the suggested key groups. Bounded: at most 6 subsidiaries, 16 days, 20 listed people a
 * meeting — about 110 meetings and 2,000 attendee rows whatever the organisation's size.
 */

export interface DemoShape {
  /** Every unit: its id, its parent's index (null: the root) and kind, in the demo's order. */
  units: readonly { id: number; parent: number | null; kind: string; name: string }[];
  /** Every person: id, unit index, whether active. */
  people: readonly { id: number; unit: number; active: boolean }[];
}

/** The root's index (-1: no root) and the indexes of its first `max` subsidiaries, in the demo's order. */
export function demoSubsidiaries(shape: DemoShape, max: number): { root: number; subs: number[] } {
  const root = shape.units.findIndex((u) => u.parent === null);
  const subs = root < 0 ? [] : shape.units.flatMap((u, i) => (u.parent === root && u.kind === 'subsidiary' ? [i] : [])).slice(0, max);
  return { root, subs };
}

/** The child of the root whose subtree holds unit `i` (the root for the root itself). */
export function topUnitOf(shape: DemoShape, root: number, i: number): number {
  let u = i;
  while (shape.units[u]!.parent !== null && shape.units[u]!.parent !== root) u = shape.units[u]!.parent!;
  return u;
}

const SUBSIDIARIES = 6;
const LISTED = 20;
const HOUR = 3_600_000;

export async function seedDemoMeetings(tx: Conn, deps: Deps, shape: DemoShape): Promise<{ rooms: number; meetings: number; groups: number }> {
  const now = deps.clock.now();
  const tz = deps.config.timeZone;
  const { root, subs } = demoSubsidiaries(shape, SUBSIDIARIES);
  if (root < 0) return { rooms: 0, meetings: 0, groups: 0 };

  // The first active people of each organiser's subtree (the root's: everyone's).
  const topOf = (i: number) => topUnitOf(shape, root, i);
  const pools = new Map<number, number[]>([[root, []], ...subs.map((s) => [s, []] as [number, number[]])]);
  for (const p of shape.people) {
    if (!p.active) continue;
    const rootPool = pools.get(root)!;
    if (rootPool.length < 60) rootPool.push(p.id);
    const sub = pools.get(topOf(p.unit));
    if (sub && sub.length < 60 && topOf(p.unit) !== root) sub.push(p.id);
  }

  const room = async (unit: number, name: string, building: string, capacity: number, ventilated: boolean) =>
    insertRoom(tx, { unit_id: shape.units[unit]!.id, name, building, capacity, ventilated: ventilated ? 1 : 0, archived_at: null, created_by_user_id: null, created_at: now, updated_at: now });
  const groupRooms = [await room(root, '第一会议室', '集团总部大楼', 60, true), await room(root, '第二会议室', '集团总部大楼', 24, true), await room(root, '地下报告厅', '集团总部大楼', 200, false)];
  const subRooms = new Map<number, number>();
  for (const s of subs) subRooms.set(s, await room(s, '会议室', `${shape.units[s]!.name}办公楼`, 30, true));

  const today = dayOf(now, tz);
  const titles = ['疫情防控工作例会', '安全生产调度会', '防控措施落实推进会', '重点场所检查情况通报会', '值班值守工作部署会'];
  let meetings = 0;
  let n = 0;
  const register = async (unit: number, roomId: number, capacity: number, day: string, hour: number) => {
    n += 1;
    const over = n % 5 === 0;
    // Over the room's density: capacity × 0.5 (the default) + a few; otherwise well within it.
    const attendees = over ? Math.floor(capacity / 2) + 3 : Math.min(Math.floor(capacity / 3), 15);
    const minutes = [45, 60, 30, 90][n % 4]!;
    const startAt = startOfDay(day, tz) + hour * HOUR;
    const { limits, breaches } = await checkMeeting(tx, deps, { unitId: shape.units[unit]!.id, startAt, minutes, attendees, ventilated: true, room: { capacity } });
    const pool = pools.get(unit) ?? [];
    const listed = pool.length ? Array.from({ length: Math.min(LISTED, attendees, pool.length) }, (_, k) => pool[(n * 3 + k) % pool.length]!) : [];
    const id = await insertMeeting(tx, {
      unit_id: shape.units[unit]!.id,
      title: titles[n % titles.length]!,
      room_id: roomId,
      place: null,
      start_at: startAt,
      end_at: startAt + minutes * 60_000,
      minutes,
      day: limits.day,
      attendees,
      ventilated: 1,
      note: null,
      reason: breaches.length ? '需全体管理人员参加，已加强通风消毒、间隔就座' : null,
      breaches: JSON.stringify(breaches),
      over_limit: breaches.length ? 1 : 0,
      status: breaches.length ? (day > today ? 'pending' : 'approved') : 'registered',
      registered_by_user_id: null,
      registered_at: startAt - 2 * 24 * HOUR,
      decided_by_user_id: null,
      decided_at: breaches.length && day <= today ? startAt - 24 * HOUR : null,
      decision_note: breaches.length && day <= today ? '同意，注意通风' : null,
      cancelled_by_user_id: null,
      cancelled_at: null,
      cancel_note: null,
      updated_at: now,
    });
    await replaceAttendees(tx, id, [...new Set(listed)]);
    meetings += 1;
  };
  for (let d = -14; d <= 1; d++) {
    const day = addDays(today, d);
    await register(root, groupRooms[d & 1 ? 0 : 1]!, d & 1 ? 60 : 24, day, 14);
    for (const s of subs) await register(s, subRooms.get(s)!, 30, day, 9.5);
  }

  // The suggested key groups (docs/meetings.md): group-wide, by tag.
  const group = async (name: string, description: string, tags: string[]) => {
    const id = await insertGroup(tx, { owner_unit_id: shape.units[root]!.id, name, description, tags: JSON.stringify(tags), archived_at: null, created_by_user_id: null, created_at: now, updated_at: now });
    await replaceGroupUnits(tx, id, []);
  };
  await group('一线站点人员', '车站、机场、场站等一线岗位人员', ['front_line']);
  await group('海外人员', '境外项目及外派人员', ['overseas']);
  return { rooms: groupRooms.length + subRooms.size, meetings, groups: 2 };
}
