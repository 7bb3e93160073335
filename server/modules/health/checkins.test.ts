import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../../common/day.js';
import { buildPerson, buildTree, buildUnit, buildUser, loginAs, setOrganisationCutoff } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { verifyAudit } from '../audit/audit.service.js';

const TZ = 'Asia/Shanghai';
/** An instant given as Shanghai wall time (UTC+8, no DST). */
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const form = (extra: Record<string, unknown> = {}) => ({ temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛', ...extra });

describe.each(testDialects())('check-ins on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function call(cookie: string | null, req: HttpRequest) {
    return send(await t.app(), cookie, req);
  }
  const post = (cookie: string, body: unknown) => call(cookie, { method: 'POST', url: '/api/v1/checkins', body });

  /** A person in `unit` with an account linked to them, signed in. */
  async function employeeIn(unit: UnitRow) {
    const person = await buildPerson(t, unit);
    const user = await buildUser(t, [], { home: unit, personId: person.id });
    return { person, user, cookie: await loginAs(t, user.id) };
  }

  async function rowsOf(personId: number) {
    return t.deps.db.selectFrom('checkins').selectAll().where('person_id', '=', personId).orderBy('day').execute();
  }

  async function healthTables() {
    const [c, k, a] = await Promise.all([
      t.deps.db.selectFrom('checkins').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      t.deps.db.selectFrom('checkin_counts').selectAll().orderBy('day').orderBy('unit_id').execute(),
      t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { checkins: Number(c.n), counts: JSON.stringify(k), audit: Number(a.n) };
  }

  /** The counts table recomputed from the check-in rows themselves. */
  async function recount() {
    const rows = await t.deps.db.selectFrom('checkins').select(['day', 'unit_id', 'abnormal', 'location', 'on_time']).execute();
    const m = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const k = `${r.day}|${r.unit_id}`;
      const v = m.get(k) ?? { checked_in: 0, normal: 0, abnormal: 0, at_work: 0, remote: 0, leave: 0, trip: 0, quarantine: 0, on_time: 0 };
      v.checked_in!++;
      v[r.abnormal ? 'abnormal' : 'normal']!++;
      v[r.location]!++;
      if (r.on_time) v.on_time!++;
      m.set(k, v);
    }
    const stored = await t.deps.db.selectFrom('checkin_counts').selectAll().execute();
    const kept = new Map<string, Record<string, number>>();
    for (const s of stored) {
      const { day, unit_id, ...v } = s;
      const nums = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Number(x)]));
      if (Object.values(nums).some((x) => x !== 0)) kept.set(`${day}|${unit_id}`, nums);
    }
    return { fromRows: Object.fromEntries([...m].sort()), stored: Object.fromEntries([...kept].sort()) };
  }

  it('a person checks in for today; a second check-in the same day replaces the first and moves the counts', async () => {
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const { a1 } = await buildTree(t);
    const e = await employeeIn(a1);
    const first = await post(e.cookie, form());
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ personId: e.person.id, unitId: a1.id, day: '2026-11-24', temperature: 36.5, abnormal: false, onBehalfOfUserId: null });
    t.clock.advance(60_000);
    const second = await post(e.cookie, form({ temperature: 37.3, note: '有点热' }));
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ id: (first.json as { id: number }).id, temperature: 37.3, abnormal: true, note: '有点热' });
    expect(await rowsOf(e.person.id)).toHaveLength(1);
    const counts = await t.deps.db.selectFrom('checkin_counts').selectAll().where('unit_id', '=', a1.id).execute();
    expect(counts.map((c) => [c.day, Number(c.checked_in), Number(c.normal), Number(c.abnormal), Number(c.at_work)])).toEqual([['2026-11-24', 1, 0, 1, 1]]);
    const third = await post(e.cookie, form({ location: 'quarantine' }));
    expect((third.json as { abnormal: boolean }).abnormal).toBe(true);
    const r = await recount();
    expect(r.stored).toEqual(r.fromRows);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', 'checkin').where('entity_id', '=', String((first.json as { id: number }).id)).orderBy('id').execute();
    expect(audit.map((x) => x.action)).toEqual(['checkin.created', 'checkin.updated', 'checkin.updated']);
    // The audit log says whose check-in and which day, never the answers: supervisors read it.
    expect(audit.map((x) => x.detail).join()).not.toMatch(/37|quarantine|热/);
  });

  it('abnormal means 37.3 °C or more, any symptom, or in quarantine', async () => {
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const { a } = await buildTree(t);
    const cases: [Record<string, unknown>, boolean][] = [
      [{ temperature: 37.2 }, false],
      [{ temperature: 37.25 }, true],
      [{ temperature: 37.3 }, true],
      [{ symptoms: ['咳嗽'] }, true],
      [{ location: 'quarantine' }, true],
      [{ location: 'trip' }, false],
    ];
    for (const [extra, abnormal] of cases) {
      const e = await employeeIn(a);
      const r = await post(e.cookie, form(extra));
      expect([r.status, (r.json as { abnormal: boolean }).abnormal], JSON.stringify(extra)).toEqual([201, abnormal]);
    }
  });

  it('refuses bad answers naming the field, and changes nothing', async () => {
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const { a } = await buildTree(t);
    const e = await employeeIn(a);
    const bad: [unknown, string][] = [
      [form({ temperature: 33.9 }), 'temperature'],
      [form({ temperature: 43.1 }), 'temperature'],
      [form({ temperature: '36.5' }), 'temperature'],
      [form({ location: 'moon' }), 'location'],
      [form({ city: '' }), 'city'],
      [form({ symptoms: 'cough' }), 'symptoms'],
      [form({ mood: 'fine' }), 'mood'],
      [{ temperature: 36.5, symptoms: [], location: 'at_work' }, 'city'],
      [{ sameAsYesterday: true, temperature: 36.6 }, 'temperature'],
      [{ sameAsYesterday: false }, 'sameAsYesterday'],
      [{ sameAsYesterday: true }, 'sameAsYesterday'], // there is no yesterday
      [form({ personId: 'me' }), 'personId'],
    ];
    for (const [body, field] of bad) {
      const before = await healthTables();
      const r = await post(e.cookie, body);
      expect([r.status, Object.keys((r.json as { error: { fields?: object } }).error.fields ?? {})], JSON.stringify(body)).toEqual([400, expect.arrayContaining([field])]);
      expect(await healthTables(), JSON.stringify(body)).toEqual(before);
    }
    const temp = await post(e.cookie, form({ temperature: 50 }));
    expect((temp.json as { error: { fields: Record<string, string> } }).error.fields.temperature).toMatch(/34\.0.*43\.0/);
  });

  it('an account without a person cannot check in for itself', async () => {
    const { a } = await buildTree(t);
    const u = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const r = await post(await loginAs(t, u.id), form());
    expect(r.status).toBe(400);
    expect(Object.keys((r.json as { error: { fields: object } }).error.fields)).toEqual(['personId']);
  });

  it('"same as yesterday" copies yesterday\'s answers', async () => {
    t.clock.set(shanghai('2026-11-23T09:00:00'));
    const { a } = await buildTree(t);
    const e = await employeeIn(a);
    expect((await post(e.cookie, form({ temperature: 36.8, symptoms: ['乏力'], location: 'remote', city: '济南', note: '居家办公' }))).status).toBe(201);
    t.clock.set(shanghai('2026-11-24T07:30:00'));
    const r = await post(await loginAs(t, e.user.id), { sameAsYesterday: true });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ day: '2026-11-24', temperature: 36.8, symptoms: ['乏力'], location: 'remote', city: '济南', note: '居家办公', abnormal: true });
    expect((await rowsOf(e.person.id)).map((x) => x.day)).toEqual(['2026-11-23', '2026-11-24']);
  });

  it('days turn at midnight in Asia/Shanghai whatever the server time zone', async () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Shanghai']) {
        process.env.TZ = tz;
        t.clock.set(shanghai('2026-11-24T23:59:59.999'));
        const { a } = await buildTree(t);
        const e = await employeeIn(a);
        expect(((await post(e.cookie, form())).json as { day: string }).day, tz).toBe('2026-11-24');
        t.clock.advance(1);
        const next = await post(e.cookie, form());
        expect([next.status, (next.json as { day: string }).day], tz).toEqual([201, '2026-11-25']);
        t.clock.set(Date.UTC(2026, 10, 25, 15, 59, 59)); // 23:59:59 on the 25th in Shanghai, still the 25th in UTC
        expect((await post(await loginAs(t, e.user.id), form())).status, tz).toBe(200);
        expect((await rowsOf(e.person.id)).map((x) => x.day), tz).toEqual(['2026-11-24', '2026-11-25']);
      }
    } finally {
      process.env.TZ = saved;
    }
    expect(t.deps.config.timeZone).toBe(TZ);
  });

  it('after the cut-off the day is locked', async () => {
    t.clock.set(shanghai('2026-11-26T09:59:59'));
    const { a } = await buildTree(t);
    const e = await employeeIn(a);
    await setOrganisationCutoff(t, '10:00');
    try {
      expect((await post(e.cookie, form())).status).toBe(201);
      t.clock.set(shanghai('2026-11-26T10:00:00'));
      const before = await healthTables();
      const late = await post(e.cookie, form({ temperature: 38 }));
      expect(late.status).toBe(409);
      expect(await healthTables()).toEqual(before);
      t.clock.set(shanghai('2026-11-27T00:00:00'));
      expect((await post(await loginAs(t, e.user.id), form())).status).toBe(201);
    } finally {
      await setOrganisationCutoff(t, null);
    }
  });

  it('a liaison checks in on behalf of a person in their subtree, not outside it', async () => {
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const { a, a1, b } = await buildTree(t);
    const liaison = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const lc = await loginAs(t, liaison.id);
    const mine = await buildPerson(t, a1);
    const theirs = await buildPerson(t, b);
    const ok = await post(lc, form({ personId: mine.id }));
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ personId: mine.id, unitId: a1.id, onBehalfOfUserId: liaison.id });
    const before = await healthTables();
    const outside = await post(lc, form({ personId: theirs.id }));
    const missing = await post(lc, form({ personId: 2_147_483_000 }));
    expect([outside.status, outside.raw]).toEqual([missing.status, missing.raw]);
    expect(outside.status).toBe(400);
    const care = await buildUser(t, [{ role: 'care_officer', unit: a }]);
    expect((await post(await loginAs(t, care.id), form({ personId: mine.id }))).status).toBe(403);
    expect(await healthTables()).toEqual(before);
    // The person's own later correction is theirs, no longer on their behalf.
    const u = await buildUser(t, [], { home: a1, personId: mine.id });
    const own = await post(await loginAs(t, u.id), form());
    expect(own.json).toMatchObject({ onBehalfOfUserId: null });
  });

  it('the list of a day is paged, scoped, and each request is one audit row', async () => {
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const { a, a1, b } = await buildTree(t);
    const liaison = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const lc = await loginAs(t, liaison.id);
    for (const unit of [a, a1, a1, b]) {
      const p = await buildPerson(t, unit);
      const admin = await buildUser(t, [{ role: 'admin', unit }]);
      expect((await post(await loginAs(t, admin.id), form({ personId: p.id }))).status).toBe(201);
    }
    const auditBefore = (await healthTables()).audit;
    const page1 = await call(lc, { method: 'GET', url: '/api/v1/checkins', query: { unitId: String(a.id), pageSize: '2' } });
    expect(page1.status).toBe(200);
    expect(page1.json).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect((page1.json as { items: unknown[] }).items).toHaveLength(2);
    const page2 = await call(lc, { method: 'GET', url: '/api/v1/checkins', query: { unitId: String(a.id), pageSize: '2', page: '2' } });
    expect((page2.json as { items: { unitId: number }[] }).items.map((i) => i.unitId)).toHaveLength(1);
    expect((await healthTables()).audit).toBe(auditBefore + 2);
    const reads = await t.deps.db.selectFrom('audit_log').select(['action', 'unit_id', 'detail']).where('actor_user_id', '=', liaison.id).orderBy('id').execute();
    expect(reads.map((r) => [r.action, r.unit_id, (JSON.parse(r.detail) as { note: { count: number } }).note.count])).toEqual([
      ['checkins.read', a.id, 2],
      ['checkins.read', a.id, 1],
    ]);
    expect((await call(lc, { method: 'GET', url: '/api/v1/checkins', query: { unitId: String(b.id) } })).status).toBe(404);
    expect((await call(lc, { method: 'GET', url: '/api/v1/checkins', query: { day: '2026-11-23', unitId: String(a.id) } })).json).toMatchObject({ total: 0 });
    expect((await call(lc, { method: 'GET', url: '/api/v1/checkins', query: { day: '2026-02-30' } })).status).toBe(400);
  });

  it('roles without health permissions get 403 on every health read', async () => {
    const { a } = await buildTree(t);
    for (const role of ['employee', 'duty_officer', 'care_officer', 'supervisor'] as const) {
      const u = await buildUser(t, [{ role, unit: a }]);
      const c = await loginAs(t, u.id);
      for (const url of ['/api/v1/checkins', '/api/v1/checkins/non-reporters', '/api/v1/rollups/checkins']) {
        const r = await call(c, { method: 'GET', url, query: { unitId: String(a.id) } });
        expect(r.status, `${role} ${url}`).toBe(403);
      }
    }
  });

  it('my own last 14 days', async () => {
    const { a } = await buildTree(t);
    const e = await employeeIn(a);
    for (let d = 1; d <= 20; d++) {
      t.clock.set(shanghai(`2026-12-${String(d).padStart(2, '0')}T08:00:00`));
      expect((await post(await loginAs(t, e.user.id), form({ temperature: 36 + d / 10 }))).status).toBe(201);
    }
    const r = await call(await loginAs(t, e.user.id), { method: 'GET', url: '/api/v1/checkins/mine' });
    const days = (r.json as { items: { day: string }[] }).items.map((i) => i.day);
    expect(days).toHaveLength(14);
    expect([days[0], days[13]]).toEqual(['2026-12-20', '2026-12-07']);
    const liaison = await buildUser(t, [{ role: 'liaison', unit: a }]);
    expect((await call(await loginAs(t, liaison.id), { method: 'GET', url: '/api/v1/checkins/mine' })).json).toEqual({ items: [] });
  });

  it('non-reporters: active people of the subtree without a check-in that day', async () => {
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const { a, a1, b } = await buildTree(t);
    const done = await employeeIn(a1);
    await post(done.cookie, form());
    const waiting = await buildPerson(t, a1, { phone: '13900001111' });
    const waitingTop = await buildPerson(t, a);
    const gone = await buildPerson(t, a1);
    await t.deps.db.updateTable('people').set({ status: 'left' }).where('id', '=', gone.id).execute();
    await buildPerson(t, b);
    const head = await buildUser(t, [{ role: 'unit_head', unit: a }]);
    const hc = await loginAs(t, head.id);
    const r = await call(hc, { method: 'GET', url: '/api/v1/checkins/non-reporters', query: { unitId: String(a.id) } });
    expect(r.status).toBe(200);
    const items = (r.json as { items: { personId: number; unitName: string; phone: string | null }[]; total: number }).items;
    expect(items.map((i) => i.personId).sort()).toEqual([waiting.id, waitingTop.id].sort());
    expect(items.find((i) => i.personId === waiting.id)).toMatchObject({ unitName: a1.name, phone: '13900001111' });
    const yesterday = await call(hc, { method: 'GET', url: '/api/v1/checkins/non-reporters', query: { unitId: String(a.id), day: '2026-11-23' } });
    expect((yesterday.json as { total: number }).total).toBe(3);
    expect((await call(hc, { method: 'GET', url: '/api/v1/checkins/non-reporters', query: { unitId: String(b.id) } })).status).toBe(404);
  });

  it('the roll-up of every unit equals a count of the rows, for a random tree with transfers and corrections', async () => {
    t.clock.set(shanghai('2026-11-28T08:00:00'));
    const day = dayOf(t.clock.now(), TZ);
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const root = await buildUnit(t);
    const units: UnitRow[] = [root];
    for (let i = 0; i < 14; i++) units.push(await buildUnit(t, { parent: units[rand(units.length)]! }));
    const people: Awaited<ReturnType<typeof buildPerson>>[] = [];
    for (let i = 0; i < 60; i++) people.push(await buildPerson(t, units[rand(units.length)]!));
    const admin = await buildUser(t, [{ role: 'admin', unit: root }]);
    const ac = await loginAs(t, admin.id);
    const locations = ['at_work', 'remote', 'leave', 'trip', 'quarantine'];
    for (let i = 0; i < 90; i++) {
      const p = people[rand(people.length)]!;
      if (i % 17 === 5) {
        // A transfer after checking in: the correction moves the check-in and its counts.
        const to = units[rand(units.length)]!;
        await t.deps.db.updateTable('people').set({ unit_id: to.id }).where('id', '=', p.id).execute();
        p.unit_id = to.id;
      }
      const r = await post(ac, form({ personId: p.id, temperature: 36 + rand(20) / 10, symptoms: rand(6) === 0 ? ['发热'] : [], location: locations[rand(5)] }));
      expect([200, 201]).toContain(r.status);
    }
    await t.deps.db.updateTable('people').set({ status: 'left' }).where('id', '=', people[0]!.id).execute();
    const rc = await recount();
    expect(rc.stored).toEqual(rc.fromRows);

    const rows = await t.deps.db.selectFrom('checkins').innerJoin('units', 'units.id', 'checkins.unit_id').select(['units.path', 'checkins.abnormal', 'checkins.location']).where('checkins.day', '=', day).execute();
    const active = await t.deps.db.selectFrom('people').innerJoin('units', 'units.id', 'people.unit_id').select('units.path').where('people.status', '=', 'active').execute();
    const brute = (path: string, ownOnly: boolean) => {
      const inIt = (p: string) => (ownOnly ? p === path : p.startsWith(path));
      const mine = rows.filter((r) => inIt(r.path));
      const headcount = active.filter((x) => inIt(x.path)).length;
      return {
        headcount,
        checkedIn: mine.length,
        notYet: Math.max(0, headcount - mine.length),
        normal: mine.filter((r) => !r.abnormal).length,
        abnormal: mine.filter((r) => r.abnormal).length,
        quarantine: mine.filter((r) => r.location === 'quarantine').length,
        trip: mine.filter((r) => r.location === 'trip').length,
        onTime: mine.length,
      };
    };
    const fresh = await t.deps.db.selectFrom('units').selectAll().where('path', '>=', root.path).where('path', '<', `${root.path.slice(0, -1)}0`).execute();
    for (const u of fresh) {
      const r = await call(ac, { method: 'GET', url: '/api/v1/rollups/checkins', query: { unitId: String(u.id) } });
      expect(r.status).toBe(200);
      const body = r.json as { day: string; unit: Record<string, unknown>; children: ({ id: number } & Record<string, unknown>)[]; total: Record<string, unknown> };
      expect(body.day).toBe(day);
      expect(body.total, u.path).toEqual(brute(u.path, false));
      const { id: _id, name: _name, hasChildren: _h, ...own } = body.unit;
      expect(own, u.path).toEqual(brute(u.path, true));
      const kids = fresh.filter((k) => k.parent_id === u.id);
      expect(body.children.map((c) => c.id).sort()).toEqual(kids.map((k) => k.id).sort());
      for (const c of body.children) {
        const { id: _cid, name: _cname, hasChildren: _ch, ...figures } = c;
        expect(figures, `child ${c.id}`).toEqual(brute(kids.find((k) => k.id === c.id)!.path, false));
      }
    }
  });

  it('200 concurrent check-ins all land exactly once, counts equal a recount and the audit chain holds', async () => {
    t.clock.set(shanghai('2026-11-29T08:00:00'));
    const { a } = await buildTree(t);
    const admin = await buildUser(t, [{ role: 'admin', unit: a }]);
    const ac = await loginAs(t, admin.id);
    const people: Awaited<ReturnType<typeof buildPerson>>[] = [];
    for (let i = 0; i < 150; i++) people.push(await buildPerson(t, a));
    const auditBefore = (await healthTables()).audit;
    const app = await t.app();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        app.inject({ method: 'POST', url: '/api/v1/checkins', headers: { cookie: ac, 'content-type': 'application/json' }, payload: JSON.stringify(form({ personId: people[i % 150]!.id, temperature: 36 + (i % 20) / 10 })) }),
      ),
    );
    expect(answers.filter((r) => r.statusCode !== 200 && r.statusCode !== 201).map((r) => r.body)).toEqual([]);
    const rows = await t.deps.db.selectFrom('checkins').select('person_id').where('unit_id', '=', a.id).where('day', '=', '2026-11-29').execute();
    expect(rows.length).toBe(150);
    expect(new Set(rows.map((r) => r.person_id)).size).toBe(150);
    expect((await healthTables()).audit).toBe(auditBefore + 200);
    const rc = await recount();
    expect(rc.stored).toEqual(rc.fromRows);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
  });
});
