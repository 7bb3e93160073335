import { describe, expect, it } from 'vitest';
import { buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv } from '../../../test/env.js';
import { AppError } from '../../http/errors.js';
import { coverageGaps } from '../duty/duty.gaps.js';
import { onDutyAt } from '../duty/duty.onduty.js';
import { getSetting } from '../setup/settings.store.js';
import { dayOf } from '../../../common/day.js';
import { generateDemoOrganisation, loadDemoOrganisation } from './demo.js';

describe('generateDemoOrganisation', () => {
  it('is the same organisation for the same seed, and another for another seed', () => {
    const a = generateDemoOrganisation(500, 42);
    const b = generateDemoOrganisation(500, 42);
    const c = generateDemoOrganisation(500, 43);
    expect(b.people.map((p) => p.name)).toEqual(a.people.map((p) => p.name));
    expect(b.units.map((u) => u.name)).toEqual(a.units.map((u) => u.name));
    expect(c.people.map((p) => p.name)).not.toEqual(a.people.map((p) => p.name));
  });

  it('scales units with people (about twenty a unit), with unique employee numbers and sibling names', () => {
    const big = generateDemoOrganisation(100_000, 1);
    expect(big.people).toHaveLength(100_000);
    expect(big.units.length).toBeGreaterThan(4_900);
    expect(big.units.length).toBeLessThan(5_100);
    expect(new Set(big.people.map((p) => p.employeeNo)).size).toBe(100_000);
    const siblings = new Set(big.units.map((u) => `${u.parent}/${u.name}`));
    expect(siblings.size).toBe(big.units.length);
    expect(Math.max(...big.units.map((u) => u.depth))).toBe(5);
    const names = big.units.map((u) => u.name);
    for (const n of ['疫情防控工作领导小组办公室', '安工部', '党群部', '工会', '纪委', '交发集团', '青岛航空', '创发集团', '首尔办事处']) expect(names).toContain(n);
    const overseas = big.people.filter((p) => p.tags.includes('overseas'));
    expect(overseas.length).toBeGreaterThan(0);
    expect(overseas.every((p) => big.units[p.unit]!.overseas)).toBe(true);
  });
});

describe.each(testDialects())('demo organisation on %s', (dialect) => {
  it('loads the requested size five levels deep, with logins that work, and only once', async () => {
    const t = await testEnv(dialect);
    try {
      const out = await loadDemoOrganisation(t.deps, { people: 300, seed: 7 });
      expect(out.people).toBe(300);
      const units = await t.deps.db.selectFrom('units').selectAll().execute();
      expect(units).toHaveLength(out.units);
      const people = await t.deps.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(people.n)).toBe(300);
      expect(Math.max(...units.map((u) => u.depth))).toBeGreaterThanOrEqual(5);
      const byId = new Map(units.map((u) => [u.id, u]));
      for (const u of units) {
        const parent = u.parent_id === null ? null : byId.get(u.parent_id)!;
        expect(u.path).toBe(`${parent?.path ?? '/'}${u.id}/`);
        expect(u.depth).toBe(parent ? parent.depth + 1 : 0);
      }
      expect(units.find((u) => u.parent_id === null)!.name).toBe('青岛城投集团');
      expect(await getSetting(t.deps.db, 'demo')).toBe(true);
      const tags = await t.deps.db.selectFrom('person_tags').select('tag').distinct().execute();
      expect(tags.map((x) => x.tag)).toEqual(expect.arrayContaining(['front_line', 'overseas']));
      const audit = await t.deps.db.selectFrom('audit_log').select('action').execute();
      // One act, one row; the demo's two inspections with findings (places.demo.ts) are recorded as real ones are.
      expect(audit.filter((a) => a.action === 'demo.loaded')).toHaveLength(1);
      expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['demo.loaded', 'place.inspected', 'tasks.assigned']));

      // Duty rosters: the group, every subsidiary and every site at home keep duty, covered for a
      // month from yesterday; at the airline the officer on shift now has the duty officer's login.
      expect(out.rosters).toBeGreaterThan(5);
      expect(await t.deps.db.selectFrom('duty_rosters').select('unit_id').execute()).toHaveLength(out.rosters);
      const rootUnit = units.find((u) => u.parent_id === null)!;
      const airline = units.find((u) => u.name === '青岛航空' && u.parent_id === rootUnit.id)!;
      const now = t.clock.now();
      const onDuty = await onDutyAt(t.deps.db, [rootUnit.id, airline.id], now);
      for (const id of [rootUnit.id, airline.id]) expect([onDuty.get(id)!.leaders.length, onDuty.get(id)!.officers.length]).toEqual([1, 1]);
      expect(await coverageGaps(t.deps.db, [{ id: airline.id, name: airline.name }], now)).toEqual([]);

      expect(out.logins.map((l) => l.username)).toEqual(['demo.admin', 'demo.command', 'demo.liaison', 'demo.duty', 'demo.employee']);
      const role = (username: string) => (username === 'demo.duty' ? 'duty_officer' : username.slice('demo.'.length));
      const app = await t.app();
      for (const l of out.logins) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: l.username, password: l.password } });
        expect(res.statusCode, l.username).toBe(200);
        const me = JSON.parse(res.body) as { grants: { role: string }[]; user: { personId: number | null } };
        expect(me.grants.map((g) => g.role)).toEqual([role(l.username)]);
        if (l.username === 'demo.employee') expect(me.user.personId).not.toBeNull();
        if (l.username === 'demo.duty') expect(me.user.personId).toBe(onDuty.get(airline.id)!.officers[0]!.personId);
      }
      await expect(loadDemoOrganisation(t.deps, { people: 10, seed: 7 })).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'conflict');

      // Front-line volunteers, read as the command office reads them: a pool, posts with shifts
      // (staffed in the past and today, one short from the day after tomorrow), hours served, one
      // open request, and no one on two overlapping shifts.
      const command = out.logins.find((l) => l.username === 'demo.command')!;
      const cookie = String((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: command.username, password: command.password } })).headers['set-cookie']).split(';')[0]!;
      const get = async <T>(url: string) => {
        const res = await app.inject({ method: 'GET', url, headers: { cookie } });
        expect(res.statusCode, url).toBe(200);
        return JSON.parse(res.body) as T;
      };
      const pool = await get<{ total: number }>(`/api/v1/volunteers?unitId=${rootUnit.id}`);
      expect(pool.total).toBeGreaterThanOrEqual(6);
      const posts = await get<{ items: { id: number; needed: number; placeName?: string | null }[]; total: number }>(`/api/v1/volunteer-posts?unitId=${rootUnit.id}`);
      expect(posts.total).toBeGreaterThanOrEqual(3);
      const day = (n: number) => dayOf(now + n * 86_400_000, t.deps.config.timeZone);
      const byVolunteer = new Map<number, [number, number][]>();
      let short = 0;
      for (const post of posts.items) {
        const grid = await get<{ shifts: { startsAt: number; endsAt: number; needed: number; short: boolean; assignees: { volunteerId: number }[] }[]; gaps: unknown[] }>(`/api/v1/volunteer-posts/${post.id}/shifts?from=${day(-2)}&to=${day(4)}`);
        expect(grid.shifts.length).toBe(14); // two a day over seven days
        for (const s of grid.shifts) {
          if (s.startsAt < now) expect(s.short, 'a past or current shift is staffed').toBe(false);
          short += s.short ? 1 : 0;
          for (const a of s.assignees) byVolunteer.set(a.volunteerId, [...(byVolunteer.get(a.volunteerId) ?? []), [s.startsAt, s.endsAt]]);
        }
        if (grid.shifts.some((s) => s.short)) expect(grid.gaps.length).toBeGreaterThan(0);
      }
      expect(short).toBeGreaterThan(0);
      for (const spans of byVolunteer.values()) {
        const sorted = spans.sort((x, y) => x[0] - y[0]);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![1]);
      }
      const hours = await get<{ items: { hours: number }[] }>(`/api/v1/volunteers/hours?unitId=${rootUnit.id}&from=${day(-2)}&to=${day(0)}`);
      expect(hours.items.some((h) => h.hours > 0)).toBe(true);
      const requests = await get<{ items: { status: string }[] }>(`/api/v1/volunteer-requests?unitId=${rootUnit.id}`);
      expect(requests.items.map((r) => r.status)).toEqual(['open']);
      // The demo employee is left out of the pool, to sign up on the phone.
      const employee = out.logins.find((l) => l.username === 'demo.employee')!;
      const own = String((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: employee.username, password: employee.password } })).headers['set-cookie']).split(';')[0]!;
      expect(JSON.parse((await app.inject({ method: 'GET', url: '/api/v1/me/volunteer', headers: { cookie: own } })).body)).toMatchObject({ profile: null });
    } finally {
      await t.close();
    }
  });

  it('over HTTP: for an administrator of the root, into an empty organisation, keeping its name', async () => {
    const t = await testEnv(dialect);
    try {
      const root = await buildUnit(t, { name: '某某集团' });
      const sub = await buildUnit(t, { parent: root, name: '交发集团' });
      const rootAdmin = await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: root }])).id);
      const subAdmin = await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: sub }])).id);
      const app = await t.app();
      const post = (cookie: string, payload?: object) =>
        app.inject({ method: 'POST', url: '/api/v1/setup/demo', headers: { cookie }, ...(payload ? { payload } : {}) });
      expect((await post(subAdmin, {})).statusCode).toBe(403);
      expect((await post(rootAdmin, { people: 5 })).statusCode).toBe(400);
      expect((await post(rootAdmin, { people: 50, colour: 'red' })).statusCode).toBe(400);
      const res = await post(rootAdmin, { people: 50, rosters: false });
      expect(res.statusCode).toBe(201);
      const body = JSON.parse(res.body) as { units: number; people: number; rosters: number; logins: { username: string; password: string }[] };
      expect(body.people).toBe(50);
      // Without rosters: nobody is on duty, so there is no duty officer's login.
      expect([body.rosters, body.logins.length]).toEqual([0, 4]);
      expect(await t.deps.db.selectFrom('duty_shifts').select('id').execute()).toEqual([]);
      const roots = await t.deps.db.selectFrom('units').select('name').where('parent_id', 'is', null).execute();
      expect(roots).toEqual([{ name: '某某集团' }]);
      // The existing 交发集团 stays; the demo's own is told apart.
      const children = await t.deps.db.selectFrom('units').select('name').where('parent_id', '=', root.id).execute();
      expect(children.map((c) => c.name)).toEqual(expect.arrayContaining(['交发集团', '交发集团（演示）']));
      expect((await post(rootAdmin)).statusCode).toBe(409);
    } finally {
      await t.close();
    }
  });
});
