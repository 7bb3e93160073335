import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

/**
 * Decide once whether the PostgreSQL half of the suite runs. It runs whenever the server is
 * reachable; BULWARK_REQUIRE_PG=1 (set by .ci/run) turns "unreachable" into a failure so CI can
 * never pass on SQLite alone by accident.
 */
export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.BULWARK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  let ok = false;
  if (process.env.BULWARK_TEST_PG !== 'off') {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      ok = true;
    } catch {
      ok = false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (!ok && process.env.BULWARK_REQUIRE_PG === '1') throw new Error(`PostgreSQL is required (BULWARK_REQUIRE_PG=1) but ${url} is not reachable`);
  if (!ok) console.warn(`\n[bulwark tests] PostgreSQL not reachable at ${url}: running on SQLite only\n`);
  project.provide('pgUrl', ok ? url : null);
}
