import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildTree } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { transact } from '../../db/transact.js';
import { systemCtx } from '../../http/actor.js';
import { verifyAudit } from '../audit/audit.service.js';
import { putSetting } from '../setup/settings.store.js';
import { openHealthWatch, type OpenWatchInput } from './watches.service.js';

const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe.each(testDialects())('health watches on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  const open = (input: OpenWatchInput) => transact(t.deps, systemCtx, (tx) => openHealthWatch(tx, t.deps, input));
  const watchesOf = (personId: number) => t.deps.db.selectFrom('health_watches').selectAll().where('person_id', '=', personId).orderBy('id').execute();
  const notesOf = (watchId: number) => t.deps.db.selectFrom('health_watch_notes').selectAll().where('watch_id', '=', watchId).orderBy('id').execute();

  it('openHealthWatch opens one watch per person; a second cause joins it and extends it; a repeated cause does nothing', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const { a1 } = await buildTree(t);
    const p = await buildPerson(t, a1);
    const first = await open({ personId: p.id, reason: 'test_positive', sourceEntity: 'test_result', sourceId: '7', openedByUserId: null });
    expect(first.created).toBe(true);
    let [w] = await watchesOf(p.id);
    expect(w).toMatchObject({ unit_id: a1.id, reason: 'test_positive', start_day: '2026-11-24', days: 14, end_day: '2026-12-07', status: 'open' });
    expect(await open({ personId: p.id, reason: 'test_positive', sourceEntity: 'test_result', sourceId: '7', openedByUserId: null })).toEqual({ id: first.id, created: false });
    t.clock.set(shanghai('2026-11-30T09:00:00'));
    const joined = await open({ personId: p.id, reason: 'trip_return', sourceEntity: 'trip', sourceId: '3', days: 10, openedByUserId: null, note: '返程' });
    expect(joined).toEqual({ id: first.id, created: false });
    [w] = await watchesOf(p.id);
    expect(w).toMatchObject({ end_day: '2026-12-09', days: 16 });
    // A shorter cause never shortens the watch.
    await open({ personId: p.id, reason: 'manual', sourceEntity: 'user', sourceId: 'x', days: 1, openedByUserId: null });
    expect((await watchesOf(p.id))).toHaveLength(1);
    expect((await watchesOf(p.id))[0]).toMatchObject({ end_day: '2026-12-09' });
    expect((await notesOf(first.id)).map((n) => [n.reason, n.source_entity, n.note])).toEqual([
      ['test_positive', 'test_result', null],
      ['trip_return', 'trip', '返程'],
      ['manual', 'user', null],
    ]);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', 'health_watch').where('entity_id', '=', String(first.id)).orderBy('id').execute();
    expect(audit.map((x) => x.action)).toEqual(['health_watch.opened', 'health_watch.joined', 'health_watch.joined']);
    expect(audit.map((x) => x.detail).join()).not.toMatch(/test_positive|trip_return|返程/);
    expect(await verifyAudit(t.deps)).toMatchObject({ ok: true });
  });

  it('uses the watch days setting by default', async () => {
    t.clock.set(shanghai('2026-11-24T09:00:00'));
    const { a } = await buildTree(t);
    const p = await buildPerson(t, a);
    await putSetting(t.deps.db, 'health.watch_days', 7, t.clock.now());
    try {
      await open({ personId: p.id, reason: 'manual', sourceEntity: 'user', sourceId: `s${p.id}`, openedByUserId: null });
    } finally {
      await t.deps.db.deleteFrom('settings').where('key', '=', 'health.watch_days').execute();
    }
    expect((await watchesOf(p.id))[0]).toMatchObject({ days: 7, end_day: '2026-11-30' });
  });
});
