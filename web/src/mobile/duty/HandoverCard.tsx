import { useEffect, useState, type FormEvent } from 'react';
import type { Me } from '../api';
import { useI18n } from '../i18n';
import { getHandover, previousHandover, putHandover, type Handover, type MyShift } from './duty.api';
import { reasonOf, useShiftFormat } from './format';

/**
 * 交接班: the note the previous shift left for mine, and (while the server allows: from my shift's
 * start to a while after its end) the note I leave for the next. Before my next shift starts, only
 * the previous shift's note, so I come knowing what it left.
 */
export function HandoverCard({ me, shift, stage }: { me: Me; shift: MyShift; stage: 'running' | 'ended' | 'next' }) {
  const { t } = useI18n();
  const fmt = useShiftFormat(me);
  const [previous, setPrevious] = useState<Handover | null | undefined>(undefined);
  const [mine, setMine] = useState<Handover | null>(null);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    previousHandover(shift.id).then(
      (r) => live && setPrevious(r.handover),
      () => live && setPrevious(null),
    );
    if (!shift.abilities.handover) return;
    getHandover(shift.id).then(
      (r) => {
        if (!live) return;
        setMine(r.handover);
        setBody(r.handover?.body ?? '');
      },
      (e) => live && setError(reasonOf(t, e)),
    );
    return () => {
      live = false;
    };
  }, [shift.id, shift.abilities.handover, t]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setSaved(false);
    try {
      setMine(await putHandover(shift.id, body.trim()));
      setSaved(true);
      setError(null);
    } catch (err) {
      setError(reasonOf(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <section className="m-card" data-testid="duty-current">
        <h2>{t(stage === 'running' ? 'duty.now' : stage === 'ended' ? 'duty.justEnded' : 'duty.next')}</h2>
        <p>
          <strong>{fmt.range(shift.startsAt, shift.endsAt)}</strong> <span className="m-tag">{t(`duty.role.${shift.role}`)}</span>
        </p>
        <p className="m-muted">{shift.unitName}</p>
        <h2 style={{ marginTop: 12 }}>{t('duty.previous')}</h2>
        {previous === undefined && <p className="m-muted">{t('app.loading')}</p>}
        {previous === null && <p className="m-muted">{t('duty.noPrevious')}</p>}
        {previous && (
          <>
            <p style={{ whiteSpace: 'pre-wrap' }} data-testid="duty-previous-handover">
              {previous.body}
            </p>
            <p className="m-muted">
              {previous.authorName ?? ''} · {fmt.at(previous.writtenAt)}
            </p>
          </>
        )}
      </section>
      {shift.abilities.handover && (
        <form className="m-card" onSubmit={(e) => void save(e)} noValidate data-testid="duty-handover">
          <label className="m-field">
            <span>{t('duty.handover')}</span>
            <textarea rows={5} value={body} maxLength={5000} placeholder={t('duty.handoverHint')} onChange={(e) => (setBody(e.target.value), setSaved(false))} data-testid="duty-handover-body" />
          </label>
          {mine && <p className="m-muted">{t('duty.handoverWrittenAt', { time: fmt.at(mine.updatedAt) })}</p>}
          {saved && (
            <p className="m-ok" data-testid="duty-handover-saved">
              {t('duty.handoverSaved')}
            </p>
          )}
          {error && <p className="m-error">{error}</p>}
          <button type="submit" className="m-button m-primary" style={{ width: '100%' }} disabled={busy || !body.trim()} data-testid="duty-handover-save">
            {t('duty.handoverSave')}
          </button>
        </form>
      )}
    </>
  );
}
