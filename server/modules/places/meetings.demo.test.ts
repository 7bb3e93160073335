import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { loadDemoOrganisation } from '../org/demo.js';
import { sharedMeetings } from './meetings.contacts.js';

describe.each(testDialects())('the demo meetings on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  it('seeds rooms, two weeks of meetings with attendee lists (some over a limit and approved) and the suggested key groups', async () => {
    await loadDemoOrganisation(t.deps, { people: 600, seed: 1, rosters: false });
    const db = t.deps.db;
    const count = async (table: 'rooms' | 'meeting_registrations' | 'meeting_attendees' | 'key_groups') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('rooms')).toBeGreaterThanOrEqual(4);
    const meetings = await count('meeting_registrations');
    expect(meetings).toBeGreaterThanOrEqual(16);
    expect(meetings).toBeLessThanOrEqual(16 * 7);
    expect(await count('meeting_attendees')).toBeGreaterThan(0);
    expect((await db.selectFrom('key_groups').select('name').orderBy('id').execute()).map((g) => g.name)).toEqual(['一线站点人员', '海外人员']);
    const over = await db.selectFrom('meeting_registrations').select(['status', 'reason', 'breaches']).where('over_limit', '=', 1).execute();
    expect(over.length).toBeGreaterThan(0);
    expect(over.every((m) => m.reason !== null && JSON.parse(m.breaches).length > 0 && ['approved', 'pending'].includes(m.status))).toBe(true);
    // Someone listed has people they shared a meeting with.
    const someone = await db.selectFrom('meeting_attendees').select('person_id').orderBy('person_id').executeTakeFirstOrThrow();
    expect((await sharedMeetings(db, someone.person_id, t.clock.now() - 15 * 86_400_000, t.clock.now() + 2 * 86_400_000)).length).toBeGreaterThan(0);
  });
});
