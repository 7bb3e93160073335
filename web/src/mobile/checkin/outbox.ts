import type { CheckinSubmit } from '../../../../common/schemas/health.js';
import { ApiError } from '../../api/client';
import { sendCheckin, type Checkin } from '../api';

/**
 * Check-ins waiting on the phone. Every check-in goes through here: it is written to localStorage
 * first, with a fresh Idempotency-Key and the day it was filled in, and then sent. If the network
 * is down (or the answer is lost) it stays and is sent again when the network returns, under the
 * same key, so the server writes it once whatever the number of tries. Older ones go first, so a
 * correction made later lands last. A day that closed meanwhile refuses it (409 locked): it moves
 * to `undelivered`, which the page shows until the person dismisses it.
 */
export interface Queued {
  key: string;
  day: string;
  body: CheckinSubmit & { day: string };
  savedAt: number;
}
export interface Undelivered {
  key: string;
  day: string;
  reason: 'locked' | 'refused';
  message: string;
}
export interface OutboxState {
  queue: Queued[];
  undelivered: Undelivered[];
}

const storageKey = (userId: number) => `bulwark.m.outbox.${userId}`;

export function readOutbox(userId: number): OutboxState {
  try {
    const raw = localStorage.getItem(storageKey(userId));
    const v = raw ? (JSON.parse(raw) as Partial<OutboxState>) : {};
    return { queue: Array.isArray(v.queue) ? v.queue : [], undelivered: Array.isArray(v.undelivered) ? v.undelivered : [] };
  } catch {
    return { queue: [], undelivered: [] };
  }
}

function write(userId: number, s: OutboxState): void {
  localStorage.setItem(storageKey(userId), JSON.stringify(s));
}

/** A key no other check-in of this phone will carry; crypto.randomUUID needs https, getRandomValues does not. */
function newKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return `m-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** Keep a check-in on the phone (throws when storage is unavailable: the caller sends it directly then). */
export function enqueue(userId: number, body: CheckinSubmit & { day: string }, now = Date.now()): Queued {
  const s = readOutbox(userId);
  const q: Queued = { key: newKey(), day: body.day, body, savedAt: now };
  s.queue.push(q);
  write(userId, s);
  return q;
}

export function dismiss(userId: number, key: string): OutboxState {
  const s = readOutbox(userId);
  s.undelivered = s.undelivered.filter((u) => u.key !== key);
  write(userId, s);
  return s;
}

export interface FlushResult {
  delivered: { queued: Queued; checkin: Checkin }[];
  /** The server could not be reached: what is left waits for the next try. */
  offline: boolean;
  /** The session is gone: sign in again, then the queue goes. */
  unauthenticated: boolean;
}

const running = new Map<number, Promise<FlushResult>>();

/** Send the queue, oldest first, stopping at the first network failure. One flush at a time per user. */
export function flush(userId: number): Promise<FlushResult> {
  const busy = running.get(userId);
  if (busy) return busy;
  const p = flushNow(userId).finally(() => running.delete(userId));
  running.set(userId, p);
  return p;
}

async function flushNow(userId: number): Promise<FlushResult> {
  const out: FlushResult = { delivered: [], offline: false, unauthenticated: false };
  for (;;) {
    const head = readOutbox(userId).queue[0];
    if (!head) return out;
    try {
      const checkin = await sendCheckin(head.body, head.key);
      settle(userId, head.key, null);
      out.delivered.push({ queued: head, checkin });
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'network', String(e));
      if (err.code === 'network' || err.status === 429) {
        out.offline = true;
        return out;
      }
      if (err.status === 401) {
        out.unauthenticated = true;
        return out;
      }
      // Any other answer is final for this check-in: keeping it would block the ones behind it.
      settle(userId, head.key, { key: head.key, day: head.day, reason: err.fields.day === 'locked' ? 'locked' : 'refused', message: err.message });
    }
  }
}

/** Take a check-in off the queue (re-read: another tab may have changed the outbox meanwhile). */
function settle(userId: number, key: string, failed: Undelivered | null): void {
  const s = readOutbox(userId);
  s.queue = s.queue.filter((q) => q.key !== key);
  if (failed) s.undelivered.push(failed);
  write(userId, s);
}
