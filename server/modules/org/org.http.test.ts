import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';

describe.each(testDialects())('org over HTTP on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function call(cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) {
    const app = await t.app();
    const res = await app.inject({ method, url, headers: { cookie, ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : null, headers: res.headers };
  }

  it('creates, renames, moves and archives units, with an audit row for each', async () => {
    const { root, a, b } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const c = await loginAs(t, admin.id);
    const created = await call(c, 'POST', '/api/v1/units', { name: '安工部', parentId: a.id });
    expect(created.status).toBe(201);
    const id = created.body!.id as number;
    expect((await call(c, 'PATCH', `/api/v1/units/${id}`, { name: '安全工程部' })).body!.name).toBe('安全工程部');
    const moved = await call(c, 'POST', `/api/v1/units/${id}/move`, { parentId: b.id });
    expect(moved.status).toBe(200);
    expect(moved.body!.parentId).toBe(b.id);
    expect(moved.body!.depth).toBe(2);
    const archived = await call(c, 'PATCH', `/api/v1/units/${id}`, { archived: true });
    expect(archived.body!.archived).toBe(true);
    const audit = await call(c, 'GET', `/api/v1/audit?entity=unit&entityId=${id}`);
    expect((audit.body!.items as { action: string }[]).map((i) => i.action)).toEqual(['unit.archived', 'unit.moved', 'unit.updated', 'unit.created']);
  });

  it('refuses to move a unit under its own branch and names the field', async () => {
    const { root, a, a1 } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const c = await loginAs(t, admin.id);
    const r = await call(c, 'POST', `/api/v1/units/${a.id}/move`, { parentId: a1.id });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: 'validation', fields: { parentId: expect.any(String) } } });
  });

  it('a unit with active people cannot be archived or deleted', async () => {
    const { root, a1 } = await buildTree(t);
    await buildPerson(t, a1);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const c = await loginAs(t, admin.id);
    expect((await call(c, 'PATCH', `/api/v1/units/${a1.id}`, { archived: true })).status).toBe(409);
    expect((await call(c, 'DELETE', `/api/v1/units/${a1.id}`)).status).toBe(409);
  });

  it('a liaison sees only their subtree: other people are 404 and absent from lists and counts', async () => {
    const { a, a1, b } = await buildTree(t);
    const mine = await buildPerson(t, a1, { name: '张三' });
    const theirs = await buildPerson(t, b, { name: '张四' });
    const liaison = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const c = await loginAs(t, liaison.id);
    expect((await call(c, 'GET', `/api/v1/people/${mine.id}`)).status).toBe(200);
    expect((await call(c, 'GET', `/api/v1/people/${theirs.id}`)).status).toBe(404);
    const list = await call(c, 'GET', '/api/v1/people?q=张&pageSize=200');
    const ids = (list.body!.items as { id: number }[]).map((p) => p.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(list.body!.total).toBe(ids.length);
    expect((await call(c, 'GET', `/api/v1/people?unitId=${b.id}`)).status).toBe(404);
  });

  it('searches the whole organisation ignoring ASCII case, with LIKE wildcards taken literally, and counts what it lists', async () => {
    const { a, b } = await buildTree(t);
    const upper = await buildPerson(t, a, { name: 'ZHAO Search', employeeNo: 'ZS-100%' });
    const lower = await buildPerson(t, b, { name: 'zhao search' });
    const decoy = await buildPerson(t, b, { name: 'ZHAO_Xsearch', employeeNo: 'ZS-1000' });
    // Granted on every root: the scope is the whole organisation, the count's cheaper path.
    const roots = await t.deps.db.selectFrom('units').selectAll().where('parent_id', 'is', null).execute();
    const admin = await buildUser(t, roots.map((unit) => ({ role: 'admin' as const, unit })));
    const c = await loginAs(t, admin.id);
    const found = await call(c, 'GET', `/api/v1/people?q=${encodeURIComponent('Zhao SEARCH')}&pageSize=200`);
    const ids = (found.body!.items as { id: number }[]).map((p) => p.id).sort((x, y) => x - y);
    expect(ids).toEqual([upper.id, lower.id].sort((x, y) => x - y));
    expect(found.body!.total).toBe(2);
    const literal = await call(c, 'GET', `/api/v1/people?q=${encodeURIComponent('zs-100%')}`);
    expect((literal.body!.items as { id: number }[]).map((p) => p.id)).toEqual([upper.id]);
    expect(literal.body!.total).toBe(1);
    expect(decoy.id).toBeGreaterThan(0);
  });

  it('masks phone numbers for roles that do not need them', async () => {
    const { a } = await buildTree(t);
    const p = await buildPerson(t, a, { phone: '13900001111' });
    const sup = await buildUser(t, [{ role: 'supervisor', unit: a }]);
    const r = await call(await loginAs(t, sup.id), 'GET', `/api/v1/people/${p.id}`);
    expect(r.body!.phone).toBe('139****1111');
  });

  it('rejects unknown fields and bad values with 400 naming the field, changing nothing', async () => {
    const { root } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const c = await loginAs(t, admin.id);
    const before = await t.deps.db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const r1 = await call(c, 'POST', '/api/v1/units', { name: 'x', parentId: root.id, colour: 'red' });
    expect(r1.status).toBe(400);
    expect(r1.body).toMatchObject({ error: { fields: { colour: 'unknown field' } } });
    const r2 = await call(c, 'POST', '/api/v1/units', { name: '', parentId: root.id });
    expect(r2.body).toMatchObject({ error: { fields: { name: expect.any(String) } } });
    const r3 = await call(c, 'GET', '/api/v1/units/abc');
    expect(r3.status).toBe(400);
    const after = await t.deps.db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('replays a create retried with the same Idempotency-Key', async () => {
    const { root, a } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const c = await loginAs(t, admin.id);
    const body = { name: '李四', unitId: a.id, employeeNo: `IDEM${Date.now()}` };
    const first = await call(c, 'POST', '/api/v1/people', body, { 'idempotency-key': `k-${body.employeeNo}` });
    const again = await call(c, 'POST', '/api/v1/people', body, { 'idempotency-key': `k-${body.employeeNo}` });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body!.id).toBe(first.body!.id);
    const other = await call(c, 'POST', '/api/v1/people', { ...body, name: '王五' }, { 'idempotency-key': `k-${body.employeeNo}` });
    expect(other.status).toBe(409);
  });

  it('transfers a person and marks them as left', async () => {
    const { root, a, b } = await buildTree(t);
    const p = await buildPerson(t, a);
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const c = await loginAs(t, admin.id);
    const moved = await call(c, 'PATCH', `/api/v1/people/${p.id}`, { unitId: b.id, tags: ['front_line', '司机'] });
    expect(moved.body).toMatchObject({ unitId: b.id, tags: ['front_line', '司机'] });
    const left = await call(c, 'PATCH', `/api/v1/people/${p.id}`, { status: 'left' });
    expect(left.body).toMatchObject({ status: 'left', leftOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  it('a moved branch changes what a user sees on the very next request', async () => {
    const { a, b } = await buildTree(t);
    const inner = await buildUnit(t, { parent: b });
    const p = await buildPerson(t, inner);
    const liaison = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const c = await loginAs(t, liaison.id);
    expect((await call(c, 'GET', `/api/v1/people/${p.id}`)).status).toBe(404);
    const admin = await buildUser(t, [{ role: 'admin', unit: b }, { role: 'admin', unit: a }]);
    const ac = await loginAs(t, admin.id);
    expect((await call(ac, 'POST', `/api/v1/units/${inner.id}/move`, { parentId: a.id })).status).toBe(200);
    expect((await call(c, 'GET', `/api/v1/people/${p.id}`)).status).toBe(200);
  });
});
