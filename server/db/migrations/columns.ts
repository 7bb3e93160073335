import type { CreateTableBuilder } from 'kysely';
import type { Dialect } from '../database.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against the schema as it was then, not today's types */
export type TableBuilder = CreateTableBuilder<any, any>;

/**
 * The column types every migration writes the same way on both databases: an integer identity
 * key, and instants as milliseconds (bigint on PostgreSQL, where integer stops at 2^31). Shipped
 * migrations depend on this file, so it must never change what it produces: a new kind of column
 * gets a new function.
 */
export function migrationColumns(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const id = (t: TableBuilder): TableBuilder =>
    pg ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  const ms = pg ? 'bigint' : 'integer';
  return { pg, id, ms } as const;
}
