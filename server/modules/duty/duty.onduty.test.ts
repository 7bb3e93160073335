import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, buildUnit, buildUser } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { onDutyAt } from './duty.onduty.js';

const H = 3_600_000;

describe.each(testDialects())('onDutyAt on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function shift(unitId: number, startsAt: number, endsAt: number, leaders: number[], officers: number[]) {
    const now = t.clock.now();
    const s = await t.deps.db
      .insertInto('duty_shifts')
      .values({ unit_id: unitId, starts_at: startsAt, ends_at: endsAt, note: null, source: 'manual', swapped_at: null, reminded_at: null, created_by_user_id: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const members = [...leaders.map((p, i) => ({ shift_id: s.id, person_id: p, role: 'leader', position: i })), ...officers.map((p, i) => ({ shift_id: s.id, person_id: p, role: 'officer', position: i }))];
    await t.deps.db.insertInto('duty_shift_members').values(members).execute();
    return s.id;
  }

  it('finds who is on shift at an instant, per unit, in a batch, with their logins', async () => {
    const root = await buildUnit(t);
    const a = await buildUnit(t, { parent: root });
    const b = await buildUnit(t, { parent: root });
    const lead = await buildPerson(t, a, { name: '带班甲', phone: '13900000001' });
    const off1 = await buildPerson(t, a, { name: '值班乙' });
    const off2 = await buildPerson(t, a, { name: '值班丙', phone: null });
    const lead2 = await buildPerson(t, a, { name: '带班丁' });
    const user = await buildUser(t, [{ role: 'employee', unit: a }], { personId: off1.id });
    const t0 = Date.parse('2026-12-01T00:00:00Z');
    const s1 = await shift(a.id, t0, t0 + 24 * H, [lead.id], [off1.id, off2.id]);
    const s2 = await shift(a.id, t0 + 24 * H, t0 + 48 * H, [lead2.id], [off2.id]);

    const m = await onDutyAt(t.deps.db, [a.id, b.id, a.id], t0 + 5 * H);
    expect([...m.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(m.get(b.id)).toEqual({ leaders: [], officers: [] });
    const at = m.get(a.id)!;
    expect(at.leaders).toEqual([{ personId: lead.id, userId: null, name: '带班甲', phone: '13900000001', shiftId: s1 }]);
    expect(at.officers.map((p) => [p.personId, p.userId, p.shiftId])).toEqual([
      [off1.id, user.id, s1],
      [off2.id, null, s1],
    ]);
    // The end is exclusive: at the hand-over instant the next shift is on.
    const next = (await onDutyAt(t.deps.db, [a.id], t0 + 24 * H)).get(a.id)!;
    expect(next.leaders.map((p) => p.shiftId)).toEqual([s2]);
    expect((await onDutyAt(t.deps.db, [a.id], t0 - 1)).get(a.id)).toEqual({ leaders: [], officers: [] });
    // Inside a transaction too.
    const inTx = await t.deps.db.transaction().execute((tx) => onDutyAt(tx, [a.id], t0));
    expect(inTx.get(a.id)!.officers).toHaveLength(2);
    expect((await onDutyAt(t.deps.db, [], t0)).size).toBe(0);
  });

  it.runIf(dialect === 'sqlite')('reads the shifts through an index on the unit, not a scan of every shift', async () => {
    const plan = await sql<{ detail: string }>`explain query plan select s.id from duty_shifts s where s.unit_id in (1, 2, 3) and s.ends_at > ${1} and s.starts_at <= ${1}`.execute(t.deps.db);
    const details = plan.rows.map((r) => r.detail).join(' | ');
    expect(details).toMatch(/USING INDEX duty_shifts_unit_(end|start)/);
    expect(details).not.toMatch(/SCAN s(?! USING)/);
  });
});
