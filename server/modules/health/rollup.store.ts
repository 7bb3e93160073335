import { sql, type ExpressionBuilder } from 'kysely';
import type { Conn, DbHandle } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { hotQuery } from '../../db/hot.js';
import { COUNT_COLUMNS, type CountColumn } from './health.policy.js';

/** A unit's (or a child subtree's) headcount now and counts of the day; null where there is none. */
export type FiguresRow = { active: number | null } & Record<CountColumn, number | null>;

export type ChildFiguresRow = FiguresRow & {
  id: number;
  name: string;
  sort_order: number;
  archived_at: number | null;
  has_children: number | boolean;
};

type Joined = ExpressionBuilder<Database & { u: Database['units']; h: Database['unit_headcounts']; c: Database['checkin_counts'] }, 'u' | 'h' | 'c'>;

const summed = (eb: Joined) => [eb.fn.sum<number | null>('h.active').as('active'), ...COUNT_COLUMNS.map((k) => eb.fn.sum<number | null>(`c.${k}`).as(k))];

/**
 * Each child of a unit with its whole subtree's figures, summed by the database: every unit of the
 * subtree is visited once through the child's range of units.path, joined by primary key to its
 * headcount (unit_headcounts, kept by triggers on people) and its counts of the day (checkin_counts,
 * kept by every check-in), and only one row per child comes back. No person and no check-in is
 * read. A cached prepared statement on SQLite.
 */
const childrenQuery = hotQuery((db: Conn, day: string, unitId: number) =>
  db
    .selectFrom('units as ch')
    .innerJoin('units as u', (j) =>
      // The child's subtree: ['/…/7/', '/…/70') in byte order, as db/tree.ts subtreeUpperBound.
      j.on((eb) => eb.and([eb('u.path', '>=', eb.ref('ch.path')), eb('u.path', '<', sql<string>`substr(ch.path, 1, length(ch.path) - 1) || '0'`)])),
    )
    .leftJoin('unit_headcounts as h', 'h.unit_id', 'u.id')
    .leftJoin('checkin_counts as c', (j) => j.onRef('c.unit_id', '=', 'u.id').on('c.day', '=', day))
    .select((eb) => [
      'ch.id',
      'ch.name',
      'ch.sort_order',
      'ch.archived_at',
      eb
        .exists(eb.selectFrom('units as g').select('g.id').whereRef('g.parent_id', '=', 'ch.id').where('g.archived_at', 'is', null))
        .as('has_children'),
      ...summed(eb as unknown as Joined),
    ])
    .where('ch.parent_id', '=', unitId)
    .groupBy(['ch.id', 'ch.name', 'ch.sort_order', 'ch.archived_at']),
);

export async function childrenWithFigures(handle: DbHandle, unitId: number, day: string): Promise<ChildFiguresRow[]> {
  return (await childrenQuery(handle, day, unitId)) as unknown as ChildFiguresRow[];
}

/** The unit's own figures: its own people and check-ins, none of its children's. */
const ownQuery = hotQuery((db: Conn, day: string, unitId: number) =>
  db
    .selectFrom('units as u')
    .leftJoin('unit_headcounts as h', 'h.unit_id', 'u.id')
    .leftJoin('checkin_counts as c', (j) => j.onRef('c.unit_id', '=', 'u.id').on('c.day', '=', day))
    .select(['h.active', ...COUNT_COLUMNS.map((k) => `c.${k}` as const)])
    .where('u.id', '=', unitId),
);

export async function ownFigures(handle: DbHandle, unitId: number, day: string): Promise<FiguresRow | undefined> {
  return ((await ownQuery(handle, day, unitId)) as FiguresRow[])[0];
}
