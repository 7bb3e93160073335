// The server's own time zone must not matter: this file runs in New York (pool 'forks' gives each
// file its own process, and Node re-reads TZ when it is assigned), while the deployment is in Shanghai.
process.env.TZ = 'America/New_York';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildUnit, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send, type HttpRequest } from '../../../test/http.js';
import type { UnitRow } from '../../db/schema.js';
import { createJobRunner } from '../../jobs/registry.js';
import { putSetting } from '../setup/settings.store.js';
import { REMINDER_LEAD_SETTING } from './tasks.jobs.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe.each(testDialects())('task deadlines and reminders on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  it('runs in a server time zone other than the deployment’s', () => {
    // New York is UTC-5 in November: an offset of +300 minutes (Shanghai would be -480).
    expect(new Date(shanghai('2026-11-24T12:00:00')).getTimezoneOffset()).toBe(300);
    expect(t.deps.config.timeZone).toBe('Asia/Shanghai');
  });

  async function call(cookie: string, req: HttpRequest) {
    return send(await t.app(), cookie, req);
  }

  /** A root with a command office and `n` units under it, each with a unit head linked to a person. */
  async function world(n: number) {
    const root = await buildUnit(t, { name: '集团' });
    const commandPerson = await buildPerson(t, root);
    const command = await buildUser(t, [{ role: 'command', unit: root }], { personId: commandPerson.id });
    const units: { unit: UnitRow; headUserId: number; cookie: string }[] = [];
    for (let i = 0; i < n; i++) {
      const unit = await buildUnit(t, { parent: root, name: `单位${i + 1}` });
      const p = await buildPerson(t, unit);
      const head = await buildUser(t, [{ role: 'unit_head', unit }], { personId: p.id });
      units.push({ unit, headUserId: head.id, cookie: await loginAs(t, head.id) });
    }
    return { root, units, commandId: command.id, commandCookie: await loginAs(t, command.id) };
  }

  async function assign(cookie: string, unitIds: number[], extra: Record<string, unknown> = {}) {
    const r = await call(cookie, {
      method: 'POST',
      url: '/api/v1/directives',
      body: { source: 'district', title: '当日落实', body: '今日内完成', tasks: [{ target: { mode: 'units', unitIds }, ...extra }] },
    });
    expect(r.status).toBe(201);
    return (r.json as { tasks: { id: number; unitId: number; deadline: number }[] }).tasks;
  }

  const told = (kind: string, userId: number) =>
    t.deps.db.selectFrom('notifications').select('id').where('kind', '=', kind).where('user_id', '=', userId).execute().then((r) => r.length);
  const task = (id: number) => t.deps.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('a task due at 23:59 becomes overdue at 00:00 Asia/Shanghai, and its unit head is told; one done or re-dated in time is not', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const w = await world(3);
    const [late, done, redated] = await assign(w.commandCookie, w.units.map((u) => u.unit.id));
    expect(late!.deadline).toBe(shanghai('2026-11-24T23:59:59.999'));
    // One is done in time; one is re-dated to tomorrow before its deadline.
    const doneUnit = w.units.find((u) => u.unit.id === done!.unitId)!;
    await call(doneUnit.cookie, { method: 'POST', url: `/api/v1/tasks/${done!.id}/acknowledge`, body: {} });
    expect((await call(doneUnit.cookie, { method: 'POST', url: `/api/v1/tasks/${done!.id}/complete`, body: { report: '已完成' } })).status).toBe(200);
    const tomorrow = shanghai('2026-11-25T18:00:00');
    expect((await call(w.commandCookie, { method: 'PATCH', url: `/api/v1/tasks/${redated!.id}`, body: { deadline: tomorrow } })).status).toBe(200);

    const runner = await createJobRunner(t.deps, 60_000);
    t.clock.set(shanghai('2026-11-24T23:59:59'));
    await runner.tick();
    expect((await task(late!.id)).overdue_at).toBeNull();
    t.clock.set(shanghai('2026-11-25T00:00:00'));
    await runner.tick();
    expect((await task(late!.id)).overdue_at).toBe(shanghai('2026-11-25T00:00:00'));
    expect((await task(done!.id)).overdue_at).toBeNull();
    expect((await task(redated!.id)).overdue_at).toBeNull();
    const lateHead = w.units.find((u) => u.unit.id === late!.unitId)!;
    expect(await told('task.overdue', lateHead.headUserId)).toBe(1);
    expect(await told('task.overdue', doneUnit.headUserId)).toBe(0);
    // It shows on the supervision query, which the re-dated one does not (a new session: the day's has gone idle).
    w.commandCookie = await loginAs(t, w.commandId);
    const overdue = (await call(w.commandCookie, { method: 'GET', url: '/api/v1/tasks', query: { unitId: String(w.root.id), state: 'overdue' } })).json as { items: { id: number }[] };
    expect(overdue.items.map((x) => x.id)).toEqual([late!.id]);
    // Run again (a retried job): nobody is told twice.
    await t.deps.db.updateTable('jobs').set({ status: 'pending', run_at: t.clock.now() }).where('key', '=', `tasks.deadline:${late!.deadline}`).execute();
    await runner.tick();
    expect(await told('task.overdue', lateHead.headUserId)).toBe(1);
    // The re-dated one falls due at its new deadline.
    t.clock.set(tomorrow + 1);
    await runner.tick();
    expect((await task(redated!.id)).overdue_at).toBe(tomorrow + 1);
  });

  it('a deadline that passed while the server was down fires when it comes back', async () => {
    t.clock.set(shanghai('2026-12-01T09:00:00'));
    const w = await world(1);
    const [x] = await assign(w.commandCookie, [w.units[0]!.unit.id]);
    // Down from before the deadline until the next morning: no runner existed meanwhile.
    t.clock.set(shanghai('2026-12-02T07:30:00'));
    const runner = await createJobRunner(t.deps, 60_000);
    await runner.tick();
    expect((await task(x!.id)).overdue_at).toBe(shanghai('2026-12-02T07:30:00'));
    expect(await told('task.overdue', w.units[0]!.headUserId)).toBe(1);
  });

  it('the reminder lead time is set by the command office of the root only', async () => {
    t.clock.set(shanghai('2026-12-03T08:00:00'));
    const w = await world(1);
    const sub = w.units[0]!.unit;
    const subCommand = await buildUser(t, [{ role: 'command', unit: sub }]);
    const rootLiaison = await buildUser(t, [{ role: 'liaison', unit: w.root }]);
    expect((await call(w.commandCookie, { method: 'GET', url: '/api/v1/settings/tasks' })).json).toEqual({ reminderLeadMinutes: 120 });
    for (const u of [subCommand, rootLiaison]) {
      const cookie = await loginAs(t, u.id);
      expect((await call(cookie, { method: 'GET', url: '/api/v1/settings/tasks' })).status).toBe(403);
      expect((await call(cookie, { method: 'PUT', url: '/api/v1/settings/tasks', body: { reminderLeadMinutes: 30 } })).status).toBe(403);
    }
    expect((await call(w.commandCookie, { method: 'PUT', url: '/api/v1/settings/tasks', body: { reminderLeadMinutes: -1 } })).status).toBe(400);
    expect((await call(w.commandCookie, { method: 'PUT', url: '/api/v1/settings/tasks', body: { reminderLeadMinutes: 60 } })).json).toEqual({ reminderLeadMinutes: 60 });
    expect((await call(w.commandCookie, { method: 'GET', url: '/api/v1/settings/tasks' })).json).toEqual({ reminderLeadMinutes: 60 });
    await t.deps.db.deleteFrom('settings').where('key', '=', REMINDER_LEAD_SETTING).execute();
  });

  it('reminds the responsible person once, the lead time before the deadline, even across a restart', async () => {
    t.clock.set(shanghai('2026-12-03T09:00:00'));
    await putSetting(t.deps.db, REMINDER_LEAD_SETTING, 60, t.clock.now());
    try {
      const w = await world(2);
      const [a, b] = await assign(w.commandCookie, w.units.map((u) => u.unit.id));
      const headA = w.units.find((u) => u.unit.id === a!.unitId)!;
      const headB = w.units.find((u) => u.unit.id === b!.unitId)!;
      // B finishes before the reminder: it is not reminded.
      await call(headB.cookie, { method: 'POST', url: `/api/v1/tasks/${b!.id}/acknowledge`, body: {} });
      await call(headB.cookie, { method: 'POST', url: `/api/v1/tasks/${b!.id}/complete`, body: { report: '完成' } });
      const first = await createJobRunner(t.deps, 60_000);
      t.clock.set(shanghai('2026-12-03T22:59:00'));
      await first.tick();
      expect(await told('task.reminder', headA.headUserId)).toBe(0);
      t.clock.set(shanghai('2026-12-03T23:00:00'));
      await first.tick();
      expect(await told('task.reminder', headA.headUserId)).toBe(1);
      expect(await told('task.reminder', headB.headUserId)).toBe(0);
      // A crash after the reminder went out but before its job was marked done: the job runs again
      // on a new runner over the same database, and nobody is reminded twice.
      await t.deps.db.updateTable('jobs').set({ status: 'pending', run_at: t.clock.now() }).where('kind', '=', 'tasks.remind').execute();
      const second = await createJobRunner(t.deps, 60_000);
      t.clock.set(shanghai('2026-12-03T23:10:00'));
      await second.tick();
      expect(await told('task.reminder', headA.headUserId)).toBe(1);
      const log = (await call(await loginAs(t, w.commandId), { method: 'GET', url: `/api/v1/tasks/${a!.id}` })).json as { events: { action: string; actorUserId: number | null }[] };
      expect(log.events.filter((e) => e.action === 'reminded')).toEqual([expect.objectContaining({ actorUserId: null })]);
    } finally {
      await t.deps.db.deleteFrom('settings').where('key', '=', REMINDER_LEAD_SETTING).execute();
    }
  });
});
