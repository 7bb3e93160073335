import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { loadDemoOrganisation } from '../org/demo.js';
import { linkedTaskStates } from '../directives/tasks.linked.js';
import { blindSpotsIn } from './places.blindspots.js';

describe.each(testDialects())('the demo key places on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  it('gives every site at home 1–3 places, most inspected in time, some blind spots, two open findings with their tasks', async () => {
    await loadDemoOrganisation(t.deps, { people: 600, seed: 1, rosters: false });
    const db = t.deps.db;
    const sites = await db.selectFrom('units').select('id').where('kind', '=', 'site').execute();
    const places = await db.selectFrom('places').select(['unit_id', 'responsible_person_id', 'kind']).execute();
    const perSite = new Map<number, number>();
    for (const p of places) perSite.set(p.unit_id, (perSite.get(p.unit_id) ?? 0) + 1);
    expect(perSite.size).toBeGreaterThan(0);
    expect(perSite.size).toBeLessThanOrEqual(sites.length);
    expect([...perSite.values()].every((n) => n >= 1 && n <= 3)).toBe(true);
    expect(new Set(places.map((p) => p.kind)).size).toBeGreaterThan(2);
    const root = await db.selectFrom('units').select('path').where('parent_id', 'is', null).executeTakeFirstOrThrow();
    const spots = await blindSpotsIn(db, root.path, t.clock.now(), t.deps.config.timeZone);
    expect(spots.total).toBeGreaterThan(0);
    expect(spots.total).toBeLessThan(places.length);
    const findings = await db.selectFrom('place_findings').select(['status', 'task_id']).execute();
    expect(findings.map((f) => f.status)).toEqual(['open', 'open']);
    const tasks = await linkedTaskStates(db, findings.map((f) => f.task_id), t.clock.now());
    expect([...tasks.values()].map((x) => x.status)).toEqual(['assigned', 'assigned']);
  });
});
