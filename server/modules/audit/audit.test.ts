import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildTree, buildUser, ctxFor, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { createUnit } from '../org/units.service.js';
import { verifyAudit } from './audit.service.js';

describe.each(testDialects())('audit chain on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  it('writes the audit row in the transaction of the change: a failed change leaves none', async () => {
    const { root } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const ctx = await ctxFor(t, admin.id);
    const count = async () => Number((await t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    await createUnit(t.deps, ctx, { name: '工会', parentId: root.id, kind: 'department' });
    expect(await count()).toBe(before + 1);
    await expect(createUnit(t.deps, ctx, { name: '工会', parentId: 999_999, kind: 'department' })).rejects.toThrow();
    expect(await count()).toBe(before + 1);
  });

  it('keeps a chain under concurrent writers', async () => {
    const { root } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const ctx = await ctxFor(t, admin.id);
    await Promise.all(Array.from({ length: 12 }, (_, i) => createUnit(t.deps, ctx, { name: `部门${i}`, parentId: root.id, kind: 'department' })));
    expect((await verifyAudit(t.deps)).ok).toBe(true);
  });

  it('verify names the first altered row', async () => {
    const { root } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const ctx = await ctxFor(t, admin.id);
    await createUnit(t.deps, ctx, { name: '纪委', parentId: root.id, kind: 'department' });
    const target = await t.deps.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    await sql`update audit_log set detail = ${'{"after":{"name":"tampered"}}'} where id = ${target.id}`.execute(t.deps.db);
    const r = await verifyAudit(t.deps);
    expect(r).toMatchObject({ ok: false, firstBadId: target.id });
    const app = await t.app();
    const res = await app.inject({ method: 'POST', url: '/api/v1/audit/verify', headers: { cookie: await loginAs(t, admin.id) } });
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, firstBadId: target.id });
    // Put the chain right again for the other tests in this file.
    await sql`delete from audit_log where id >= ${target.id}`.execute(t.deps.db);
  });

  it('filters by unit subtree, actor, entity and time, within the reader scope', async () => {
    const { root, a, b } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const ctx = await ctxFor(t, admin.id);
    const from = t.clock.now();
    await createUnit(t.deps, ctx, { name: 'A 下属', parentId: a.id, kind: 'team' });
    await createUnit(t.deps, ctx, { name: 'B 下属', parentId: b.id, kind: 'team' });
    const sup = await buildUser(t, [{ role: 'supervisor', unit: a }]);
    const app = await t.app();
    const res = await app.inject({ method: 'GET', url: `/api/v1/audit?entity=unit&from=${from}`, headers: { cookie: await loginAs(t, sup.id) } });
    const items = (JSON.parse(res.body) as { items: { detail: { after: { name: string } } }[] }).items;
    expect(items.map((i) => i.detail.after.name)).toEqual(['A 下属']);
    const other = await app.inject({ method: 'GET', url: `/api/v1/audit?unitId=${b.id}`, headers: { cookie: await loginAs(t, sup.id) } });
    expect(other.statusCode).toBe(404);
    const byActor = await app.inject({ method: 'GET', url: `/api/v1/audit?actorUserId=${admin.id}&unitId=${b.id}`, headers: { cookie: await loginAs(t, admin.id) } });
    expect((JSON.parse(byActor.body) as { total: number }).total).toBe(1);
  });
});
