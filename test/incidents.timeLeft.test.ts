import { describe, expect, it } from 'vitest';
import { formatDuration, serverNow } from '../web/src/console/incidents/timeLeft.js';

describe('the countdown of an incident level', () => {
  it('shows minutes and seconds under an hour, hours above, a minus when past', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(59_999)).toBe('00:59');
    expect(formatDuration(5 * 60_000 + 3_000)).toBe('05:03');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 7_000)).toBe('2:05:07');
    expect(formatDuration(-61_000)).toBe('-01:01');
  });
  it("reckons from the server's clock plus what the browser's clock ran since the answer", () => {
    expect(serverNow(1_000_000, 50_000, 53_000)).toBe(1_003_000);
  });
});
