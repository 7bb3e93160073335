/** The one source of "now". Tests pass a ManualClock to move time; production uses systemClock. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/**
 * Time that runs `speed` times faster than the wall clock from a fixed real instant `anchor` on:
 * anchor + (Date.now() - anchor) × speed. The anchor is fixed, so a process restarted with the same
 * setting goes on from where the killed one was. For tests only (config refuses it elsewhere).
 */
export function acceleratedClock(anchor: number, speed: number): Clock {
  return { now: () => Math.floor(anchor + (Date.now() - anchor) * speed) };
}

export class ManualClock implements Clock {
  constructor(private t: number = Date.UTC(2026, 10, 24, 2, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(ms: number): void {
    this.t = ms;
  }
}
