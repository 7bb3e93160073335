import { sql, type ExpressionBuilder, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Units carry a materialised path of ids, '/1/5/23/'. Every path under '/1/5/' sorts in the
 * half-open range ['/1/5/', '/1/50') in byte order ('0' follows '/'), so a subtree is one range
 * on the unique index of units.path: no recursion, no LIKE (which PostgreSQL will not index under
 * a non-C collation).
 */
export function pathOf(parentPath: string | null, id: number): string {
  return `${parentPath ?? '/'}${id}/`;
}

export function subtreeUpperBound(path: string): string {
  return `${path.slice(0, -1)}0`;
}

export function isWithin(path: string, rootPath: string): boolean {
  return path.startsWith(rootPath);
}

/** Ancestor ids of a path, from the root down, excluding the unit itself. */
export function ancestorIds(path: string): number[] {
  const ids = path.split('/').filter(Boolean).map(Number);
  ids.pop();
  return ids;
}

/** The ids of a path from the root down to the unit itself. */
export function chainIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/**
 * The unit itself, else its nearest ancestor, for which `has` holds; undefined when none does.
 * "The unit head of a unit" is everywhere this rule: the holders on the unit, else on the nearest
 * unit above that has any.
 */
export function nearestUp(path: string, has: (unitId: number) => boolean): number | undefined {
  return chainIds(path).findLast(has);
}

/** Keep only the topmost of a set of paths (a path inside another adds nothing to a scope). */
export function topmostPaths(paths: readonly string[]): string[] {
  const sorted = [...new Set(paths)].sort();
  const out: string[] = [];
  for (const p of sorted) if (!out.some((q) => p.startsWith(q))) out.push(p);
  return out;
}

/**
 * SQL condition "column lies in one of these subtrees". An empty list is false: a scope of nothing
 * matches no row, never all rows.
 */
export function pathInSubtrees<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  column: string,
  paths: readonly string[],
): Expression<SqlBool> {
  if (paths.length === 0) return sql<SqlBool>`1 = 0`;
  const ref = sql.ref(column);
  return eb.or(paths.map((p) => sql<SqlBool>`(${ref} >= ${p} and ${ref} < ${subtreeUpperBound(p)})`));
}

/**
 * Figures of a subtree, grouped by unit, summed for the unit itself, for each of its children's
 * subtrees and for the whole: the drill-down of every progress tree (a campaign's, a notice's
 * receipts). `pathOf` knows the units under `unitPath`; rows of a unit it does not know are skipped.
 */
export function sumByChild<R extends { unit_id: number }, F>(
  rows: readonly R[],
  pathOf: ReadonlyMap<number, string>,
  unitPath: string,
  zero: () => F,
  addInto: (f: F, r: R) => void,
): { own: F; total: F; byChild: Map<number, F> } {
  const depth = unitPath.split('/').filter(Boolean).length;
  const own = zero();
  const total = zero();
  const byChild = new Map<number, F>();
  for (const r of rows) {
    const path = pathOf.get(r.unit_id);
    if (path === undefined) continue;
    addInto(total, r);
    const ids = path.split('/').filter(Boolean);
    if (ids.length <= depth) addInto(own, r);
    else {
      const child = Number(ids[depth]);
      const f = byChild.get(child) ?? zero();
      addInto(f, r);
      byChild.set(child, f);
    }
  }
  return { own, total, byChild };
}

/**
 * SQL: the path of the child of `parentPath` whose subtree a unit's path (`column`) lies in, or
 * `parentPath` itself for the unit's own rows: rows grouped by it are summed per child in the
 * database, so a subtree of thousands of units answers with one row per child. For rows of the
 * parent's subtree only. Group by its alias: PostgreSQL does not match a repeated expression with
 * parameters.
 */
export function childPathSql(dialect: 'sqlite' | 'postgres', column: string, parentPath: string): RawBuilder<string> {
  const ref = sql.ref(column);
  const rest = sql`substr(${ref}, ${sql.lit(parentPath.length + 1)})`;
  const slash = dialect === 'postgres' ? sql`strpos(${rest}, '/')` : sql`instr(${rest}, '/')`;
  return sql<string>`substr(${ref}, 1, ${sql.lit(parentPath.length)} + ${slash})`;
}

/** The id a unit path ends with. */
export function idOfPath(path: string): number {
  return Number(path.slice(0, -1).split('/').pop());
}
