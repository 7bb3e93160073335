import type { Deps } from '../../deps.js';
import { touchSessions } from './auth.store.js';

/**
 * The sliding idle expiry of sessions, written in batches. Moving `last_seen_at` is a write, and a
 * durable write per request (an fsync on SQLite with synchronous=FULL) cost more than everything
 * else a request does: the morning peak's first request of each session would pay it. So a session
 * seen more than a minute after its stored time is queued here and written with the others of the
 * same second in one transaction.
 *
 * Nothing depends on these writes for safety: a queued time lost in a crash only lets the session
 * expire earlier (its stored time is older), never later. Within this process the queued time
 * counts at once (`seenAt`); another process sees it at most a second late, a negligible shift of
 * an idle limit counted in hours. Logging out, disabling and grants are never delayed: they are
 * read from the database on every request.
 *
 * While check-ins stream in on a SQLite file, each batch of the check-in writer's thread takes the
 * touches queued so far (`take`) and writes them in the batch's transaction: a few rows a batch, where
 * the event loop's flush of a whole second of the morning peak (thousands of random rows and an
 * fsync) held the loop, and every request waiting on it, for tens of milliseconds.
 */
class SessionTouches {
  private pending = new Map<string, number>();
  /** Taken by a writer and not yet committed: still counted, so a session is never judged on its stale stored time meanwhile. */
  private taken = new Set<Map<string, number>>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly deps: Deps) {}

  seenAt(sessionId: string): number | undefined {
    let at = this.pending.get(sessionId);
    for (const m of this.taken) {
      const t = m.get(sessionId);
      if (t !== undefined && (at === undefined || t > at)) at = t;
    }
    return at;
  }

  /** Hand every queued touch to a writer, which calls `settle` once its transaction has ended. */
  take(): Map<string, number> {
    const batch = this.pending;
    this.pending = new Map();
    if (batch.size > 0) this.taken.add(batch);
    return batch;
  }

  /** A taken batch's transaction has ended: committed, or (requeue) failed and to be tried again. */
  settle(batch: Map<string, number>, requeue = false): void {
    if (!this.taken.delete(batch) || !requeue) return;
    for (const [id, at] of batch) this.touch(id, at);
  }

  touch(sessionId: string, at: number): void {
    this.pending.set(sessionId, Math.max(at, this.pending.get(sessionId) ?? 0));
    if (this.pending.size >= 5000) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), 1000);
      this.timer.unref();
    }
  }

  forget(sessionId: string): void {
    this.pending.delete(sessionId);
    for (const m of this.taken) m.delete(sessionId);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.take();
    this.flushing = touchSessions(this.deps.handle, batch)
      // The times are only ever an extension: losing them shortens sessions, which is safe.
      .catch(() => undefined)
      .finally(() => {
        this.settle(batch);
        this.flushing = null;
      });
    await this.flushing;
  }
}

const touches = new WeakMap<object, SessionTouches>();

/** The queue of session touches of this database (keyed by its handle). */
export function sessionTouchesFor(deps: Deps): SessionTouches {
  let t = touches.get(deps.handle);
  if (!t) {
    t = new SessionTouches(deps);
    touches.set(deps.handle, t);
  }
  return t;
}

/** Write whatever is queued: called when the app closes, before the database does. */
export async function flushSessionTouches(deps: Deps): Promise<void> {
  await touches.get(deps.handle)?.flush();
}
