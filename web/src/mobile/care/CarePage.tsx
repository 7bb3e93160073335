import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { CareNeedKind } from '../../../../common/schemas/care.js';
import { useI18n } from '../i18n';
import { reasonOf, useShortTime } from '../reasons';
import { useSession } from '../session';
import { askForHelp, myCare, NEED_KINDS, newKey, type MyCare, type MyCareCase } from './care.api';

/** "HH:mm" now in a zone; null when the phone does not know the zone. */
function localTime(timeZone: string, now: number): string | null {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(now));
  } catch {
    return null;
  }
}

/**
 * 求助: ask the care officers for help (what kind of need and a few words), see what became of each
 * request, and one's own care cases with their needs, the contacts made and one's counselling notes.
 */
export default function CarePage() {
  const { me } = useSession();
  const { t } = useI18n();
  const [data, setData] = useState<MyCare | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [need, setNeed] = useState<CareNeedKind | null>(null);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  // One key per request being written: a retry after a lost answer replays, a new request gets a new key.
  const [key, setKey] = useState(newKey);
  const linked = me?.user.personId != null;

  const load = useCallback(() => {
    myCare().then(
      (r) => {
        setData(r);
        setError(null);
      },
      (e) => setError(reasonOf(t, e)),
    );
  }, [t]);
  useEffect(() => {
    if (linked) load();
  }, [linked, load]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!need) {
      setMissing(true);
      return setSendError(t('care.pickNeed'));
    }
    setMissing(false);
    setSendError(null);
    setBusy(true);
    try {
      await askForHelp({ needKind: need, ...(note.trim() ? { note: note.trim() } : {}) }, key);
      setSent(true);
      setNeed(null);
      setNote('');
      setKey(newKey());
      load();
    } catch (err) {
      setSendError(reasonOf(t, err));
    } finally {
      setBusy(false);
    }
  }

  if (!me) return null;
  if (!linked) return <p className="m-card">{t('care.noPerson')}</p>;

  return (
    <>
      <form className="m-card" onSubmit={(e) => void submit(e)} data-testid="m-care-form" noValidate>
        <h2 style={{ marginTop: 0 }}>{t('care.askTitle')}</h2>
        <p className="m-muted">{t('care.askHint')}</p>
        <fieldset className="m-field" aria-invalid={missing}>
          <legend>{t('care.need')}</legend>
          <div className="m-chips">
            {NEED_KINDS.map((k) => (
              <button
                key={k}
                type="button"
                className={need === k ? 'm-chip m-chip-on' : 'm-chip'}
                aria-pressed={need === k}
                onClick={() => {
                  setNeed(k);
                  setMissing(false);
                  setSent(false);
                }}
                data-testid={`m-care-need-${k}`}
              >
                {t(`care.needs.${k}`)}
              </button>
            ))}
          </div>
          {missing && <span className="m-error">{t('care.pickNeed')}</span>}
        </fieldset>
        <label className="m-field">
          <span>{t('care.note')}</span>
          <textarea rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('care.notePlaceholder')} data-testid="m-care-note" />
        </label>
        {sendError && (
          <p className="m-error" role="alert" data-testid="m-care-error">
            {sendError}
          </p>
        )}
        {sent && (
          <p className="m-ok" role="status" data-testid="m-care-sent">
            {t('care.sent')}
          </p>
        )}
        <button type="submit" className="m-button m-primary" disabled={busy} data-testid="m-care-submit" style={{ width: '100%' }}>
          {busy ? t('care.sending') : t('care.submit')}
        </button>
      </form>
      {error && (
        <p className="m-card m-error" data-testid="m-care-load-error">
          {error}
        </p>
      )}
      {!data && !error && <p className="m-card m-muted">{t('app.loading')}</p>}
      {data && <Mine data={data} />}
    </>
  );
}

function Mine({ data }: { data: MyCare }) {
  const { me } = useSession();
  const { t } = useI18n();
  const short = useShortTime(me!);
  return (
    <>
      <section className="m-card" data-testid="m-care-requests">
        <h2 style={{ marginTop: 0 }}>{t('care.myRequests')}</h2>
        {data.requests.length === 0 ? (
          <p className="m-muted">{t('care.noRequests')}</p>
        ) : (
          <ul className="m-history">
            {data.requests.map((r) => (
              <li key={r.id} data-testid={`m-care-request-${r.id}`}>
                <span className="m-grow">
                  <strong>{t(`care.needs.${r.needKind}`)}</strong>
                  {r.note && <span className="m-muted">{` · ${r.note}`}</span>}
                  <br />
                  <span className="m-muted">{short(r.createdAt)}</span>
                  {r.answer && <span className="m-muted">{` · ${t('care.answer')}${r.answer}`}</span>}
                </span>
                <span className={r.status === 'open' ? 'm-tag m-tag-bad' : 'm-tag'}>{t(`care.requestStatus.${r.status}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {data.cases.length === 0 ? (
        <p className="m-card m-muted" data-testid="m-care-no-cases">
          {t('care.noCases')}
        </p>
      ) : (
        data.cases.map((c) => <CaseCard key={c.id} c={c} short={short} />)
      )}
    </>
  );
}

function CaseCard({ c, short }: { c: MyCareCase; short: (ms: number) => string }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!c.timeZone) return;
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, [c.timeZone]);
  const local = useMemo(() => (c.timeZone ? localTime(c.timeZone, now) : null), [c.timeZone, now]);
  return (
    <section className="m-card" data-testid={`m-care-case-${c.id}`}>
      <h2 style={{ marginTop: 0 }}>
        {t(`care.kinds.${c.kind}`)}
        {c.status === 'closed' && <span className="m-tag" style={{ marginLeft: 8 }}>{t('care.closed')}</span>}
      </h2>
      <p className="m-muted" style={{ margin: '0 0 8px' }}>
        {`${c.startsOn} → ${c.expectedEnd ?? t('care.openEnded')}`}
        {c.careOfficerName && ` · ${t('care.officer')}${c.careOfficerName}`}
      </p>
      {local && (
        <p className="m-muted" data-testid="m-care-local-time">
          {t('care.localTime', { time: local, zone: c.timeZone! })}
        </p>
      )}
      {c.needs.length > 0 && (
        <>
          <h3>{t('care.needsTitle')}</h3>
          <ul className="m-history">
            {c.needs.map((n) => (
              <li key={n.id} data-testid={`m-care-need-row-${n.id}`}>
                <span className="m-grow">
                  {t(`care.needs.${n.kind}`)}
                  {n.note && <span className="m-muted">{` · ${n.note}`}</span>}
                </span>
                <span className={n.state === 'open' ? 'm-tag m-tag-bad' : 'm-tag'}>{t(`care.needStates.${n.state}`)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('care.actionsTitle')}</h3>
      {c.actions.length === 0 ? (
        <p className="m-muted">{t('care.noActions')}</p>
      ) : (
        <ul className="m-history">
          {c.actions.map((a) => (
            <li key={a.id} data-testid={`m-care-action-${a.id}`}>
              <span className="m-grow">
                <strong>{t(`care.actions.${a.kind}`)}</strong>
                <span className="m-muted">{` · ${short(a.at)}${a.userName ? ` · ${a.userName}` : ''}`}</span>
                {a.note && (
                  <>
                    <br />
                    {a.kind === 'counselling' && <span aria-label={t('care.private')}>🔒 </span>}
                    {a.note}
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
