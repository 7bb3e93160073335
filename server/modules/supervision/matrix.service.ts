import { addDays, dayOf, startOfDay } from '../../../common/day.js';
import type { DutyRole } from '../../../common/schemas/duty.js';
import {
  EMPTY_POST_KINDS,
  MATRIX_LIST_LIMIT,
  type EmptyPost,
  type EmptyPostKind,
  type MatrixPage,
  type MatrixShift,
  type MatrixUnit,
  type Responsible,
} from '../../../common/schemas/supervision.js';
import type { TaskStatus } from '../../../common/schemas/directives.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { coverageGaps } from '../duty/duty.gaps.js';
import { membersOf, shiftsOfUnitsOverlapping, unitsKeepingDuty } from '../duty/duty.store.js';
import { requireActor } from '../org/org.policy.js';
import { placeResponsiblesIn } from '../places/places.store.js';
import * as store from './matrix.store.js';
import { usersOfPeople } from './overdue.store.js';
import { scopeRoots } from './supervision.policy.js';

/**
 * The responsibility matrix (责任到人): for every unit of a subtree its heads and liaisons (grants at
 * the unit itself), its key places' responsible persons, its open tasks' responsible persons and the
 * people of its shifts today; and every empty post (站好位、不缺位). The empty posts are computed for
 * the whole subtree in a few indexed passes (so `emptyOnly` pages and the totals are exact); the
 * details (places, tasks, shifts) only for the units of the page.
 */

type Query = { unitId?: number | undefined; emptyOnly?: boolean | undefined; page: number; pageSize: number };

const emptyCounts = (): Record<EmptyPostKind, number> => Object.fromEntries(EMPTY_POST_KINDS.map((k) => [k, 0])) as Record<EmptyPostKind, number>;

export async function responsibilityMatrix(deps: Deps, ctx: Ctx, q: Query): Promise<MatrixPage> {
  const actor = requireActor(ctx.actor);
  const roots = await scopeRoots(deps, actor, 'supervision.read', q.unitId);
  const paths = roots.map((r) => r.path);
  const { db } = deps;
  const now = deps.clock.now();
  const tz = deps.config.timeZone;
  const day = dayOf(now, tz);
  const dayStart = startOfDay(day, tz);
  const dayEnd = startOfDay(addDays(day, 1), tz);

  const units = await store.unitsIn(db, paths);
  const [heads, liaisons, places, taskCounts, keeping] = await Promise.all([
    store.holdersIn(db, paths, 'unit_head'),
    store.holdersIn(db, paths, 'liaison'),
    placeResponsiblesIn(db, paths),
    store.openTaskCounts(db, paths),
    unitsKeepingDuty(
      db,
      units.map((u) => u.id),
    ),
  ]);
  const rosterUnits = units.filter((u) => keeping.has(u.id));
  const gaps = rosterUnits.length === 0 ? [] : await coverageGaps(db, rosterUnits, dayStart, (dayEnd - dayStart) / 86_400_000);

  const placesByUnit = new Map<number, typeof places>();
  for (const p of places) {
    const list = placesByUnit.get(p.unit_id) ?? [];
    list.push(p);
    placesByUnit.set(p.unit_id, list);
  }
  const posts = new Map<number, EmptyPost[]>();
  const add = (unitId: number, p: Partial<EmptyPost> & { kind: EmptyPostKind }) => {
    const list = posts.get(unitId) ?? [];
    list.push({ placeId: null, placeName: null, role: null, startsAt: null, endsAt: null, ...p });
    posts.set(unitId, list);
  };
  for (const u of units) {
    if (!heads.has(u.id)) add(u.id, { kind: 'no_head' });
    if (!liaisons.has(u.id)) add(u.id, { kind: 'no_liaison' });
    for (const p of placesByUnit.get(u.id) ?? []) if (p.responsible_person_id === null) add(u.id, { kind: 'place_without_responsible', placeId: p.id, placeName: p.name });
  }
  for (const g of gaps) add(g.unitId, { kind: 'duty_uncovered', role: g.role, startsAt: g.startsAt, endsAt: g.endsAt });

  const totals = emptyCounts();
  for (const list of posts.values()) for (const p of list) totals[p.kind] += 1;

  const listed = q.emptyOnly ? units.filter((u) => posts.has(u.id)) : units;
  const page = listed.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  const pageIds = page.map((u) => u.id);
  const baseDepth = new Map(roots.map((r) => [r.path, r.depth]));
  const depthOf = (path: string, depth: number) => {
    const root = paths.find((p) => path.startsWith(p));
    return depth - (root === undefined ? 0 : (baseDepth.get(root) ?? 0));
  };

  // Details for the page's units only.
  const tasks = await store.openTasksOf(db, pageIds);
  const pageKeeping = pageIds.filter((id) => keeping.has(id));
  const shifts = pageKeeping.length === 0 ? [] : await shiftsOfUnitsOverlapping(db, pageKeeping, dayStart, dayEnd);
  const members = await membersOf(
    db,
    shifts.map((s) => s.id),
  );
  const pagePlaces = pageIds.flatMap((id) => (placesByUnit.get(id) ?? []).slice(0, MATRIX_LIST_LIMIT));
  const users = await usersOfPeople(db, [
    ...tasks.map((t) => t.responsible_person_id),
    ...members.map((m) => m.person_id),
    ...pagePlaces.flatMap((p) => (p.responsible_person_id === null ? [] : [p.responsible_person_id])),
  ]);
  const person = (personId: number, name: string): Responsible => ({ personId, userId: users.get(personId) ?? null, name });

  const tasksByUnit = new Map<number, typeof tasks>();
  for (const t of tasks) {
    const list = tasksByUnit.get(t.unit_id) ?? [];
    if (list.length < MATRIX_LIST_LIMIT) list.push(t);
    tasksByUnit.set(t.unit_id, list);
  }
  const membersByShift = new Map<number, typeof members>();
  for (const m of members) {
    const list = membersByShift.get(m.shift_id) ?? [];
    list.push(m);
    membersByShift.set(m.shift_id, list);
  }
  const shiftsByUnit = new Map<number, MatrixShift[]>();
  for (const s of [...shifts].sort((a, b) => Number(a.starts_at) - Number(b.starts_at))) {
    const ms = membersByShift.get(s.id) ?? [];
    const of = (role: DutyRole) => ms.filter((m) => m.role === role).map((m) => person(m.person_id, m.name));
    const list = shiftsByUnit.get(s.unit_id) ?? [];
    list.push({ shiftId: s.id, startsAt: Number(s.starts_at), endsAt: Number(s.ends_at), leaders: of('leader'), officers: of('officer') });
    shiftsByUnit.set(s.unit_id, list);
  }

  const items = page.map(
    (u): MatrixUnit => ({
      unitId: u.id,
      unitName: u.name,
      parentId: u.parent_id,
      depth: depthOf(u.path, u.depth),
      heads: heads.get(u.id) ?? [],
      liaisons: liaisons.get(u.id) ?? [],
      places: (placesByUnit.get(u.id) ?? []).slice(0, MATRIX_LIST_LIMIT).map((p) => ({
        placeId: p.id,
        placeName: p.name,
        responsible: p.responsible_person_id === null ? null : person(p.responsible_person_id, p.responsible_name ?? ''),
      })),
      placesTotal: placesByUnit.get(u.id)?.length ?? 0,
      tasks: (tasksByUnit.get(u.id) ?? []).map((t) => ({
        taskId: t.id,
        title: t.title,
        status: t.status as TaskStatus,
        deadline: t.deadline,
        overdue: t.deadline < now,
        responsible: person(t.responsible_person_id, t.person_name),
      })),
      tasksTotal: taskCounts.get(u.id) ?? 0,
      keepsDuty: keeping.has(u.id),
      shifts: shiftsByUnit.get(u.id) ?? [],
      emptyPosts: posts.get(u.id) ?? [],
    }),
  );
  return { items, total: listed.length, page: q.page, pageSize: q.pageSize, day, unitsTotal: units.length, emptyPosts: totals };
}
