import { useCallback, useEffect, useState } from 'react';
import type { Notification, NotificationPage } from '../../../../common/schemas/notify.js';
import { ApiError } from '../../api/client';
import { useNotificationStream } from '../../api/notificationStream';
import { call } from '../api';
import { useI18n } from '../i18n';
import { BASE, navigate } from '../router';
import { useSession } from '../session';

/** The page's calls; the server validates every answer against the shared schemas. */
const myNotifications = (lang: string, page: number) => call<NotificationPage>('GET', `/api/v1/notifications?order=newest&pageSize=30&page=${page}&lang=${lang}`);
const markRead = (id: number, lang: string) => call<Notification>('POST', `/api/v1/notifications/${id}/read?lang=${lang}`);
const markAllRead = () => call<{ updated: number }>('POST', '/api/v1/notifications/read-all');

/** When, in the deployment's time zone (one clock for everyone). */
function useTimeOf(): (ms: number) => string {
  const { me } = useSession();
  const f = new Intl.DateTimeFormat('sv-SE', { timeZone: me?.organisation.timeZone ?? 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  return (ms) => f.format(new Date(ms));
}

/**
 * 消息: my notifications, newest first, the unread marked; a new one appears at the top as soon as it
 * is sent (live stream). Opening one marks it read and follows its link when it is a mobile page.
 */
export default function InboxPage() {
  const { t, lang } = useI18n();
  const timeOf = useTimeOf();
  const [items, setItems] = useState<Notification[]>([]);
  const [total, setTotal] = useState(0);
  const [unread, setUnread] = useState(0);
  const [page, setPage] = useState(1);
  const [state, setState] = useState<'loading' | 'ok' | 'offline' | 'error'>('loading');

  const load = useCallback(
    async (p: number) => {
      setState('loading');
      try {
        const r = await myNotifications(lang, p);
        setItems((xs) => (p === 1 ? r.items : [...xs, ...r.items.filter((n) => !xs.some((x) => x.id === n.id))]));
        setTotal(r.total);
        setUnread(r.unread);
        setPage(p);
        setState('ok');
      } catch (e) {
        setState(e instanceof ApiError && e.code === 'network' ? 'offline' : 'error');
      }
    },
    [lang],
  );
  useEffect(() => {
    void load(1);
  }, [load]);
  useNotificationStream(
    lang,
    ({ notification, unread: count }) => {
      setItems((xs) => [notification, ...xs.filter((x) => x.id !== notification.id)]);
      setTotal((n) => n + 1);
      setUnread(count);
    },
    () => void load(1),
  );

  async function open(n: Notification) {
    if (!n.readAt) {
      try {
        const read = await markRead(n.id, lang);
        setItems((xs) => xs.map((x) => (x.id === n.id ? read : x)));
        setUnread((c) => Math.max(0, c - 1));
      } catch {
        // Offline: it stays unread and is marked the next time.
      }
    }
    if (n.link?.startsWith(`${BASE}/`)) navigate(n.link.slice(BASE.length + 1));
    // An incident's console link has its page on the phone too, at the same path under /m.
    else if (n.link && /^\/incidents\/\d+$/.test(n.link)) navigate(n.link.slice(1));
  }

  async function readAll() {
    try {
      await markAllRead();
      await load(1);
    } catch {
      setState('offline');
    }
  }

  if (state === 'loading' && items.length === 0) return <p className="m-card m-center m-muted">{t('app.loading')}</p>;
  if ((state === 'offline' || state === 'error') && items.length === 0)
    return (
      <div className="m-card m-center">
        <p className="m-error">{t(state === 'offline' ? 'app.offline' : 'app.error')}</p>
        <button type="button" className="m-button" onClick={() => void load(1)}>
          {t('app.retry')}
        </button>
      </div>
    );
  if (items.length === 0)
    return (
      <p className="m-card m-center m-muted" data-testid="inbox-empty">
        {t('inbox.empty')}
      </p>
    );
  return (
    <div className="m-card" data-testid="inbox">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <p className="m-muted" style={{ margin: 0 }} data-testid="inbox-unread">
          {t('inbox.unread', { count: unread })}
        </p>
        {unread > 0 && (
          <button type="button" className="m-link" onClick={() => void readAll()} data-testid="inbox-read-all">
            {t('inbox.readAll')}
          </button>
        )}
      </div>
      <ul className="m-history">
        {items.map((n) => (
          <li key={n.id}>
            <button
              type="button"
              className="m-grow"
              style={{ all: 'unset', cursor: 'pointer', display: 'block', width: '100%', fontWeight: n.readAt ? 400 : 600 }}
              onClick={() => void open(n)}
              data-testid={`inbox-item-${n.id}`}
              data-unread={n.readAt === null}
            >
              {!n.readAt && (
                <span className="m-tag m-tag-bad" style={{ marginRight: 6 }}>
                  {t('inbox.new')}
                </span>
              )}
              {n.title}
              <br />
              <span style={{ fontWeight: 400 }}>{n.text}</span>
              <br />
              <span className="m-muted">{timeOf(n.createdAt)}</span>
            </button>
          </li>
        ))}
      </ul>
      {items.length < total && (
        <button type="button" className="m-button" style={{ width: '100%' }} disabled={state === 'loading'} onClick={() => void load(page + 1)}>
          {t('inbox.more')}
        </button>
      )}
    </div>
  );
}
