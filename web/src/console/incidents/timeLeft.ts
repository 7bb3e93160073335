/**
 * Time left until a deadline, as the console shows it: "12:34" under an hour, "2h 05m" above,
 * negative when past. Pure, so the countdown's text is tested without a browser.
 */
export function splitDuration(ms: number): { negative: boolean; hours: number; minutes: number; seconds: number } {
  const negative = ms < 0;
  const total = Math.floor(Math.abs(ms) / 1000);
  return { negative, hours: Math.floor(total / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
}

const two = (n: number) => String(n).padStart(2, '0');

/** "mm:ss" under an hour, "h:mm:ss" above; a leading minus when the deadline has passed. */
export function formatDuration(ms: number): string {
  const { negative, hours, minutes, seconds } = splitDuration(ms);
  const body = hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
  return negative ? `-${body}` : body;
}

/**
 * The server's "now" as this browser sees it: the server's clock at the answer plus what the
 * browser's clock has run since. The server's clock is the one deadlines are kept by (and the one
 * a test may drive), so a countdown is reckoned from it, never from the browser's alone.
 */
export function serverNow(serverAt: number, receivedAt: number, browserNow: number): number {
  return serverAt + (browserNow - receivedAt);
}
