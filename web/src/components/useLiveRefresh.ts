import { useEffect, useRef, useState } from 'react';

/** How often a screen without its stream (a proxy that cuts it, a dropped network) asks again. */
export const POLL_MS = 30_000;

export interface LiveRefreshOptions {
  /** The stream's URL (an EventSource sends the session cookie itself); null: no stream, nothing to do. */
  url: string | null;
  /** The event names that mean "what you show may have changed". */
  events: readonly string[];
  /** Whether one event's data concerns this screen; by default every event does. */
  concerns?: (data: unknown) => boolean;
  /** Refresh at most this often however fast events come. */
  throttleMs: number;
  enabled?: boolean;
}

/** The stream's state: connecting, live (events arrive), polling (down: every 30 s), off (no stream). */
export type LiveState = 'connecting' | 'live' | 'polling' | 'off';

/**
 * Call `refresh` when the server's live stream says something changed, at most once every
 * `throttleMs`; while the stream is down, every 30 s instead, and once when it comes back.
 * Answers the stream's state, for a screen that shows whether it is live.
 */
export function useLiveRefresh({ url, events, concerns, throttleMs, enabled = true }: LiveRefreshOptions, refresh: () => void): LiveState {
  const [state, setState] = useState<LiveState>('off');
  const latest = useRef(refresh);
  latest.current = refresh;
  const filter = useRef(concerns);
  filter.current = concerns;
  const names = events.join(' ');
  useEffect(() => {
    if (!enabled || url === null) {
      setState('off');
      return;
    }
    let last = 0;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const throttled = () => {
      if (pending) return;
      const wait = Math.max(0, last + throttleMs - Date.now());
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
      setState('polling');
      startPolling();
      return stopPolling;
    }
    setState('connecting');
    const es = new EventSource(url);
    es.addEventListener('ready', () => {
      setState('live');
      // Back after a drop: what changed meanwhile was missed, so fetch once now.
      if (poll) {
        stopPolling();
        throttled();
      }
    });
    for (const name of names.split(' ')) {
      es.addEventListener(name, (ev) => {
        let data: unknown = null;
        try {
          data = JSON.parse((ev as MessageEvent<string>).data) as unknown;
        } catch {
          return throttled();
        }
        if (!filter.current || filter.current(data)) throttled();
      });
    }
    // The browser reconnects by itself; until it has, polling keeps the screen current.
    es.onerror = () => {
      setState('polling');
      startPolling();
    };
    return () => {
      es.close();
      stopPolling();
      if (pending) clearTimeout(pending);
    };
  }, [url, names, throttleMs, enabled]);
  return state;
}
