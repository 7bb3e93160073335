import type { Conn } from '../../db/database.js';
import { pathInSubtrees } from '../../db/tree.js';

/** The overview's counts (issue 7): each one indexed pass over a subtree, drills left out. */

/** Tasks (not of drill directives) of the subtree with a deadline in [from, to], and open ones past their deadline at `now`. */
export async function taskCounts(db: Conn, path: string, from: number, to: number, now: number): Promise<{ dueToday: number; overdue: number }> {
  const base = db
    .selectFrom('tasks as t')
    .innerJoin('directives as d', 'd.id', 't.directive_id')
    .innerJoin('units as u', 'u.id', 't.unit_id')
    .where('d.drill', '=', 0)
    .where((eb) => pathInSubtrees(eb, 'u.path', [path]));
  const [due, overdue] = await Promise.all([
    base.where('t.deadline', '>=', from).where('t.deadline', '<=', to).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base.where('t.status', 'in', ['assigned', 'acknowledged']).where('t.deadline', '<', now).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { dueToday: Number(due.n), overdue: Number(overdue.n) };
}

/** Open incidents (not drills) filed in the subtree, by severity. */
export async function openIncidentsBySeverity(db: Conn, path: string): Promise<{ severity: string; count: number }[]> {
  const rows = await db
    .selectFrom('incidents as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .where('i.status', '=', 'open')
    .where('i.drill', '=', 0)
    .where((eb) => pathInSubtrees(eb, 'u.path', [path]))
    .select((eb) => ['i.severity', eb.fn.countAll<number>().as('n')])
    .groupBy('i.severity')
    .orderBy('i.severity')
    .execute();
  return rows.map((r) => ({ severity: r.severity, count: Number(r.n) }));
}

/** Open health watches of the subtree's people: a count. */
export async function openWatchCount(db: Conn, path: string): Promise<number> {
  const r = await db
    .selectFrom('health_watches as w')
    .innerJoin('units as u', 'u.id', 'w.unit_id')
    .where('w.status', '=', 'open')
    .where((eb) => pathInSubtrees(eb, 'u.path', [path]))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Which of these units keep a roster. */
export async function unitsWithRoster(db: Conn, unitIds: readonly number[]): Promise<Map<number, string>> {
  if (unitIds.length === 0) return new Map();
  const rows = await db.selectFrom('duty_rosters as r').innerJoin('units as u', 'u.id', 'r.unit_id').where('r.unit_id', 'in', [...unitIds]).select(['u.id', 'u.name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
