import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../common/schemas/campaigns.js';
import type { Group, GroupMemberPage } from '../../../common/schemas/groups.js';
import type { Notice } from '../../../common/schemas/notices.js';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { updatePerson } from './people.store.js';

describe.each(testDialects())('key groups on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  const call = async (cookie: string, req: HttpRequest) => send(await t.app(), cookie, req);

  /** Group → two subsidiaries (each with a station); front-line people in both, others untagged. */
  async function world() {
    const root = await buildUnit(t, { name: '集团' });
    const a = await buildUnit(t, { parent: root, name: '交发集团', kind: 'subsidiary' });
    const a1 = await buildUnit(t, { parent: a, name: '青岛站' });
    const b = await buildUnit(t, { parent: root, name: '青岛航空', kind: 'subsidiary' });
    const user = async (role: Parameters<typeof buildUser>[1][number]['role'], unit: UnitRow) => {
      const u = await buildUser(t, [{ role, unit }]);
      return { id: u.id, cookie: await loginAs(t, u.id) };
    };
    const people = {
      a1Front: await buildPerson(t, a1, { name: '甲站务', tags: ['front_line'] }),
      a1Office: await buildPerson(t, a1, { name: '乙文员' }),
      aOverseas: await buildPerson(t, a, { name: '丙外派', tags: ['overseas'] }),
      bFront: await buildPerson(t, b, { name: '丁机务', tags: ['front_line'] }),
      bLeft: await buildPerson(t, b, { name: '戊离职', tags: ['front_line'] }),
    };
    await updatePerson(t.deps.db, people.bLeft.id, { status: 'left' });
    return {
      root,
      a,
      a1,
      b,
      people,
      command: await user('command', root),
      aCommand: await user('command', a),
      aHead: await user('unit_head', a),
      aLiaison: await user('liaison', a),
      bHead: await user('unit_head', b),
      employee: await user('employee', a1),
    };
  }
  type World = Awaited<ReturnType<typeof world>>;

  const create = (w: World, cookie: string, body: Record<string, unknown>) => call(cookie, { method: 'POST', url: '/api/v1/groups', body: { name: '一线站点人员', ownerUnitId: w.root.id, ...body } });
  const members = async (cookie: string, id: number) => {
    const r = await call(cookie, { method: 'GET', url: `/api/v1/groups/${id}/members` });
    expect(r.status).toBe(200);
    return r.json as GroupMemberPage;
  };

  it('keeps a group with groups.write over the owner unit: create, change, archive; units inside the owner only', async () => {
    const w = await world();
    const made = await create(w, w.command.cookie, { description: '车站、机场一线岗位', tags: ['front_line'] });
    expect(made.status).toBe(201);
    const g = made.json as Group;
    expect(g).toMatchObject({ name: '一线站点人员', ownerUnit: { id: w.root.id }, units: [], tags: ['front_line'], abilities: { edit: true, archive: true } });
    expect((await create(w, w.command.cookie, {})).status).toBe(409);
    expect((await create(w, w.aLiaison.cookie, { ownerUnitId: w.a.id })).status).toBe(403);
    const outside = await create(w, w.aHead.cookie, { name: '交发一线', ownerUnitId: w.a.id, unitIds: [w.b.id] });
    expect(outside.status).toBe(400);
    expect(outside.json).toMatchObject({ error: { fields: { unitIds: expect.any(String) } } });
    const own = await create(w, w.aHead.cookie, { name: '交发一线', ownerUnitId: w.a.id, unitIds: [w.a1.id, w.a.id], tags: ['front_line'] });
    // A unit inside another adds nobody: the topmost only.
    expect(own.json).toMatchObject({ units: [{ id: w.a.id }] });
    // A head of the subsidiary may not change the group-wide group, but sees it (404 would hide it).
    expect((await call(w.aHead.cookie, { method: 'PATCH', url: `/api/v1/groups/${g.id}`, body: { name: 'x' } })).status).toBe(403);
    expect((await call(w.aHead.cookie, { method: 'DELETE', url: `/api/v1/groups/${g.id}` })).status).toBe(403);
    // Below the owner without groups.write: 403; another branch: 404, as if it did not exist.
    const ownId = (own.json as Group).id;
    expect((await call(w.aLiaison.cookie, { method: 'PATCH', url: `/api/v1/groups/${ownId}`, body: { name: 'x' } })).status).toBe(403);
    expect((await call(w.bHead.cookie, { method: 'PATCH', url: `/api/v1/groups/${ownId}`, body: { name: 'x' } })).status).toBe(404);
    expect((await call(w.bHead.cookie, { method: 'DELETE', url: `/api/v1/groups/${ownId}` })).status).toBe(404);
    const changed = await call(w.command.cookie, { method: 'PATCH', url: `/api/v1/groups/${g.id}`, body: { unitIds: [w.a1.id, w.b.id], description: null } });
    expect(changed.json).toMatchObject({ description: null });
    expect((changed.json as Group).units.map((u) => u.id).sort()).toEqual([w.a1.id, w.b.id].sort());
    expect((await call(w.command.cookie, { method: 'DELETE', url: `/api/v1/groups/${g.id}` })).json).toEqual({ ok: true });
    const list = await call(w.command.cookie, { method: 'GET', url: '/api/v1/groups' });
    expect((list.json as { items: Group[] }).items.map((x) => x.id)).not.toContain(g.id);
    expect((await call(w.command.cookie, { method: 'GET', url: `/api/v1/groups/${g.id}` })).json).toMatchObject({ archivedAt: expect.any(Number), abilities: { edit: false } });
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('entity', '=', 'key_group').where('entity_id', '=', String(g.id)).orderBy('id').execute();
    expect(audit.map((x) => x.action)).toEqual(['group.created', 'group.updated', 'group.archived']);
  });

  it("is seen by people.read over the owner or a scope under it; members only within the reader's scope, live", async () => {
    const w = await world();
    const wide = (await create(w, w.command.cookie, { tags: ['front_line'] })).json as Group;
    const bOnly = (await create(w, w.bHead.cookie, { name: '航空一线', ownerUnitId: w.b.id, tags: ['front_line'] })).json as Group;
    const listed = async (cookie: string, query: Record<string, string> = {}) =>
      ((await call(cookie, { method: 'GET', url: '/api/v1/groups', query })).json as { items: Group[] }).items.map((g) => g.id);
    expect(await listed(w.aLiaison.cookie)).toContain(wide.id);
    expect(await listed(w.aLiaison.cookie)).not.toContain(bOnly.id);
    expect(await listed(w.command.cookie)).toEqual(expect.arrayContaining([wide.id, bOnly.id]));
    expect(await listed(w.command.cookie, { unitId: String(w.a.id) })).toEqual([wide.id]);
    expect((await call(w.aLiaison.cookie, { method: 'GET', url: `/api/v1/groups/${bOnly.id}` })).status).toBe(404);
    expect((await call(w.employee.cookie, { method: 'GET', url: '/api/v1/groups' })).status).toBe(403);
    expect((await call(w.employee.cookie, { method: 'GET', url: `/api/v1/groups/${wide.id}/members` })).status).toBe(404);

    // The command office sees the whole group; the subsidiary only its own part. People who left are out.
    const all = await members(w.command.cookie, wide.id);
    expect(all.total).toBe(2);
    expect(all.items.map((m) => m.personId).sort()).toEqual([w.people.a1Front.id, w.people.bFront.id].sort());
    expect(await members(w.aLiaison.cookie, wide.id)).toMatchObject({ total: 1, items: [{ personId: w.people.a1Front.id, unitId: w.a1.id }] });
    // Resolved live: a new tag counts at once.
    await buildPerson(t, w.a, { name: '己新人', tags: ['front_line'] });
    expect((await members(w.aLiaison.cookie, wide.id)).total).toBe(2);
    // Units narrow it: only the station.
    await call(w.command.cookie, { method: 'PATCH', url: `/api/v1/groups/${wide.id}`, body: { unitIds: [w.a1.id] } });
    expect((await members(w.command.cookie, wide.id)).items.map((m) => m.name)).toEqual(['甲站务']);
  });

  it('campaigns take groupId instead of unitIds/tags, clipped to the actor\'s scope, and show the group', async () => {
    const w = await world();
    const g = (await create(w, w.command.cookie, { tags: ['front_line'] })).json as Group;
    const campaign = (cookie: string, extra: Record<string, unknown>) => call(cookie, { method: 'POST', url: '/api/v1/campaigns', body: { name: '一线人员核酸', startDay: '2026-11-24', endDay: '2026-11-25', ...extra } });
    const both = await campaign(w.command.cookie, { groupId: g.id, unitIds: [w.a.id] });
    expect(both.status).toBe(400);
    expect(both.json).toMatchObject({ error: { fields: { groupId: expect.any(String) } } });
    const whole = await campaign(w.command.cookie, { groupId: g.id });
    expect(whole.status).toBe(201);
    const c = whole.json as Campaign;
    expect(c).toMatchObject({ group: { id: g.id, name: '一线站点人员' }, tags: ['front_line'], units: [{ id: w.root.id }] });
    const due = async (id: number) => (await t.deps.db.selectFrom('campaign_people').select('person_id').where('campaign_id', '=', id).execute()).map((r) => r.person_id).sort();
    expect(await due(c.id)).toEqual([w.people.a1Front.id, w.people.bFront.id].sort());
    // A subsidiary's command office using the group-wide group targets its own part only.
    const part = (await campaign(w.aCommand.cookie, { groupId: g.id })).json as Campaign;
    expect(part).toMatchObject({ group: { id: g.id }, units: [{ id: w.a.id }] });
    expect(await due(part.id)).toEqual([w.people.a1Front.id]);
    expect((await call(w.command.cookie, { method: 'GET', url: `/api/v1/campaigns/${part.id}` })).json).toMatchObject({ group: { id: g.id, name: '一线站点人员' } });
    // A group out of sight reads as absent; an archived one is refused.
    const bOnly = (await create(w, w.bHead.cookie, { name: '航空一线', ownerUnitId: w.b.id })).json as Group;
    expect((await campaign(w.aCommand.cookie, { groupId: bOnly.id })).json).toMatchObject({ error: { fields: { groupId: 'no such group' } } });
    await call(w.command.cookie, { method: 'DELETE', url: `/api/v1/groups/${g.id}` });
    expect((await campaign(w.command.cookie, { groupId: g.id })).json).toMatchObject({ error: { fields: { groupId: 'the group is archived' } } });
  });

  it('notices take groupId the same way: the audience is the group within the publisher\'s scope', async () => {
    const w = await world();
    const g = (await create(w, w.command.cookie, { name: '海外人员', tags: ['overseas'] })).json as Group;
    const notice = (cookie: string, extra: Record<string, unknown>) => call(cookie, { method: 'POST', url: '/api/v1/notices', body: { title: '境外人员防护指引', kind: 'guidance', body: '请做好个人防护。', ...extra } });
    const both = await notice(w.command.cookie, { groupId: g.id, tags: ['overseas'] });
    expect(both.json).toMatchObject({ error: { fields: { groupId: expect.any(String) } } });
    const none = await notice(w.command.cookie, {});
    expect(none.json).toMatchObject({ error: { fields: { unitIds: expect.any(String) } } });
    const sent = await notice(w.command.cookie, { groupId: g.id });
    expect(sent.status).toBe(201);
    const n = sent.json as Notice;
    expect(n).toMatchObject({ audience: 1, tags: ['overseas'], group: { id: g.id, name: '海外人员' } });
    const got = await call(w.command.cookie, { method: 'GET', url: `/api/v1/notices/${n.id}` });
    expect(got.json).toMatchObject({ group: { id: g.id, name: '海外人员' } });
  });
});
