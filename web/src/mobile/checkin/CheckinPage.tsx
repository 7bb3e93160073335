import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { addDays, dayOf } from '../../../../common/day.js';
import { ApiError } from '../../api/client';
import { myCheckins, type Checkin, type Me } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import type { Answers } from './answers';
import { History, Summary } from './History';
import { dismiss, enqueue, flush, readOutbox, type OutboxState } from './outbox';

// The form brings zod with the shared schema: fetched right after the page shows (so it is there
// if the network drops), but the one-tap button does not wait for it.
const loadForm = () => import('./CheckinForm');
const CheckinForm = lazy(loadForm);

/** While something waits on the phone, try again this often even without an 'online' event (it is not always sent). */
const RETRY_MS = 15_000;

/** 今日打卡: one tap when nothing changed, the form otherwise, today's check-in, and the last 14 days. */
export function CheckinPage() {
  const { me } = useSession();
  const { t } = useI18n();
  if (!me) return null;
  if (me.user.personId === null) return <p className="m-card">{t('checkin.noPerson')}</p>;
  return <CheckinOf me={me} />;
}

function CheckinOf({ me }: { me: Me }) {
  const { t } = useI18n();
  const userId = me.user.id;
  const tz = me.organisation.timeZone;
  const today = dayOf(Date.now(), tz);
  const [mine, setMine] = useState<Checkin[] | null>(null);
  const [mineState, setMineState] = useState<'loading' | 'ok' | 'offline' | 'error'>('loading');
  const [box, setBox] = useState<OutboxState>(() => readOutbox(userId));
  const [mode, setMode] = useState<'auto' | 'form' | 'correct'>('auto');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  // Remembered past the dismissal of the "not delivered" message: the day stays closed.
  const [lockedDay, setLockedDay] = useState<string | null>(null);

  const loadMine = useCallback(async () => {
    try {
      setMine((await myCheckins()).items);
      setMineState('ok');
    } catch (e) {
      setMineState(e instanceof ApiError && e.code === 'network' ? 'offline' : 'error');
    }
  }, []);

  const send = useCallback(async () => {
    const r = await flush(userId);
    const after = readOutbox(userId);
    setBox(after);
    const locked = after.undelivered.filter((u) => u.reason === 'locked').at(-1);
    if (locked) setLockedDay((d) => (d === null || locked.day > d ? locked.day : d));
    if (r.delivered.length > 0) {
      // Show what the server took at once, then the list as the server has it.
      setMine((prev) => {
        const byDay = new Map((prev ?? []).map((c) => [c.day, c]));
        for (const d of r.delivered) byDay.set(d.checkin.day, d.checkin);
        return [...byDay.values()].sort((a, b) => (a.day < b.day ? 1 : -1));
      });
      setSent(true);
      void loadMine();
    }
    return r;
  }, [userId, loadMine]);

  useEffect(() => {
    void loadForm();
    void loadMine();
    void send();
    const online = () => {
      void send();
      void loadMine();
    };
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [loadMine, send]);

  const waiting = box.queue.length > 0;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void send(), RETRY_MS);
    return () => clearInterval(timer);
  }, [waiting, send]);

  async function submit(body: Answers | { sameAsYesterday: true }) {
    setBusy(true);
    setSent(false);
    try {
      enqueue(userId, { ...body, day: today });
      setBox(readOutbox(userId));
      setMode('auto');
      await send();
    } finally {
      setBusy(false);
    }
  }

  const todays = mine?.find((c) => c.day === today);
  const yesterdays = mine?.find((c) => c.day === addDays(today, -1));
  const queuedToday = box.queue.filter((q) => q.day === today).at(-1);
  const lockedToday = lockedDay === today || box.undelivered.some((u) => u.day === today && u.reason === 'locked');
  const lastCity = mine?.[0]?.city;

  let main;
  if (mode === 'correct' && todays) main = <CheckinForm initial={todays} busy={busy} onSubmit={(a) => void submit(a)} onCancel={() => setMode('auto')} />;
  else if (queuedToday)
    main = (
      <div className="m-card m-pending" data-testid="checkin-pending">
        <h2>{t('checkin.queuedDay', { day: today })}</h2>
        {'sameAsYesterday' in queuedToday.body && queuedToday.body.sameAsYesterday ? <p>{t('checkin.sameAsYesterday')}</p> : <Summary c={queuedToday.body as Answers} />}
      </div>
    );
  else if (todays)
    main = (
      <div className="m-card m-done" data-testid="checkin-today">
        <h2>✓ {t('checkin.doneTitle')}</h2>
        <Summary c={todays} />
        <p className="m-muted">
          {t('checkin.doneAt', { time: new Date(todays.updatedAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', timeZone: tz }) })}
          {todays.onBehalfOfUserId !== null && ` · ${t('checkin.onBehalf')}`}
        </p>
        {sent && (
          <p className="m-ok" role="status" data-testid="checkin-sent">
            {t('checkin.sent')}
          </p>
        )}
        {lockedToday ? (
          <p className="m-muted" data-testid="checkin-locked">
            {t('checkin.locked')}
          </p>
        ) : (
          <button className="m-button" data-testid="checkin-correct" onClick={() => setMode('correct')}>
            {t('checkin.correct')}
          </button>
        )}
      </div>
    );
  else if (lockedToday)
    main = (
      <p className="m-card" data-testid="checkin-locked">
        {t('checkin.locked')}
      </p>
    );
  else if (mineState === 'loading') main = <p className="m-muted m-center">{t('app.loading')}</p>;
  else if (yesterdays && mode === 'auto')
    main = (
      <div className="m-card m-center">
        <button className="m-big" data-testid="checkin-same" disabled={busy} onClick={() => void submit({ sameAsYesterday: true })}>
          {t('checkin.sameAsYesterday')}
        </button>
        <p className="m-muted">{t('checkin.sameHint')}</p>
        <Summary c={yesterdays} />
        <button className="m-link" data-testid="checkin-open-form" onClick={() => setMode('form')}>
          {t('checkin.changed')}
        </button>
      </div>
    );
  else main = <CheckinForm lastCity={lastCity} busy={busy} onSubmit={(a) => void submit(a)} onCancel={yesterdays ? () => setMode('auto') : undefined} />;

  return (
    <Suspense fallback={<p className="m-muted m-center">{t('app.loading')}</p>}>
      {waiting && (
        <p className="m-banner" role="status" data-testid="checkin-queued">
          {t('checkin.queued', { count: box.queue.length })}
        </p>
      )}
      {box.undelivered.map((u) => (
        <div key={u.key} className="m-banner m-banner-bad" role="alert" data-testid="checkin-undelivered">
          <span>{u.reason === 'locked' ? t('checkin.undelivered', { day: u.day }) : t('checkin.refused', { day: u.day, message: u.message })}</span>
          <button className="m-link" onClick={() => setBox(dismiss(userId, u.key))}>
            {t('checkin.dismiss')}
          </button>
        </div>
      ))}
      {main}
      <History items={mine} state={mineState} today={today} />
    </Suspense>
  );
}
