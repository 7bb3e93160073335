import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { z } from 'zod';
import type { MyNotice, MyNoticePage } from '../../../../common/schemas/notices.js';
import { ApiError } from '../../api/client';
import { call } from '../api';
import { useI18n } from '../i18n';
import { BASE, navigate } from '../router';
import { useSession } from '../session';

type Item = z.infer<typeof MyNoticePage>['items'][number];

/** The page's calls; the server validates every answer against the shared schemas. */
const myNotices = (page: number) => call<z.infer<typeof MyNoticePage>>('GET', `/api/v1/notices/mine?page=${page}&pageSize=20`);
/** Opening a notice is reading it: the first open is the receipt, and the answer is the notice. */
const openNotice = (id: number) => call<MyNotice>('POST', `/api/v1/notices/mine/${id}/read`, { body: {} });

/** The notice id in /m/notices/<id>, or null on the list. */
function noticeIdOf(): number | null {
  const parts = window.location.pathname.slice(BASE.length).split('/').filter(Boolean);
  const id = parts[0] === 'notices' && parts[1] ? Number(parts[1]) : NaN;
  return Number.isInteger(id) && id > 0 ? id : null;
}
const subscribe = (cb: () => void) => {
  window.addEventListener('popstate', cb);
  window.addEventListener('bulwark:navigate', cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener('bulwark:navigate', cb);
  };
};

/** When a notice was published, in the deployment's time zone (not the phone's): one clock for everyone. */
function useDateOf(): (ms: number) => string {
  const { me } = useSession();
  const timeZone = me?.organisation.timeZone ?? 'Asia/Shanghai';
  const f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  return (ms) => f.format(new Date(ms));
}

/** 通知: the person's notices, newest first with the unread marked (the source's "latest news"), and one notice's page. */
export default function NoticesPage() {
  const { me } = useSession();
  const { t } = useI18n();
  const id = useSyncExternalStore(subscribe, noticeIdOf);
  if (!me) return null;
  if (me.user.personId === null) return <p className="m-card">{t('notices.noPerson')}</p>;
  return id === null ? <NoticeList /> : <NoticeView id={id} />;
}

function Failed({ state, retry }: { state: 'offline' | 'error' | 'missing'; retry(): void }) {
  const { t } = useI18n();
  return (
    <div className="m-card m-center">
      <p className="m-error">{t(state === 'offline' ? 'app.offline' : state === 'missing' ? 'notices.missing' : 'app.error')}</p>
      <button type="button" className="m-button" onClick={retry}>
        {t(state === 'missing' ? 'notices.back' : 'app.retry')}
      </button>
    </div>
  );
}

function NoticeList() {
  const { t } = useI18n();
  const dateOf = useDateOf();
  const [items, setItems] = useState<Item[]>([]);
  const [total, setTotal] = useState(0);
  const [unread, setUnread] = useState(0);
  const [page, setPage] = useState(1);
  const [state, setState] = useState<'loading' | 'ok' | 'offline' | 'error'>('loading');

  const load = useCallback(async (p: number) => {
    setState('loading');
    try {
      const r = await myNotices(p);
      setItems((xs) => (p === 1 ? r.items : [...xs, ...r.items]));
      setTotal(r.total);
      setUnread(r.unread);
      setPage(p);
      setState('ok');
    } catch (e) {
      setState(e instanceof ApiError && e.code === 'network' ? 'offline' : 'error');
    }
  }, []);
  useEffect(() => {
    void load(1);
  }, [load]);

  if (state === 'loading' && items.length === 0) return <p className="m-card m-center m-muted">{t('app.loading')}</p>;
  if ((state === 'offline' || state === 'error') && items.length === 0) return <Failed state={state} retry={() => void load(1)} />;
  if (items.length === 0) return <p className="m-card m-center m-muted" data-testid="notices-empty">{t('notices.empty')}</p>;
  return (
    <div className="m-card">
      <p className="m-muted" style={{ marginTop: 0 }} data-testid="notices-unread">
        {t('notices.unread', { count: unread })}
      </p>
      <ul className="m-history">
        {items.map((n) => (
          <li key={n.id}>
            <a
              href={`${BASE}/notices/${n.id}`}
              className="m-grow"
              style={{ color: 'inherit', textDecoration: 'none', fontWeight: n.readAt ? 400 : 600 }}
              onClick={(e) => {
                e.preventDefault();
                navigate(`notices/${n.id}`);
              }}
              data-testid={`notice-item-${n.id}`}
            >
              {!n.readAt && <span className="m-tag m-tag-bad" style={{ marginRight: 6 }}>{t('notices.new')}</span>}
              {n.title}
              <br />
              <span className="m-muted">
                {t(`notices.kind.${n.kind}`)} · {dateOf(n.publishedAt)}
              </span>
            </a>
          </li>
        ))}
      </ul>
      {items.length < total && (
        <button type="button" className="m-button" style={{ width: '100%' }} disabled={state === 'loading'} onClick={() => void load(page + 1)}>
          {t('notices.more')}
        </button>
      )}
    </div>
  );
}

function NoticeView({ id }: { id: number }) {
  const { t } = useI18n();
  const dateOf = useDateOf();
  const [notice, setNotice] = useState<MyNotice | null>(null);
  const [state, setState] = useState<'loading' | 'ok' | 'offline' | 'error' | 'missing'>('loading');
  const load = useCallback(async () => {
    setState('loading');
    try {
      setNotice(await openNotice(id));
      setState('ok');
    } catch (e) {
      setState(e instanceof ApiError && e.code === 'network' ? 'offline' : e instanceof ApiError && e.status === 404 ? 'missing' : 'error');
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const back = () => navigate('notices');
  if (state === 'loading') return <p className="m-card m-center m-muted">{t('app.loading')}</p>;
  if (state !== 'ok' || !notice) return <Failed state={state === 'ok' ? 'error' : state} retry={state === 'missing' ? back : () => void load()} />;
  return (
    <article className="m-card" data-testid="notice-page">
      <button type="button" className="m-link" onClick={back}>
        ‹ {t('notices.back')}
      </button>
      <h2 style={{ margin: '4px 0' }}>{notice.title}</h2>
      <p className="m-muted" style={{ marginTop: 0 }}>
        {t(`notices.kind.${notice.kind}`)} · {dateOf(notice.publishedAt)}
        {notice.publishedBy ? ` · ${notice.publishedBy}` : ''}
      </p>
      {/* The server's own renderer wrote this HTML: only its tags, escaped text, checked URLs (common/markup.ts). */}
      <div className="m-notice-body" dangerouslySetInnerHTML={{ __html: notice.bodyHtml }} data-testid="notice-body" />
      {notice.attachments.length > 0 && (
        <>
          <h3>{t('notices.attachments')}</h3>
          <ul>
            {notice.attachments.map((a) => (
              <li key={a.id}>
                <a href={`/api/v1/attachments/${a.id}`} target="_blank" rel="noreferrer">
                  {a.fileName}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
