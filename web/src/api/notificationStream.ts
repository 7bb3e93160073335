import { useEffect, useRef } from 'react';
import type { Notification } from '../../../common/schemas/notify.js';

/** What the stream sends for each new notification of mine (server: notify.routes.ts). */
export interface NotificationPushed {
  notification: Notification;
  unread: number;
}

/** How often a page whose stream is down (a proxy that cuts it, a dropped network) asks again. */
export const NOTIFICATION_POLL_MS = 30_000;

/**
 * Live notifications for the signed-in user, shared by the console's bell and the mobile inbox:
 * `onPushed` for each new one as it is committed (from any server process); `refresh` when the
 * stream comes back after a drop (what came meanwhile was missed) and, while it is down, every 30 s.
 * Types only from the shared schemas: the phone's page pulls in no zod.
 */
export function useNotificationStream(lang: 'zh-CN' | 'en', onPushed: (p: NotificationPushed) => void, refresh: () => void, enabled = true): void {
  const pushed = useRef(onPushed);
  const again = useRef(refresh);
  pushed.current = onPushed;
  again.current = refresh;
  useEffect(() => {
    if (!enabled) return;
    let poll: ReturnType<typeof setInterval> | null = null;
    const startPolling = () => {
      poll ??= setInterval(() => {
        if (document.visibilityState === 'visible') again.current();
      }, NOTIFICATION_POLL_MS);
    };
    const stopPolling = () => {
      if (poll) clearInterval(poll);
      poll = null;
    };
    if (typeof EventSource === 'undefined') {
      startPolling();
      return stopPolling;
    }
    const es = new EventSource(`/api/v1/notifications/stream?lang=${lang}`);
    es.addEventListener('ready', () => {
      if (poll) {
        stopPolling();
        again.current();
      }
    });
    es.addEventListener('notification', (ev) => {
      try {
        pushed.current(JSON.parse((ev as MessageEvent<string>).data) as NotificationPushed);
      } catch {
        again.current();
      }
    });
    // The browser reconnects by itself; until it has, polling keeps the inbox current.
    es.onerror = () => startPolling();
    return () => {
      es.close();
      stopPolling();
    };
  }, [lang, enabled]);
}
