import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { buildUnit } from '../../../test/factories.js';

describe.each(testDialects())('migration 016 (%s)', (dialect) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv(dialect);
  });
  afterAll(async () => env.close());

  it('creates the incident tables, with the once-per-level guard on the timeline', async () => {
    const { db } = env.deps;
    const now = 1;
    const unit = await buildUnit(env);
    const inc = await db
      .insertInto('incidents')
      .values({ unit_id: unit.id, kind: 'other', severity: 'general', title: 't', description: 'd', occurred_at: now, place: null, status: 'open', top_position: 0, current_position: 0, filed_by_user_id: null, filed_at: now, resolution: null, resolved_at: null, resolved_by_user_id: null, review: null, closed_at: null, closed_by_user_id: null, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const lvl = await db.insertInto('incident_levels').values({ incident_id: inc.id, position: 0, unit_id: unit.id, state: 'waiting', limit_minutes: 1, arrived_at: now, deadline: now, acknowledged_at: null, acknowledged_by_user_id: null, ack_note: null, alerted_at: null, skipped_at: null, realerted_at: null }).returning('id').executeTakeFirstOrThrow();
    const ev = { incident_id: inc.id, level_id: lvl.id, kind: 'alerted', actor_user_id: null, at: now, note: null, detail: '{}' };
    await db.insertInto('incident_events').values(ev).execute();
    await expect(db.insertInto('incident_events').values(ev).execute()).rejects.toThrow();
    await db.insertInto('incident_events').values({ ...ev, kind: 'action' }).execute();
    await db.insertInto('incident_events').values({ ...ev, kind: 'action' }).execute();
  });
});
