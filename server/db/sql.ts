import { sql, type Expression, type SqlBool } from 'kysely';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Case-insensitive LIKE that behaves the same on both databases: SQLite needs an explicit ESCAPE
 * for the backslash, PostgreSQL's LIKE is case-sensitive where SQLite's is not.
 */
export function likeText(column: string, text: string, mode: 'contains' | 'prefix'): Expression<SqlBool> {
  const e = escapeLike(text.toLowerCase());
  const pattern = mode === 'contains' ? `%${e}%` : `${e}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/** True when an error from either driver is a unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
