import { useEffect, useRef } from 'react';
import { liveCheckinsUrl } from '../../api/dashboard';

/** How often a screen without its stream (a proxy that cuts it, a dropped network) asks again. */
export const POLL_MS = 30_000;
/** Events come at most ~4 a second at the morning peak; the roll-up is fetched at most this often. */
const REFRESH_MS = 2_000;

/**
 * Call `refresh` when check-ins of the unit's subtree change on `day` (null: any day), at most once
 * every 2 s, from the server's live stream; while the stream is down, every 30 s instead.
 */
export function useLiveCheckins(unitId: number | null, day: string | null, refresh: () => void, enabled = true): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    if (!enabled || unitId === null) return;
    let last = 0;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const throttled = () => {
      if (pending) return;
      const wait = Math.max(0, last + REFRESH_MS - Date.now());
      pending = setTimeout(() => {
        pending = null;
        last = Date.now();
        latest.current();
      }, wait);
    };
    let poll: ReturnType<typeof setInterval> | null = null;
    const startPolling = () => {
      poll ??= setInterval(() => latest.current(), POLL_MS);
    };
    const stopPolling = () => {
      if (poll) clearInterval(poll);
      poll = null;
    };
    if (typeof EventSource === 'undefined') {
      startPolling();
      return stopPolling;
    }
    const es = new EventSource(liveCheckinsUrl(unitId));
    es.addEventListener('ready', () => {
      // Back after a drop: what changed meanwhile was missed, so fetch once now.
      if (poll) {
        stopPolling();
        throttled();
      }
    });
    es.addEventListener('checkins', (ev) => {
      try {
        const data = JSON.parse((ev as MessageEvent<string>).data) as { day?: string };
        if (day === null || data.day === day) throttled();
      } catch {
        throttled();
      }
    });
    // The browser reconnects by itself; until it has, polling keeps the figures current.
    es.onerror = () => startPolling();
    return () => {
      es.close();
      stopPolling();
      if (pending) clearTimeout(pending);
    };
  }, [unitId, day, enabled]);
}
