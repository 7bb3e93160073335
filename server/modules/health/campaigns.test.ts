import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { errorOf, send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { verifyAudit } from '../audit/audit.service.js';
import { decodeCode, encodeCode, keysOf } from './campaigns.code.js';

/** An instant given as Shanghai wall time (UTC+8, no DST). */
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('testing codes', () => {
  const keys = keysOf('a secret for the test');
  it('name their campaign and person, show no id, and refuse any change', () => {
    const code = encodeCode(keys, 12, 345);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{1,5}){5}$/);
    expect(code).not.toContain('345');
    expect(decodeCode(keys, code)).toEqual({ campaignId: 12, personId: 345 });
    // Typed by hand: lower case, no dashes, O for 0.
    expect(decodeCode(keys, code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o'))).toEqual({ campaignId: 12, personId: 345 });
    const flipped = code.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect(decodeCode(keys, flipped)).toBeNull();
    expect(decodeCode(keysOf('another secret'), code)).toBeNull();
    expect(decodeCode(keys, 'ABC')).toBeNull();
    expect(encodeCode(keys, 12, 346)).not.toBe(code);
  });
});

describe.each(testDialects())('testing campaigns on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
    t.clock.set(shanghai('2026-11-24T08:00:00'));
  });
  afterAll(async () => t?.close());

  const call = async (cookie: string | null, req: HttpRequest) => send(await t.app(), cookie, req);
  const create = (cookie: string, body: Record<string, unknown>) => call(cookie, { method: 'POST', url: '/api/v1/campaigns', body: { name: '第一轮全员核酸', startDay: '2026-11-24', endDay: '2026-11-26', ...body } });
  const progress = async (cookie: string, id: number, unitId: number) => (await call(cookie, { method: 'GET', url: `/api/v1/campaigns/${id}/progress`, query: { unitId: String(unitId) } })).json as Progress;
  const sample = (cookie: string, id: number, body: Record<string, unknown>) => call(cookie, { method: 'POST', url: `/api/v1/campaigns/${id}/samples`, body });

  interface Figures {
    due: number;
    sampled: number;
    resulted: number;
    positive: number;
    pending: number;
  }
  interface Progress {
    unit: Figures & { id: number };
    children: (Figures & { id: number; hasChildren: boolean })[];
    total: Figures;
  }

  async function world() {
    const tree = await buildTree(t);
    const command = await buildUser(t, [{ role: 'command', unit: tree.root }]);
    const liaisonA1 = await buildUser(t, [{ role: 'liaison', unit: tree.a1 }]);
    const liaisonB = await buildUser(t, [{ role: 'liaison', unit: tree.b }]);
    return {
      ...tree,
      command: await loginAs(t, command.id),
      liaisonA1: await loginAs(t, liaisonA1.id),
      liaisonB: await loginAs(t, liaisonB.id),
    };
  }

  async function employeeIn(unit: UnitRow, opts: { tags?: string[] } = {}) {
    const person = await buildPerson(t, unit, opts);
    const user = await buildUser(t, [], { home: unit, personId: person.id });
    return { person, cookie: await loginAs(t, user.id) };
  }

  it('resolves the target into the people due when it starts: units, tags, active people only', async () => {
    const w = await world();
    const inA = await buildPerson(t, w.a, { tags: ['front_line'] });
    const inA1 = await buildPerson(t, w.a1, { tags: ['front_line', 'overseas'] });
    await buildPerson(t, w.a1, { tags: ['overseas'] });
    await buildPerson(t, w.b, { tags: ['front_line'] });
    const left = await buildPerson(t, w.a1, { tags: ['front_line'] });
    await t.deps.db.updateTable('people').set({ status: 'left' }).where('id', '=', left.id).execute();

    const all = await create(w.command, { unitIds: [w.a.id] });
    expect(all.status).toBe(201);
    const tagged = await create(w.command, { unitIds: [w.a.id, w.a1.id], tags: ['front_line'] });
    expect(tagged.status).toBe(201);
    const c = tagged.json as { id: number; units: { id: number }[]; tags: string[]; status: string; abilities: Record<string, boolean> };
    // A1 lies inside A: one target row.
    expect(c).toMatchObject({ units: [{ id: w.a.id }], tags: ['front_line'], status: 'open', abilities: { close: true, importResults: true, recordSamples: false } });
    const due = await t.deps.db.selectFrom('campaign_people').select('person_id').where('campaign_id', '=', c.id).orderBy('person_id').execute();
    expect(due.map((d) => d.person_id)).toEqual([inA.id, inA1.id].sort((x, y) => x - y));
    expect((await progress(w.command, (all.json as { id: number }).id, w.a.id)).total.due).toBe(3);

    const p = await progress(w.command, c.id, w.root.id);
    expect(p.total).toEqual({ due: 2, sampled: 0, resulted: 0, positive: 0, pending: 2 });
    expect(p.children.map((x) => [x.id, x.due])).toEqual([[w.a.id, 2]]);
    const pa = await progress(w.command, c.id, w.a.id);
    expect([pa.unit.due, pa.children.map((x) => [x.id, x.due])]).toEqual([1, [[w.a1.id, 1]]]);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', 'campaign').where('entity_id', '=', String(c.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['campaign.created']);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ note: { due: 2 } });
  });

  it('refuses bad input with a 400 naming the field, and a role without campaigns.write with 403, changing nothing', async () => {
    const w = await world();
    const count = async () => Number((await t.deps.db.selectFrom('campaigns').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ endDay: '2026-11-23' }, 'endDay'],
      [{ endDay: '2027-01-30' }, 'endDay'],
      [{ startDay: '2026-02-30' }, 'startDay'],
      [{ name: '' }, 'name'],
      [{ colour: 'red' }, 'colour'],
      [{ unitIds: [2_147_483_000] }, 'unitIds'],
    ];
    for (const [body, field] of cases) {
      const a = await create(w.command, body);
      expect([a.status, Object.keys(errorOf(a)?.fields ?? {})], JSON.stringify(body)).toEqual([400, [field]]);
    }
    // Another organisation's unit reads as one that does not exist.
    const other = await buildUnit(t);
    expect(errorOf(await create(w.command, { unitIds: [other.id] }))?.fields).toEqual({ unitIds: 'no such unit' });
    expect((await create(w.liaisonA1, { unitIds: [w.a1.id] })).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('is seen by every unit it reaches, each seeing only its own part; out of reach it does not exist', async () => {
    const w = await world();
    await buildPerson(t, w.a1);
    await buildPerson(t, w.a);
    const c = (await create(w.command, { unitIds: [w.a.id] })).json as { id: number };
    const listed = async (cookie: string) => ((await call(cookie, { method: 'GET', url: '/api/v1/campaigns', query: { pageSize: '200' } })).json as { items: { id: number }[] }).items.map((i) => i.id);
    expect(await listed(w.liaisonA1)).toContain(c.id);
    expect(await listed(w.command)).toContain(c.id);
    expect(await listed(w.liaisonB)).not.toContain(c.id);
    const one = await call(w.liaisonA1, { method: 'GET', url: `/api/v1/campaigns/${c.id}` });
    // The liaison of A1 sees the campaign but not the name of A, above its scope.
    expect(one.json).toMatchObject({ id: c.id, units: [], abilities: { close: false, importResults: false, recordSamples: true } });
    const hidden = await call(w.liaisonB, { method: 'GET', url: `/api/v1/campaigns/${c.id}` });
    const absent = await call(w.liaisonB, { method: 'GET', url: '/api/v1/campaigns/2147483000' });
    expect([hidden.status, hidden.raw]).toEqual([absent.status, absent.raw]);
    expect((await progress(w.liaisonA1, c.id, w.a1.id)).total.due).toBe(1);
    expect((await call(w.liaisonA1, { method: 'GET', url: `/api/v1/campaigns/${c.id}/progress`, query: { unitId: String(w.a.id) } })).status).toBe(404);
    expect((await call(w.liaisonB, { method: 'GET', url: `/api/v1/campaigns/${c.id}/progress`, query: { unitId: String(w.b.id) } })).status).toBe(404);
  });

  it('records samples by tick, by scan and by the person, once per day, and the progress follows', async () => {
    const w = await world();
    const ticked = await buildPerson(t, w.a1, { name: '甲' });
    const scanned = await employeeIn(w.a1);
    const self = await employeeIn(w.a1);
    const c = (await create(w.command, { unitIds: [w.a.id] })).json as { id: number };
    const other = (await create(w.command, { unitIds: [w.a.id], name: '第二轮' })).json as { id: number };

    const tick = await sample(w.liaisonA1, c.id, { personId: ticked.id });
    expect(tick.status).toBe(201);
    expect(tick.json).toMatchObject({ personId: ticked.id, personName: '甲', day: '2026-11-24', via: 'liaison' });
    const again = await sample(w.liaisonA1, c.id, { personId: ticked.id });
    expect([again.status, (again.json as { id: number }).id]).toEqual([200, (tick.json as { id: number }).id]);

    const mine = (await call(scanned.cookie, { method: 'GET', url: '/api/v1/campaigns/mine' })).json as { items: { id: number; code: string; sampledToday: boolean }[] };
    expect(mine.items.map((i) => i.id)).toEqual([c.id, other.id]);
    const code = mine.items.find((i) => i.id === c.id)!.code;
    const wrongCampaign = await sample(w.liaisonA1, other.id, { code });
    expect([wrongCampaign.status, errorOf(wrongCampaign)?.fields]).toEqual([400, { code: 'not a testing code of this campaign' }]);
    const scan = await sample(w.liaisonA1, c.id, { code });
    expect(scan.json).toMatchObject({ personId: scanned.person.id, via: 'scan' });

    const own = await sample(self.cookie, c.id, {});
    expect(own.json).toMatchObject({ personId: self.person.id, via: 'self' });
    expect(((await call(self.cookie, { method: 'GET', url: '/api/v1/campaigns/mine' })).json as { items: { id: number; sampledToday: boolean }[] }).items.find((i) => i.id === c.id)?.sampledToday).toBe(true);

    const p = await progress(w.liaisonA1, c.id, w.a1.id);
    expect(p.total).toEqual({ due: 3, sampled: 3, resulted: 0, positive: 0, pending: 0 });
    expect((await progress(w.liaisonA1, other.id, w.a1.id)).total).toMatchObject({ due: 3, sampled: 0, pending: 3 });
    const rows = await t.deps.db.selectFrom('campaign_samples').select(['via']).where('campaign_id', '=', c.id).orderBy('id').execute();
    expect(rows.map((r) => r.via)).toEqual(['liaison', 'scan', 'self']);
    expect((await verifyAudit(t.deps)).ok).toBe(true);
  });

  it('refuses samples it must: out of scope, not due, no health.write, before the start, once closed', async () => {
    const w = await world();
    const inA1 = await buildPerson(t, w.a1);
    const inB = await buildPerson(t, w.b);
    const outsider = await employeeIn(w.b);
    const c = (await create(w.command, { unitIds: [w.a.id] })).json as { id: number };
    const wide = (await create(w.command, { unitIds: [w.root.id] })).json as { id: number };
    const samples = async () => Number((await t.deps.db.selectFrom('campaign_samples').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await samples();

    expect((await sample(w.liaisonB, c.id, { personId: inA1.id })).status).toBe(404);
    expect(errorOf(await sample(w.liaisonA1, wide.id, { personId: inB.id }))?.fields).toEqual({ personId: 'no such person' });
    expect((await sample(w.command, c.id, { personId: inA1.id })).status).toBe(403);
    expect((await sample(outsider.cookie, c.id, {})).status).toBe(404);
    const both = await sample(w.liaisonA1, c.id, { personId: inA1.id, code: 'ABCDE' });
    expect(Object.keys(errorOf(both)?.fields ?? {})).toEqual(['code']);
    expect(errorOf(await sample(w.liaisonA1, c.id, { code: 'ABCDE-FGHJK-MNPQR-STVWX-YZ012-3' }))?.fields).toEqual({ code: 'not a testing code of this campaign' });

    const later = (await create(w.command, { unitIds: [w.a.id], startDay: '2026-11-25', endDay: '2026-11-25' })).json as { id: number };
    expect((await sample(w.liaisonA1, later.id, { personId: inA1.id })).status).toBe(409);

    const closed = await call(w.command, { method: 'POST', url: `/api/v1/campaigns/${c.id}/close` });
    expect(closed.json).toMatchObject({ status: 'closed', abilities: { close: false } });
    expect((await call(w.command, { method: 'POST', url: `/api/v1/campaigns/${c.id}/close` })).status).toBe(409);
    expect((await call(w.liaisonA1, { method: 'POST', url: `/api/v1/campaigns/${wide.id}/close` })).status).toBe(403);
    expect((await sample(w.liaisonA1, c.id, { personId: inA1.id })).status).toBe(409);
    expect(await samples()).toBe(before);
    expect(((await call(w.command, { method: 'GET', url: '/api/v1/campaigns', query: { status: 'closed', pageSize: '200' } })).json as { items: { id: number }[] }).items.map((i) => i.id)).toContain(c.id);
  });

  it('a person who joins a target unit later is not due until their first sample, which adds them', async () => {
    const w = await world();
    await buildPerson(t, w.a1);
    const c = (await create(w.command, { unitIds: [w.a.id] })).json as { id: number };
    const newcomer = await employeeIn(w.a1);
    expect((await progress(w.liaisonA1, c.id, w.a1.id)).total.due).toBe(1);
    const pending = async () => ((await call(w.liaisonA1, { method: 'GET', url: `/api/v1/campaigns/${c.id}/pending`, query: { unitId: String(w.a1.id) } })).json as { items: { personId: number }[]; total: number });
    expect((await pending()).items.map((i) => i.personId)).not.toContain(newcomer.person.id);
    // They see the campaign and their code, and their sample (here a scan) adds them as due.
    const mine = (await call(newcomer.cookie, { method: 'GET', url: '/api/v1/campaigns/mine' })).json as { items: { id: number; code: string }[] };
    expect(mine.items.map((i) => i.id)).toEqual([c.id]);
    expect((await sample(w.liaisonA1, c.id, { code: mine.items[0]!.code })).status).toBe(201);
    expect((await progress(w.liaisonA1, c.id, w.a1.id)).total).toMatchObject({ due: 2, sampled: 1, pending: 1 });
    const row = await t.deps.db.selectFrom('campaign_people').select('late').where('campaign_id', '=', c.id).where('person_id', '=', newcomer.person.id).executeTakeFirstOrThrow();
    expect(Number(row.late)).toBe(1);
  });

  it('lists the people not yet sampled, paged, in tree then name order', async () => {
    const w = await world();
    const p1 = await buildPerson(t, w.a, { name: '甲' });
    const p2 = await buildPerson(t, w.a1, { name: '乙' });
    const p3 = await buildPerson(t, w.a1, { name: '丙' });
    const c = (await create(w.command, { unitIds: [w.a.id] })).json as { id: number };
    await sample(w.liaisonA1, c.id, { personId: p3.id });
    const page = (await call(w.command, { method: 'GET', url: `/api/v1/campaigns/${c.id}/pending`, query: { unitId: String(w.a.id), pageSize: '1', page: '2' } })).json as { items: { personId: number; phone: string }[]; total: number };
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.personId)).toEqual([p2.id]);
    expect(page.items[0]!.phone).toBe('13812345678');
    const first = (await call(w.command, { method: 'GET', url: `/api/v1/campaigns/${c.id}/pending`, query: { unitId: String(w.a.id), pageSize: '1' } })).json as { items: { personId: number }[] };
    expect(first.items.map((i) => i.personId)).toEqual([p1.id]);
  });
});
