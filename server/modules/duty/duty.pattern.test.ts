import { describe, expect, it } from 'vitest';
import { Pattern } from '../../../common/schemas/duty.js';
import { patternProblems, planShifts } from './duty.pattern.js';

const TZ = 'Asia/Shanghai';
const sh = (iso: string) => Date.parse(`${iso}+08:00`);
const H = 3_600_000;

describe('planShifts', () => {
  it('lays 24-hour shifts from the hand-over hour across a month end, rotating daily', () => {
    const p = Pattern.parse({ leaderIds: [1, 2, 3], officerIds: [10, 11], handoverHour: 8 });
    const plan = planShifts(p, '2026-11-29', '2026-12-02', TZ);
    expect(plan.map((s) => [s.startsAt, s.endsAt])).toEqual([
      [sh('2026-11-29T08:00:00'), sh('2026-11-30T08:00:00')],
      [sh('2026-11-30T08:00:00'), sh('2026-12-01T08:00:00')],
      [sh('2026-12-01T08:00:00'), sh('2026-12-02T08:00:00')],
      [sh('2026-12-02T08:00:00'), sh('2026-12-03T08:00:00')],
    ]);
    expect(plan.map((s) => s.leaderIds[0])).toEqual([1, 2, 3, 1]);
    expect(plan.map((s) => s.officerIds)).toEqual([[10], [11], [10], [11]]);
  });

  it('hands over at Shanghai midnight (16:00 UTC the day before), whatever the server zone', () => {
    const p = Pattern.parse({ leaderIds: [1], officerIds: [10], handoverHour: 0 });
    const [first, second] = planShifts(p, '2026-12-31', '2027-01-01', TZ);
    expect(first!.startsAt).toBe(Date.UTC(2026, 11, 30, 16));
    expect(first!.endsAt).toBe(Date.UTC(2026, 11, 31, 16));
    expect(second!.startsAt).toBe(first!.endsAt);
    expect(second!.endsAt).toBe(sh('2027-01-02T00:00:00'));
  });

  it('12-hour shifts: two a day, with different people, tiling the days without a hole', () => {
    const p = Pattern.parse({ leaderIds: [1, 2], officerIds: [10, 11, 12, 13], officersPerShift: 2, shiftHours: 12, handoverHour: 8 });
    const plan = planShifts(p, '2026-12-01', '2026-12-02', TZ);
    expect(plan).toHaveLength(4);
    for (let i = 1; i < plan.length; i++) expect(plan[i]!.startsAt).toBe(plan[i - 1]!.endsAt);
    expect(plan[0]!.startsAt).toBe(sh('2026-12-01T08:00:00'));
    expect(plan[1]!.startsAt).toBe(sh('2026-12-01T20:00:00'));
    expect(plan.map((s) => s.endsAt - s.startsAt)).toEqual([12 * H, 12 * H, 12 * H, 12 * H]);
    expect(plan.map((s) => s.leaderIds[0])).toEqual([1, 2, 1, 2]);
    expect(plan.map((s) => s.officerIds)).toEqual([[10, 11], [12, 13], [10, 11], [12, 13]]);
  });

  it('weekly rotation keeps the same people for seven days, then moves on; offsets continue a rotation', () => {
    const p = Pattern.parse({ leaderIds: [1, 2], officerIds: [10, 11, 12], rotation: 'weekly', officerOffset: 1 });
    const plan = planShifts(p, '2026-12-01', '2026-12-15', TZ);
    expect(plan.map((s) => s.leaderIds[0])).toEqual([1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 1]);
    expect(plan.map((s) => s.officerIds[0])).toEqual([11, 11, 11, 11, 11, 11, 11, 12, 12, 12, 12, 12, 12, 12, 10]);
  });

  it('a daylight-saving zone still tiles: the last shift of the day ends at the next hand-over', () => {
    const p = Pattern.parse({ leaderIds: [1], officerIds: [2], handoverHour: 8 });
    const plan = planShifts(p, '2026-03-07', '2026-03-09', 'America/New_York');
    for (let i = 1; i < plan.length; i++) expect(plan[i]!.startsAt).toBe(plan[i - 1]!.endsAt);
    expect(plan[1]!.endsAt - plan[1]!.startsAt).toBe(23 * H); // 8 March loses an hour
  });

  it('names what is wrong with a pattern', () => {
    expect(patternProblems(Pattern.parse({ leaderIds: [1], officerIds: [2], officersPerShift: 2 }))).toEqual({ 'pattern.officersPerShift': 'must not exceed the number of officers in the rotation' });
    expect(patternProblems(Pattern.parse({ leaderIds: [1], officerIds: [1, 2] }))).toHaveProperty(['pattern.officerIds']);
    expect(() => Pattern.parse({ leaderIds: [1], officerIds: [2], shiftHours: 10 })).toThrow();
  });
});
