import { describe, expect, it } from 'vitest';
import { TaskAssign, TaskSplit } from '../common/schemas/directives.js';
import { assignBody, instantOf, splitBody, wallClockOf } from '../web/src/console/directives/assign.js';
import dayjs from 'dayjs';

/**
 * The console's assignment form → request body. The deadline picked is a wall-clock time in the
 * deployment's zone whatever the browser's (this process runs in whatever TZ the machine has), and
 * the bodies must pass the shared schemas the server validates with.
 */
describe('the assignment form as the server receives it', () => {
  const picked = dayjs('2022-04-12 18:30'); // as the picker hands it over: fields in the browser's zone

  it('reads a picked date and time in the deployment time zone, not the browser\'s', () => {
    expect(new Date(instantOf(picked, 'Asia/Shanghai')).toISOString()).toBe('2022-04-12T10:30:00.000Z');
    expect(new Date(instantOf(picked, 'Europe/London')).toISOString()).toBe('2022-04-12T17:30:00.000Z'); // BST
    expect(new Date(instantOf(picked, 'America/New_York')).toISOString()).toBe('2022-04-12T22:30:00.000Z');
  });

  it('shows an instant back as the same wall-clock time (round trip)', () => {
    for (const tz of ['Asia/Shanghai', 'Europe/London', 'America/New_York']) {
      const back = wallClockOf(instantOf(picked, tz), tz);
      expect(back.format('YYYY-MM-DD HH:mm')).toBe('2022-04-12 18:30');
    }
    // The end of a day (23:59:59.999, the default deadline) shows as 23:59 of that day.
    expect(wallClockOf(Date.parse('2022-04-12T15:59:59.999Z'), 'Asia/Shanghai').format('YYYY-MM-DD HH:mm')).toBe('2022-04-12 23:59');
  });

  it('sends picked units with the responsible persons named for them only, and leaves the deadline to the server when none is picked', () => {
    const body = assignBody({ mode: 'units', unitIds: [3, 4], responsible: { '3': 11, '4': undefined, '9': 12 }, evidence: ['report', 'photo'], title: '  ', instructions: ' 当日报送 ' }, 'Asia/Shanghai');
    expect(body).toEqual({ instructions: '当日报送', target: { mode: 'units', unitIds: [3, 4] }, responsible: [{ unitId: 3, personId: 11 }], evidence: ['report', 'photo'] });
    expect(TaskAssign.safeParse(body).success).toBe(true);
  });

  it('sends every child or a subtree (with its depth) without responsible persons: each unit head answers', () => {
    const children = assignBody({ mode: 'children', unitId: 2, responsible: { '5': 1 } }, 'Asia/Shanghai');
    expect(children).toEqual({ target: { mode: 'children', unitId: 2 }, responsible: [], evidence: ['report'] });
    const subtree = assignBody({ mode: 'subtree', unitId: 2, depth: 2, deadline: picked }, 'Asia/Shanghai');
    expect(subtree.target).toEqual({ mode: 'subtree', unitId: 2, depth: 2 });
    expect(subtree.deadline).toBe(Date.parse('2022-04-12T10:30:00.000Z'));
    expect(TaskAssign.safeParse(subtree).success).toBe(true);
  });

  it('a split leaves the evidence to the task when none is picked', () => {
    const body = splitBody({ mode: 'units', unitIds: [7, 8] }, 'Asia/Shanghai');
    expect(body).toEqual({ target: { mode: 'units', unitIds: [7, 8] }, responsible: [] });
    expect(TaskSplit.safeParse(body).success).toBe(true);
  });
});
