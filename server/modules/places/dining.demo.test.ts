import { describe, expect, it } from 'vitest';
import type { MyDining, Plan } from '../../../common/schemas/dining.js';
import { testDialects, testEnv } from '../../../test/env.js';
import { buildUser, loginAs } from '../../../test/factories.js';
import { send } from '../../../test/http.js';
import { loadDemoOrganisation } from '../org/demo.js';

describe.each(testDialects())('the demo organisation’s canteens on %s', (dialect) => {
  it('has a canteen at the group and at each subsidiary, each with a published plan that gives its people a slot', async () => {
    const t = await testEnv(dialect);
    try {
      await loadDemoOrganisation(t.deps, { people: 1500, seed: 3, rosters: false });
      const canteens = await t.deps.db.selectFrom('canteens').select(['id', 'unit_id']).execute();
      const subs = await t.deps.db.selectFrom('units').select('id').where('kind', '=', 'subsidiary').where('depth', '=', 1).execute();
      expect(canteens.length).toBeGreaterThanOrEqual(subs.length);
      const plans = await t.deps.db.selectFrom('dining_plans').select(['id', 'canteen_id', 'status']).execute();
      expect(plans.map((p) => p.status)).toEqual(canteens.map(() => 'published'));
      // Its own person at a department of the first subsidiary eats there, at every meal.
      const person = await t.deps.db
        .selectFrom('people')
        .innerJoin('units', 'units.id', 'people.unit_id')
        .select(['people.id', 'units.path'])
        .where('units.depth', '>=', 3)
        .where('people.status', '=', 'active')
        .orderBy('people.id')
        .executeTakeFirstOrThrow();
      const user = await buildUser(t, [{ role: 'employee', unit: (await t.deps.db.selectFrom('units').selectAll().where('path', '=', person.path).executeTakeFirstOrThrow()) }], { personId: person.id });
      const app = await t.app();
      const mine = (await send(app, await loginAs(t, user.id), { method: 'GET', url: '/api/v1/me/dining' })).json as MyDining;
      expect(mine.meals.map((m) => m.meal)).toEqual(['breakfast', 'lunch', 'dinner']);
      // The plans are real planner output: no slot over its seats.
      const admin = await buildUser(t, [{ role: 'admin', unit: (await t.deps.db.selectFrom('units').selectAll().where('parent_id', 'is', null).executeTakeFirstOrThrow()) }]);
      const cookie = await loginAs(t, admin.id);
      for (const p of plans) {
        const plan = (await send(app, cookie, { method: 'GET', url: `/api/v1/canteens/${p.canteen_id}/plans/${p.id}` })).json as Plan;
        for (const m of plan.meals) for (const s of m.slots) expect(s.load).toBeLessThanOrEqual(s.seats);
        expect(plan.unplacedUnits).toBe(0);
      }
    } finally {
      await t.close();
    }
  });
});
