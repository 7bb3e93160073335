import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../common/day.js';
import type { QualityPage } from '../../../common/schemas/health-reports.js';
import { buildPerson, buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { send } from '../../../test/http.js';
import type { PersonRow, UnitRow } from '../../db/schema.js';
import { insertCheckin } from './health.store.js';
import { cityHopping, identicalStreak, lowTemperatureNormal, minuteOfDay, qualityReasons, type QualitySample } from './quality.policy.js';

const TZ = 'Asia/Shanghai';
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);
const DAY = '2026-11-24';

/** Seven days of check-ins ending on DAY, each built from the defaults and the day's overrides. */
function week(over: (i: number, day: string) => Partial<QualitySample> = () => ({})): QualitySample[] {
  return Array.from({ length: 7 }, (_, i) => {
    const day = addDays(DAY, i - 6);
    return { day, temperature: 365, symptoms: [], location: 'at_work', city: '青岛', createdAt: shanghai(`${day}T08:01:30`), ...over(i, day) };
  });
}

describe('quality rules', () => {
  it('minute of the day is read in the deployment zone', () => {
    expect(minuteOfDay({ day: DAY, createdAt: shanghai(`${DAY}T08:01:59`) }, TZ)).toBe(8 * 60 + 1);
    expect(minuteOfDay({ day: DAY, createdAt: shanghai(`${DAY}T00:00:00`) }, TZ)).toBe(0);
  });

  it('identical streak: the same answers at the same minute every day of the window', () => {
    expect(identicalStreak(week(), DAY, TZ)).toEqual({ code: 'identical_streak', days: 7, minute: '08:01' });
    // Seconds within the minute do not matter; the next minute does.
    expect(identicalStreak(week((i, d) => ({ createdAt: shanghai(`${d}T08:01:0${i}`) })), DAY, TZ)).not.toBeNull();
    expect(identicalStreak(week((i, d) => (i === 3 ? { createdAt: shanghai(`${d}T08:02:00`) } : {})), DAY, TZ)).toBeNull();
    // One answer different on one day breaks it.
    expect(identicalStreak(week((i) => (i === 6 ? { temperature: 366 } : {})), DAY, TZ)).toBeNull();
    expect(identicalStreak(week((i) => (i === 0 ? { city: '济南' } : {})), DAY, TZ)).toBeNull();
    expect(identicalStreak(week((i) => (i === 2 ? { location: 'remote' } : {})), DAY, TZ)).toBeNull();
    expect(identicalStreak(week((i) => (i === 2 ? { symptoms: ['咳嗽'] } : {})), DAY, TZ)).toBeNull();
    // A missing day breaks it, and so does a window that ends on another day.
    expect(identicalStreak(week().filter((_, i) => i !== 4), DAY, TZ)).toBeNull();
    expect(identicalStreak(week(), addDays(DAY, 1), TZ)).toBeNull();
  });

  it('a temperature below 35.0 °C with no symptom is flagged, at 35.0 or with a symptom it is not', () => {
    expect(lowTemperatureNormal(week((i) => (i === 2 ? { temperature: 349 } : i === 4 ? { temperature: 342 } : {})))).toEqual({ code: 'low_temperature_normal', day: addDays(DAY, -2), temperature: 34.2 });
    expect(lowTemperatureNormal(week((i) => (i === 2 ? { temperature: 350 } : {})))).toBeNull();
    expect(lowTemperatureNormal(week((i) => (i === 2 ? { temperature: 340, symptoms: ['乏力'] } : {})))).toBeNull();
  });

  it('city hopping: three changes between consecutive days without a trip', () => {
    const hop = ['青岛', '北京', '青岛', '上海', '上海', '上海', '上海'];
    expect(cityHopping(week((i) => ({ city: hop[i]! })))).toEqual({ code: 'city_hopping', changes: 3, cities: ['青岛', '北京', '上海'] });
    // Two changes are a move and a return.
    const back = ['青岛', '北京', '青岛', '青岛', '青岛', '青岛', '青岛'];
    expect(cityHopping(week((i) => ({ city: back[i]! })))).toBeNull();
    // A trip explains the changes on its days.
    expect(cityHopping(week((i) => ({ city: hop[i]!, location: i === 1 ? 'trip' : 'at_work' })))).toBeNull();
    // The same city spelt with or without 市 is no change; a gap of a day is not a day-to-day change.
    expect(cityHopping(week((i) => ({ city: i % 2 ? '青岛市' : ' 青岛' })))).toBeNull();
    expect(cityHopping(week((i) => ({ city: hop[i]! })).filter((_, i) => i !== 1 && i !== 2))).toBeNull();
  });

  it('qualityReasons looks only at the window ending on the day', () => {
    const old: QualitySample = { day: addDays(DAY, -7), temperature: 340, symptoms: [], location: 'at_work', city: '青岛', createdAt: shanghai(`${addDays(DAY, -7)}T08:00:00`) };
    expect(qualityReasons([old], DAY, TZ)).toEqual([]);
    expect(qualityReasons([old], addDays(DAY, -1), TZ).map((r) => r.code)).toEqual(['low_temperature_normal']);
    expect(qualityReasons(week((i) => (i === 0 ? { temperature: 341 } : {})), DAY, TZ).map((r) => r.code)).toEqual(['low_temperature_normal']);
  });
});

describe.each(testDialects())('quality flags on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function checkinOf(person: PersonRow, unit: UnitRow, s: QualitySample) {
    await insertCheckin(t.deps.db, {
      person_id: person.id,
      unit_id: unit.id,
      day: s.day,
      temperature: s.temperature,
      symptoms: JSON.stringify(s.symptoms),
      location: s.location,
      city: s.city,
      note: null,
      abnormal: 0,
      on_time: 1,
      on_behalf_of_user_id: null,
      created_at: s.createdAt,
      updated_at: s.createdAt,
    });
  }

  it('lists the flagged people of the subtree with their reasons, paged, scoped and audited', async () => {
    t.clock.set(shanghai(`${DAY}T12:00:00`));
    const { a, a1, b } = await buildTree(t);
    const bot = await buildPerson(t, a1, { name: '甲' });
    const cold = await buildPerson(t, a, { name: '乙' });
    const honest = await buildPerson(t, a1, { name: '丙' });
    const hopper = await buildPerson(t, a1, { name: '丁' });
    const elsewhere = await buildPerson(t, b, { name: '戊' });
    const hop = ['青岛', '北京', '青岛', '上海', '上海', '上海', '上海'];
    for (const s of week()) await checkinOf(bot, a1, s);
    for (const s of week((i) => (i === 5 ? { temperature: 343 } : { createdAt: shanghai(`${addDays(DAY, i - 6)}T08:0${i}:00`) }))) await checkinOf(cold, a, s);
    for (const s of week((i, d) => ({ temperature: 360 + i, createdAt: shanghai(`${d}T07:5${i}:00`) }))) await checkinOf(honest, a1, s);
    for (const s of week((i, d) => ({ city: hop[i]!, createdAt: shanghai(`${d}T09:1${i}:00`) }))) await checkinOf(hopper, a1, s);
    for (const s of week()) await checkinOf(elsewhere, b, s);
    // Outside the window: a low reading eight days ago is no longer flagged.
    await checkinOf(honest, a1, { day: addDays(DAY, -8), temperature: 340, symptoms: [], location: 'at_work', city: '青岛', createdAt: shanghai(`${addDays(DAY, -8)}T08:00:00`) });

    const liaison = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const cookie = await loginAs(t, liaison.id);
    const app = await t.app();
    const r = await send(app, cookie, { method: 'GET', url: '/api/v1/checkins/quality', query: { unitId: String(a.id) } });
    expect(r.status).toBe(200);
    const body = r.json as QualityPage;
    expect([body.day, body.fromDay, body.total]).toEqual([DAY, addDays(DAY, -6), 3]);
    expect(body.items.map((i) => [i.name, i.reasons.map((x) => x.code)])).toEqual([
      ['乙', ['low_temperature_normal']],
      ['丁', ['city_hopping']],
      ['甲', ['identical_streak']],
    ]);
    expect(body.items[2]).toMatchObject({ personId: bot.id, unitId: a1.id, unitName: a1.name, reasons: [{ code: 'identical_streak', days: 7, minute: '08:01' }] });

    const paged = await send(app, cookie, { method: 'GET', url: '/api/v1/checkins/quality', query: { unitId: String(a.id), pageSize: '2', page: '2' } });
    expect((paged.json as QualityPage).items.map((i) => i.name)).toEqual(['甲']);
    // The day before: the bot's streak has six days only.
    const before = await send(app, cookie, { method: 'GET', url: '/api/v1/checkins/quality', query: { unitId: String(a1.id), day: addDays(DAY, -1) } });
    expect((before.json as QualityPage).items.map((i) => i.name)).toEqual(['丁']);

    expect((await send(app, cookie, { method: 'GET', url: '/api/v1/checkins/quality', query: { unitId: String(b.id) } })).status).toBe(404);
    expect((await send(app, cookie, { method: 'GET', url: '/api/v1/checkins/quality', query: { unitId: String(a.id), day: '2026-13-01' } })).status).toBe(400);
    const reads = await t.deps.db.selectFrom('audit_log').select(['action', 'unit_id']).where('actor_user_id', '=', liaison.id).execute();
    expect(reads.map((x) => [x.action, x.unit_id])).toEqual([
      ['checkins.quality.read', a.id],
      ['checkins.quality.read', a.id],
      ['checkins.quality.read', a1.id],
    ]);
    const care = await buildUser(t, [{ role: 'care_officer', unit: a }]);
    expect((await send(app, await loginAs(t, care.id), { method: 'GET', url: '/api/v1/checkins/quality', query: { unitId: String(a.id) } })).status).toBe(403);
  });
});
