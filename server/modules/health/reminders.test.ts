import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { createJobRunner } from '../../jobs/registry.js';
import { verifyAudit } from '../audit/audit.service.js';
import { getSetting } from '../setup/settings.store.js';
import { healthSettings } from './reminders.service.js';

/** An instant given as Shanghai wall time (UTC+8, no DST). */
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const form = { temperature: 36.5, symptoms: [], location: 'at_work', city: '青岛' };
const SETTINGS = { cutoff: '12:00', reminderTimes: ['10:30', '09:00'], digestTime: '17:30', watchDays: 10, retentionDays: 30 };

describe.each(testDialects())('check-in reminders on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());
  const call = async (cookie: string | null, req: HttpRequest) => send(await t.app(), cookie, req);

  /** A person in `unit` with a linked, signed-in account. */
  async function employeeIn(unit: UnitRow, name?: string) {
    const person = await buildPerson(t, unit, name ? { name } : {});
    const user = await buildUser(t, [], { home: unit, personId: person.id });
    return { person, user, cookie: await loginAs(t, user.id) };
  }
  const inbox = (userId: number) => t.deps.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('id').execute();
  const rootAdmin = async (root: UnitRow) => loginAs(t, (await buildUser(t, [{ role: 'admin', unit: root }])).id);

  it('reminds the non-reporters of a subtree once, refuses a resend within 10 minutes, and audits it', async () => {
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const { root, a, a1, b } = await buildTree(t);
    const done = await employeeIn(a1);
    const late = await employeeIn(a1);
    const other = await employeeIn(b);
    await buildPerson(t, a); // no account: counted, reminded through a robot when the unit has one
    expect((await call(done.cookie, { method: 'POST', url: '/api/v1/checkins', body: form })).status).toBe(201);
    const liaison = await loginAs(t, (await buildUser(t, [{ role: 'liaison', unit: a }])).id);

    const sent = await call(liaison, { method: 'POST', url: '/api/v1/checkins/reminders', body: { unitId: a.id } });
    expect(sent.status).toBe(200);
    expect(sent.json).toEqual({ sent: 2, day: '2026-11-24' });
    expect((await inbox(late.user.id)).map((n) => n.kind)).toEqual(['checkin.reminder']);
    expect(await inbox(done.user.id)).toHaveLength(0);
    expect(await inbox(other.user.id)).toHaveLength(0);
    const mine = await call(late.cookie, { method: 'GET', url: '/api/v1/notifications', query: { lang: 'en' } });
    expect(mine.json).toMatchObject({ unread: 1, items: [{ kind: 'checkin.reminder', text: 'You have not checked in for today (2026-11-24) yet. Please check in now.' }] });

    t.clock.advance(5 * 60_000);
    const again = await call(liaison, { method: 'POST', url: '/api/v1/checkins/reminders', body: { unitId: a.id } });
    expect(again.status).toBe(409);
    expect((again.json as { error: { message: string } }).error.message).toContain('08:00');
    expect((again.json as { error: { message: string } }).error.message).toContain('08:10');
    expect(await inbox(late.user.id)).toHaveLength(1);
    // Another unit is its own: B's liaison is not held up by A's reminder.
    t.clock.advance(5 * 60_000);
    expect((await call(liaison, { method: 'POST', url: '/api/v1/checkins/reminders', body: { unitId: a.id } })).status).toBe(200);
    expect(await inbox(late.user.id)).toHaveLength(2);

    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'unit_id', 'detail']).where('action', '=', 'checkins.reminded').where('unit_id', '=', a.id).execute();
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[0]!.detail)).toEqual({ note: { day: '2026-11-24', people: 2, inApp: 1 } });
    expect((await verifyAudit(t.deps)).ok).toBe(true);
    void root;
  });

  it('needs health.write over the unit: outside the scope is a bad unitId, a reader is refused, and nothing is sent after the cut-off', async () => {
    t.clock.set(shanghai('2026-11-24T08:00:00'));
    const { root, a, b } = await buildTree(t);
    const e = await employeeIn(a);
    const liaison = await loginAs(t, (await buildUser(t, [{ role: 'liaison', unit: a }])).id);
    const command = await loginAs(t, (await buildUser(t, [{ role: 'command', unit: a }])).id);
    const outside = await call(liaison, { method: 'POST', url: '/api/v1/checkins/reminders', body: { unitId: b.id } });
    expect(outside.status).toBe(400);
    expect((outside.json as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('unitId');
    expect((await call(command, { method: 'POST', url: '/api/v1/checkins/reminders', body: { unitId: a.id } })).status).toBe(403);
    expect((await call(liaison, { method: 'POST', url: '/api/v1/checkins/reminders', body: { unitId: a.id, extra: 1 } })).status).toBe(400);
    expect(await inbox(e.user.id)).toHaveLength(0);

    const admin = await rootAdmin(root);
    expect((await call(admin, { method: 'PUT', url: '/api/v1/settings/health', body: SETTINGS })).status).toBe(200);
    t.clock.set(shanghai('2026-11-24T12:00:00'));
    // Sessions lapse when the clock jumps hours: sign in again.
    const liaisonAgain = await loginAs(t, (await buildUser(t, [{ role: 'liaison', unit: a }])).id);
    const closed = await call(liaisonAgain, { method: 'POST', url: '/api/v1/checkins/reminders', body: { unitId: a.id } });
    expect(closed.status).toBe(409);
    expect(await inbox(e.user.id)).toHaveLength(0);
    await call(await rootAdmin(root), { method: 'PUT', url: '/api/v1/settings/health', body: { ...SETTINGS, cutoff: '24:00', reminderTimes: [] } });
  });

  it('health settings: defaults, validation naming the field, root-only health.settings, stored under the keys the other jobs read', async () => {
    const { root, a } = await buildTree(t);
    const admin = await rootAdmin(root);
    await call(admin, { method: 'PUT', url: '/api/v1/settings/health', body: { cutoff: '24:00', reminderTimes: [], digestTime: '17:00', watchDays: 14, retentionDays: 90 } });
    expect((await call(admin, { method: 'GET', url: '/api/v1/settings/health' })).json).toEqual({ cutoff: '24:00', reminderTimes: [], digestTime: '17:00', watchDays: 14, retentionDays: 90 });

    const bad: [Record<string, unknown>, string][] = [
      [{ ...SETTINGS, reminderTimes: ['13:00'] }, 'reminderTimes'],
      [{ ...SETTINGS, reminderTimes: ['9:00'] }, 'reminderTimes.0'],
      [{ ...SETTINGS, reminderTimes: ['09:00', '09:00'] }, 'reminderTimes'],
      [{ ...SETTINGS, cutoff: '24:30' }, 'cutoff'],
      [{ ...SETTINGS, digestTime: '24:00' }, 'digestTime'],
      [{ ...SETTINGS, watchDays: 91 }, 'watchDays'],
      [{ ...SETTINGS, retentionDays: 6 }, 'retentionDays'],
      [{ ...SETTINGS, extra: true }, 'extra'],
    ];
    for (const [body, field] of bad) {
      const r = await call(admin, { method: 'PUT', url: '/api/v1/settings/health', body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys((r.json as { error: { fields: Record<string, string> } }).error.fields), JSON.stringify(body)).toContain(field);
    }
    expect((await healthSettings(t.deps.db, t.deps, root.id)).cutoff).toBe('24:00');

    // The command office on the root may; on a subsidiary it may not (the settings are everyone's), nor may a liaison.
    const commandRoot = await loginAs(t, (await buildUser(t, [{ role: 'command', unit: root }])).id);
    for (const [grant, unit] of [['command', a], ['admin', a], ['liaison', root]] as const) {
      const c = await loginAs(t, (await buildUser(t, [{ role: grant, unit }])).id);
      expect((await call(c, { method: 'GET', url: '/api/v1/settings/health' })).status, grant).toBe(403);
      expect((await call(c, { method: 'PUT', url: '/api/v1/settings/health', body: SETTINGS })).status, grant).toBe(403);
    }
    const put = await call(commandRoot, { method: 'PUT', url: '/api/v1/settings/health', body: SETTINGS });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ ...SETTINGS, reminderTimes: ['09:00', '10:30'] });
    expect(await healthSettings(t.deps.db, t.deps, root.id)).toEqual({ ...SETTINGS, reminderTimes: ['09:00', '10:30'] });
    expect(await getSetting(t.deps.db, 'health.digest_time')).toBe('17:30');
    expect(await getSetting(t.deps.db, 'health.retention_days')).toBe(30);
    expect(await getSetting(t.deps.db, 'health.watch_days')).toBe(10);
    // The cut-off is the root's measure now: set there through the measures module, audited there too.
    const cutoffRows = await t.deps.db.selectFrom('measure_values').select(['unit_id', 'value', 'status']).where('measure_key', '=', 'checkin.cutoff').where('unit_id', '=', root.id).execute();
    expect(cutoffRows).toEqual([{ unit_id: root.id, value: 12 * 60, status: 'set' }]);
    expect(await getSetting(t.deps.db, 'health.cutoff')).toBeUndefined();
    const audit = await t.deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'settings.health.updated').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail).after).toMatchObject({ cutoff: '12:00', reminderTimes: ['09:00', '10:30'] });
    await call(admin, { method: 'PUT', url: '/api/v1/settings/health', body: { ...SETTINGS, cutoff: '24:00', reminderTimes: [] } });
  });
});

describe.each(testDialects())('scheduled reminders and the cut-off report on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());
  const call = async (cookie: string | null, req: HttpRequest) => send(await t.app(), cookie, req);
  const kinds = async (userId: number) =>
    (await t.deps.db.selectFrom('notifications').select(['kind', 'params']).where('user_id', '=', userId).orderBy('id').execute()).map((n) => `${n.kind} ${n.params}`);

  it('reminds at each time once across two processes, reports who is missing at the cut-off to the unit head, and fires a missed time once after a restart', async () => {
    t.clock.set(shanghai('2026-11-24T07:00:00'));
    const { root, a, a1 } = await buildTree(t);
    const b1 = await buildUnit(t, { parent: a1 });
    const people = [];
    for (const [unit, name] of [[a1, '早到'], [a1, '迟到'], [b1, '没来']] as const) {
      const person = await buildPerson(t, unit, { name });
      const user = await buildUser(t, [], { home: unit, personId: person.id });
      people.push({ person, user, cookie: await loginAs(t, user.id) });
    }
    const [early, late, absent] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    await buildPerson(t, b1, { name: '无账号' });
    const headA = await buildUser(t, [{ role: 'unit_head', unit: a }]);
    const headA1 = await buildUser(t, [{ role: 'unit_head', unit: a1 }]);
    const admin = await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: root }])).id);
    expect((await call(admin, { method: 'PUT', url: '/api/v1/settings/health', body: SETTINGS })).status).toBe(200);

    const one = await createJobRunner(t.deps);
    const two = await createJobRunner(t.deps);
    const drain = async () => {
      for (const r of [one, two, one]) while ((await r.tick()) > 0);
    };
    expect((await call(early.cookie, { method: 'POST', url: '/api/v1/checkins', body: form })).status).toBe(201);

    t.clock.set(shanghai('2026-11-24T08:59:59'));
    await drain();
    expect(await kinds(late.user.id)).toEqual([]);

    t.clock.set(shanghai('2026-11-24T09:00:00'));
    await drain();
    const reminder = 'checkin.reminder {"day":"2026-11-24"}';
    expect(await kinds(late.user.id)).toEqual([reminder]);
    expect(await kinds(absent.user.id)).toEqual([reminder]);
    expect(await kinds(early.user.id)).toEqual([]);

    t.clock.set(shanghai('2026-11-24T10:00:00'));
    expect((await call(await loginAs(t, late.user.id), { method: 'POST', url: '/api/v1/checkins', body: form })).status).toBe(201);
    t.clock.set(shanghai('2026-11-24T10:30:00'));
    await drain();
    expect(await kinds(late.user.id)).toEqual([reminder]);
    expect(await kinds(absent.user.id)).toEqual([reminder, reminder]);

    t.clock.set(shanghai('2026-11-24T12:00:00'));
    await drain();
    // The person in B1 (no head there) goes to A1's head, the nearest; A's head hears nothing of them.
    expect(await kinds(headA1.id)).toEqual([`checkin.missing_at_cutoff ${JSON.stringify({ unit: a1.name, day: '2026-11-24', count: 2, names: '无账号、没来' })}`]);
    expect(await kinds(headA.id)).toEqual([]);
    const page = await call(await loginAs(t, headA1.id), { method: 'GET', url: '/api/v1/notifications' });
    expect((page.json as { items: { text: string }[] }).items[0]!.text).toBe(`${a1.name}：2026-11-24 打卡截止时仍有 2 人未打卡：无账号、没来`);

    // Down from 08:00 to 11:00 the next day: 09:00 and 10:30 both passed; one reminder on return.
    t.clock.set(shanghai('2026-11-25T11:00:00'));
    await drain();
    const nextDay = 'checkin.reminder {"day":"2026-11-25"}';
    expect(await kinds(early.user.id)).toEqual([nextDay]);
    expect((await kinds(absent.user.id)).filter((k) => k === nextDay)).toHaveLength(1);
    const runs = (await t.deps.db.selectFrom('scheduled_runs').select('key').where('key', 'like', 'checkin.%').orderBy('key').execute()).filter((r) => !r.key.includes('#'));
    expect(runs.map((r) => r.key)).toEqual(['checkin.remind:2026-11-24T09:00', 'checkin.remind:2026-11-24T10:30', 'checkin.remind:2026-11-25T10:30']);

    // Times changed: tomorrow reminds only at the new time.
    const admin2 = await loginAs(t, (await buildUser(t, [{ role: 'admin', unit: root }])).id);
    expect((await call(admin2, { method: 'PUT', url: '/api/v1/settings/health', body: { ...SETTINGS, reminderTimes: ['08:15'] } })).status).toBe(200);
    t.clock.set(shanghai('2026-11-26T09:00:00'));
    await drain();
    t.clock.set(shanghai('2026-11-26T10:31:00'));
    await drain();
    expect((await kinds(early.user.id)).filter((k) => k.includes('2026-11-26'))).toHaveLength(1);
    expect((await t.deps.db.selectFrom('scheduled_runs').select('key').where('key', 'like', 'checkin.remind:2026-11-26%').execute()).filter((r) => !r.key.includes('#'))).toEqual([
      { key: 'checkin.remind:2026-11-26T08:15' },
    ]);

    // A run cut short after its first batch of people (a crash): the re-run sends the rest, not that batch again.
    await t.deps.db.insertInto('scheduled_runs').values({ key: 'checkin.remind:2026-11-27T08:15#0', at: t.clock.now() }).execute();
    t.clock.set(shanghai('2026-11-27T08:15:00'));
    await drain();
    expect((await kinds(early.user.id)).filter((k) => k.includes('2026-11-27'))).toEqual([]);
    const audit = await t.deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'checkins.reminded').where('entity_id', '=', '2026-11-27').execute();
    expect(audit).toHaveLength(1);
  });
});
