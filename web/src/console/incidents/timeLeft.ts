/**
 * Time left until a deadline, as the console shows it. The server answers each incident with the
 * time left by ITS clock (the one deadlines are kept by, and the one a test may drive), so a
 * countdown runs that figure down by what the browser's clock has run since the answer: never the
 * browser's clock against a deadline.
 */

const two = (n: number) => String(n).padStart(2, '0');

/** "mm:ss" under an hour, "h:mm:ss" above; a leading minus when the deadline has passed. */
export function formatDuration(ms: number): string {
  const negative = ms < 0;
  const total = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const body = hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
  return negative ? `-${body}` : body;
}

/** What is left now of `timeLeftMs`, answered when the browser's clock read `receivedAt`. */
export function remaining(timeLeftMs: number, receivedAt: number, browserNow: number): number {
  return timeLeftMs - (browserNow - receivedAt);
}

/**
 * The server's clock minus the browser's, from one answer that carries both a deadline and the
 * time left to it; 0 when none does (the browser's clock is then the best there is).
 */
export function clockOffset(sample: { deadline: number | null; timeLeftMs: number | null } | null, receivedAt: number): number {
  if (!sample || sample.deadline === null || sample.timeLeftMs === null) return 0;
  return sample.deadline - sample.timeLeftMs - receivedAt;
}
