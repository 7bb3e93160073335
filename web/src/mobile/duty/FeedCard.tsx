import { useState } from 'react';
import type { Me } from '../api';
import { useI18n } from '../i18n';
import { makeFeed, stopFeed, type FeedCreated, type FeedStatus } from './duty.api';
import { reasonOf, useShiftFormat } from './format';

/**
 * 订阅到日历: the private iCalendar URL of my shifts. The server keeps only the token's hash, so the
 * URL is shown once, when made; replacing it stops the old one.
 */
export function FeedCard({ me, status, onChanged }: { me: Me; status: FeedStatus; onChanged(s: FeedStatus): void }) {
  const { t } = useI18n();
  const fmt = useShiftFormat(me);
  const [made, setMade] = useState<FeedCreated | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const make = async () => {
    if (status.exists && !window.confirm(t('duty.feedRotateConfirm'))) return;
    setBusy(true);
    try {
      const r = await makeFeed();
      setMade(r);
      setCopied(false);
      setError(null);
      onChanged({ exists: true, createdAt: r.createdAt, lastUsedAt: null });
    } catch (e) {
      setError(reasonOf(t, e));
    } finally {
      setBusy(false);
    }
  };

  const stop = async () => {
    if (!window.confirm(t('duty.feedStopConfirm'))) return;
    setBusy(true);
    try {
      await stopFeed();
      setMade(null);
      setError(null);
      onChanged({ exists: false, createdAt: null, lastUsedAt: null });
    } catch (e) {
      setError(reasonOf(t, e));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!made) return;
    try {
      await navigator.clipboard.writeText(made.url);
      setCopied(true);
    } catch {
      // No clipboard (an old WebView, or not https): the field is selected for a manual copy.
      document.querySelector<HTMLInputElement>('[data-testid="duty-feed-url"]')?.select();
    }
  };

  return (
    <section className="m-card" data-testid="duty-feed">
      <h2>{t('duty.feed')}</h2>
      <p className="m-muted">{t('duty.feedHint')}</p>
      {made ? (
        <>
          <label className="m-field">
            <span>{t('duty.feedNew')}</span>
            <input readOnly value={made.url} onFocus={(e) => e.target.select()} data-testid="duty-feed-url" />
          </label>
          <div className="m-row">
            <button type="button" className="m-button m-primary" onClick={() => void copy()} data-testid="duty-feed-copy">
              {copied ? t('duty.feedCopied') : t('duty.feedCopy')}
            </button>
            <a className="m-button" style={{ textAlign: 'center', textDecoration: 'none' }} href={made.url.replace(/^https?:/, 'webcal:')}>
              {t('duty.feedOpen')}
            </a>
          </div>
        </>
      ) : status.exists && status.createdAt !== null ? (
        <p data-testid="duty-feed-exists">{t('duty.feedExists', { time: fmt.at(status.createdAt) })}</p>
      ) : (
        <p className="m-muted">{t('duty.feedNone')}</p>
      )}
      {status.lastUsedAt !== null && !made && <p className="m-muted">{t('duty.feedUsed', { time: fmt.at(status.lastUsedAt) })}</p>}
      {error && <p className="m-error">{error}</p>}
      <button type="button" className={status.exists ? 'm-link' : 'm-button m-primary'} style={{ width: status.exists ? undefined : '100%', marginTop: 8 }} disabled={busy} onClick={() => void make()} data-testid="duty-feed-make">
        {status.exists ? t('duty.feedRotate') : t('duty.feedMake')}
      </button>
      {status.exists && (
        <button type="button" className="m-link" style={{ marginTop: 8, marginInlineStart: 16, color: '#a00d25' }} disabled={busy} onClick={() => void stop()} data-testid="duty-feed-stop">
          {t('duty.feedStop')}
        </button>
      )}
    </section>
  );
}
