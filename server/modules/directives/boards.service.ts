import type { z } from 'zod';
import { dayOf, endOfDay, startOfDay } from '../../../common/day.js';
import type { DirectiveProgress, DueToday, OnTimeQuery, OnTimeRecord, ProgressFigures, TaskStatus } from '../../../common/schemas/directives.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { can, type Actor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { requireActor, requireScope } from '../org/org.policy.js';
import { personNames } from '../org/people.store.js';
import { findUnit, listChildren } from '../org/units.store.js';
import * as store from './boards.store.js';
import { visibleDirective } from './directives.service.js';
import { presentTask } from './tasks.service.js';
import * as tasks from './tasks.store.js';

/**
 * The boards: a directive's progress as a tree of units (with where its cascade is stuck), the
 * tasks due today across the actor's scope, and a unit's on-time record over a period. Each is
 * one indexed query summed up the tree in memory, never one query per unit.
 */

const OPEN = new Set(['assigned', 'acknowledged']);
const collator = new Intl.Collator('zh-CN');
const empty = (): ProgressFigures => ({ total: 0, inTime: 0, overdue: 0, done: 0, verified: 0, late: 0 });

function add(f: ProgressFigures, t: store.BoardTask, now: number): void {
  f.total += 1;
  if (OPEN.has(t.status)) {
    if (t.deadline < now) f.overdue += 1;
    else f.inTime += 1;
  } else if (t.status === 'done') f.done += 1;
  else if (t.status === 'verified') f.verified += 1;
  if (t.completed_at !== null && t.completed_at > t.deadline) f.late += 1;
}

/** A unit the actor reads tasks of, or not_found. */
async function taskUnit(db: Conn, actor: Actor, id: number): Promise<{ id: number; name: string; path: string }> {
  const u = await findUnit(db, id);
  if (!u || !can(actor, 'tasks.read', u.path)) throw errors.notFound('unit');
  return u;
}

/** The unit whose subtree a board shows: the one asked for, else the directive's (when readable), else the actor's topmost. */
async function focusUnit(db: Conn, actor: Actor, unitId: number | undefined, preferred: { id: number; path: string } | null) {
  if (unitId !== undefined) return taskUnit(db, actor, unitId);
  if (preferred && can(actor, 'tasks.read', preferred.path)) return taskUnit(db, actor, preferred.id);
  const [top] = requireScope(actor, 'tasks.read');
  const g = actor.grants.find((x) => x.path === top)!;
  return { id: g.unitId, name: g.unitName, path: g.path };
}

/** A directive's progress by unit: the focus unit, each child subtree holding tasks, the totals, and the stuck points. */
export async function directiveProgress(deps: Deps, ctx: Ctx, id: number, q: { unitId?: number | undefined }): Promise<DirectiveProgress> {
  const actor = requireActor(ctx.actor);
  requireScope(actor, 'tasks.read');
  const d = await visibleDirective(deps.db, actor, id);
  const focus = await focusUnit(deps.db, actor, q.unitId, { id: d.unit_id, path: d.unit_path });
  const rows = await store.directiveTasksIn(deps.db, d.id, focus.path);
  const now = deps.clock.now();
  const partCount = new Map<number, number>();
  const openParents = new Set<number>();
  for (const t of rows) {
    if (t.parent_id === null) continue;
    partCount.set(t.parent_id, (partCount.get(t.parent_id) ?? 0) + 1);
    if (OPEN.has(t.status)) openParents.add(t.parent_id);
  }
  const total = empty();
  const own: store.BoardTask[] = [];
  const children = new Map<number, { figures: ProgressFigures; tasks: store.BoardTask[]; deeper: boolean }>();
  const depth = focus.path.length;
  for (const t of rows) {
    add(total, t, now);
    if (t.unit_id === focus.id) {
      own.push(t);
      continue;
    }
    const childId = Number(t.unit_path.slice(depth, t.unit_path.indexOf('/', depth)));
    let c = children.get(childId);
    if (!c) children.set(childId, (c = { figures: empty(), tasks: [], deeper: false }));
    add(c.figures, t, now);
    if (t.unit_id === childId) c.tasks.push(t);
    else c.deeper = true;
  }
  const stuckRows = rows
    .filter((t) => OPEN.has(t.status) && !openParents.has(t.id))
    .sort((a, b) => Number(b.deadline < now) - Number(a.deadline < now) || a.deadline - b.deadline || a.id - b.id)
    .slice(0, 100);
  // Names only for what is shown: the child units, the stuck tasks' units, the responsible people on view.
  const shown = [...own, ...[...children.values()].flatMap((c) => c.tasks), ...stuckRows];
  const [names, people] = await Promise.all([
    store.unitNames(deps.db, [...new Set([...children.keys(), ...stuckRows.map((t) => t.unit_id)])]),
    personNames(deps.db, [...new Set(shown.map((t) => t.responsible_person_id))]),
  ]);
  const brief = (t: store.BoardTask) => ({
    id: t.id,
    status: t.status as TaskStatus,
    overdue: OPEN.has(t.status) && t.deadline < now,
    deadline: t.deadline,
    responsibleName: people.get(t.responsible_person_id) ?? '',
    partCount: partCount.get(t.id) ?? 0,
  });
  return {
    directiveId: d.id,
    unit: { ...total, unitId: focus.id, name: focus.name, hasChildren: children.size > 0, tasks: own.map(brief) },
    children: [...children.entries()]
      .map(([unitId, c]) => ({ ...c.figures, unitId, name: names.get(unitId) ?? '', hasChildren: c.deeper, tasks: c.tasks.map(brief) }))
      .sort((a, b) => b.overdue - a.overdue || collator.compare(a.name, b.name)),
    total,
    stuck: stuckRows.map((t) => ({
      taskId: t.id,
      unitId: t.unit_id,
      unitName: t.unit_id === focus.id ? focus.name : (names.get(t.unit_id) ?? ''),
      status: t.status as TaskStatus,
      overdue: t.deadline < now,
      deadline: t.deadline,
      responsibleName: people.get(t.responsible_person_id) ?? '',
    })),
  };
}

/** The tasks due today (in the deployment's time zone) across the actor's scope or one unit's subtree. */
export async function dueToday(deps: Deps, ctx: Ctx, q: { unitId?: number | undefined }): Promise<DueToday> {
  const actor = requireActor(ctx.actor);
  let paths = requireScope(actor, 'tasks.read');
  if (q.unitId !== undefined) paths = [(await taskUnit(deps.db, actor, q.unitId)).path];
  const now = deps.clock.now();
  const tz = deps.config.timeZone;
  const day = dayOf(now, tz);
  const from = startOfDay(day, tz);
  const to = endOfDay(day, tz);
  const [f, page] = await Promise.all([
    store.figuresIn(deps.db, paths, from, to, now),
    tasks.listTasks(deps.db, { paths, state: 'all', deadlineFrom: from, deadlineTo: to, now }, 0, 500),
  ]);
  return {
    day,
    figures: { total: f.total, inTime: f.in_time, overdue: f.overdue, done: f.done, verified: f.verified, late: f.late },
    items: page.rows.map((t) => presentTask(actor, t, now)),
  };
}

type OnTime = OnTimeRecord['own'];
const noOnTime = (): OnTime => ({ due: 0, onTime: 0, late: 0, missed: 0, pending: 0, rate: null });
function addOnTime(into: OnTime, r: store.OnTimeRow): void {
  into.due += r.due;
  into.onTime += r.on_time;
  into.late += r.late;
  into.missed += r.missed;
  into.pending += r.pending;
}
function withRate(f: OnTime): OnTime {
  const ended = f.onTime + f.late + f.missed;
  return { ...f, rate: ended === 0 ? null : f.onTime / ended };
}

/** A unit's on-time record over a period (tasks whose deadline fell in it): its own, its subtree's, and each child's. */
export async function onTimeRecord(deps: Deps, ctx: Ctx, unitId: number, q: z.infer<typeof OnTimeQuery>): Promise<OnTimeRecord> {
  const actor = requireActor(ctx.actor);
  const unit = await taskUnit(deps.db, actor, unitId);
  const tz = deps.config.timeZone;
  const rows = await store.onTimeByUnit(deps.db, unit.path, startOfDay(q.from, tz), endOfDay(q.to, tz), deps.clock.now());
  const own = noOnTime();
  const subtree = noOnTime();
  const kids = await listChildren(deps.db, unit.id, false);
  const byChild = new Map(kids.map((k) => [k.id, noOnTime()]));
  for (const r of rows) {
    addOnTime(subtree, r);
    if (r.unit_id === unit.id) addOnTime(own, r);
    else {
      const childId = Number(r.unit_path.slice(unit.path.length).split('/')[0]);
      const c = byChild.get(childId);
      if (c) addOnTime(c, r);
    }
  }
  return {
    unitId: unit.id,
    unitName: unit.name,
    from: q.from,
    to: q.to,
    own: withRate(own),
    subtree: withRate(subtree),
    children: kids.map((k) => ({ ...withRate(byChild.get(k.id)!), unitId: k.id, name: k.name })),
  };
}
