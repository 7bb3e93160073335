import { describe, expect, it } from 'vitest';
import { addDays, dayOf, daysFrom, endOfDay, isValidTimeZone, startOfDay } from './day.js';

describe('deployment days', () => {
  it('computes the day in the deployment time zone, not the server one', () => {
    // 2026-11-24 17:30 UTC is already 2026-11-25 01:30 in Shanghai.
    const t = Date.UTC(2026, 10, 24, 17, 30);
    expect(dayOf(t, 'Asia/Shanghai')).toBe('2026-11-25');
    expect(dayOf(t, 'UTC')).toBe('2026-11-24');
    expect(dayOf(t, 'America/New_York')).toBe('2026-11-24');
  });

  it('ends a day at its last millisecond in the zone (the same-day deadline)', () => {
    expect(new Date(endOfDay('2026-11-24', 'Asia/Shanghai')).toISOString()).toBe('2026-11-24T15:59:59.999Z');
    expect(new Date(startOfDay('2026-11-24', 'Asia/Shanghai')).toISOString()).toBe('2026-11-23T16:00:00.000Z');
  });

  it('handles a 23-hour day across a DST change', () => {
    const len = startOfDay('2026-03-09', 'America/New_York') - startOfDay('2026-03-08', 'America/New_York');
    expect(len).toBe(23 * 3600 * 1000);
    expect(dayOf(endOfDay('2026-03-08', 'America/New_York'), 'America/New_York')).toBe('2026-03-08');
  });

  it('adds days across month and year ends and knows real zones', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('remembers the last day per zone without ever answering another day than Intl does (DST, repeated and skipped midnights)', () => {
    const wrong: string[] = [];
    for (const tz of ['Asia/Shanghai', 'America/Santiago', 'Asia/Gaza', 'America/Havana', 'Australia/Lord_Howe']) {
      const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
      for (let ms = Date.UTC(2011, 0, 1); ms < Date.UTC(2013, 0, 1); ms += 29 * 60_000 + 7_000) {
        if (dayOf(ms, tz) !== f.format(ms)) wrong.push(`${tz} ${new Date(ms).toISOString()}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('counts whole calendar days between two days, across month, year and leap days', () => {
    expect(daysFrom('2026-11-24', '2026-11-24')).toBe(0);
    expect(daysFrom('2026-11-24', '2026-12-01')).toBe(7);
    expect(daysFrom('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysFrom('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysFrom('2026-03-10', '2026-03-01')).toBe(-9);
    for (const n of [-400, -1, 0, 1, 31, 366]) expect(daysFrom('2026-11-24', addDays('2026-11-24', n))).toBe(n);
  });
});
