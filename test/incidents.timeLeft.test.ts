import { describe, expect, it } from 'vitest';
import { clockOffset, formatDuration, remaining } from '../web/src/console/incidents/timeLeft.js';

describe('the countdown of an incident level', () => {
  it('shows minutes and seconds under an hour, hours above, a minus when past', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(59_999)).toBe('00:59');
    expect(formatDuration(5 * 60_000 + 3_000)).toBe('05:03');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 7_000)).toBe('2:05:07');
    expect(formatDuration(-61_000)).toBe('-01:01');
  });
  it("runs the server's time left down by what the browser's clock ran since the answer", () => {
    expect(remaining(60_000, 1_000, 21_000)).toBe(40_000);
    expect(remaining(10_000, 1_000, 21_000)).toBe(-10_000);
  });
  it("knows the server's clock from a deadline and its time left, whatever the browser's clock says", () => {
    // The server (a test clock) stands at 5,000,000; the browser's clock read 1,000 at the answer.
    expect(clockOffset({ deadline: 5_060_000, timeLeftMs: 60_000 }, 1_000)).toBe(4_999_000);
    expect(clockOffset({ deadline: null, timeLeftMs: null }, 1_000)).toBe(0);
    expect(clockOffset(null, 1_000)).toBe(0);
  });
});
