import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import type { Me } from '../api';
import { useI18n } from '../i18n';
import { askSwap, searchPeople, unitShifts, type MyShift, type Shift } from './duty.api';
import { reasonOf, useShiftFormat } from './format';

interface Candidate {
  personId: number;
  name: string;
}

const DAY = 86_400_000;

/**
 * Ask a swap for one of my shifts: with whom (searched among the unit's people when the user may
 * search them, else among the people on my own shifts), and either one of their shifts in exchange
 * (offered when the user may read the unit's roster) or none: they take mine.
 */
export function SwapForm({ me, shift, colleagues, onCancel, onSent }: { me: Me; shift: MyShift; colleagues: readonly MyShift[]; onCancel(): void; onSent(): void }) {
  const { t } = useI18n();
  const fmt = useShiftFormat(me);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Candidate[] | null>(null);
  const [canSearch, setCanSearch] = useState(true);
  const [picked, setPicked] = useState<Candidate | null>(null);
  const [roster, setRoster] = useState<Shift[] | null>(null);
  const [theirShift, setTheirShift] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const self = me.user.personId;

  // Those I share shifts with: whom a user who may not search people can still name.
  const known = useMemo(() => {
    const byId = new Map<number, Candidate>();
    for (const s of colleagues) for (const p of [...s.leaders, ...s.officers]) if (p.personId !== self && p.unitId === shift.unitId) byId.set(p.personId, { personId: p.personId, name: p.name });
    return [...byId.values()];
  }, [colleagues, self, shift.unitId]);

  useEffect(() => {
    if (!canSearch || q.trim() === '') {
      setFound(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      searchPeople(shift.unitId, q.trim()).then(
        (r) => live && setFound(r.items.filter((p) => p.id !== self).map((p) => ({ personId: p.id, name: `${p.name} · ${p.employeeNo}` }))),
        (e) => live && (e instanceof ApiError && (e.status === 403 || e.status === 404) ? setCanSearch(false) : setError(reasonOf(t, e))),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, canSearch, shift.unitId, self, t]);

  // The unit's coming shifts, when the user may read them: the picked person's, in my role, are offered in exchange.
  useEffect(() => {
    let live = true;
    const now = Date.now();
    unitShifts(shift.unitId, now, now + 60 * DAY).then(
      (r) => live && setRoster(r.items),
      () => live && setRoster([]),
    );
    return () => {
      live = false;
    };
  }, [shift.unitId]);
  const theirs = picked && roster ? roster.filter((s) => s.id !== shift.id && s.startsAt > Date.now() && (shift.role === 'leader' ? s.leaders : s.officers).some((p) => p.personId === picked.personId)) : [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!picked) return setError(t('duty.swapPick'));
    setBusy(true);
    try {
      await askSwap({ shiftId: shift.id, counterpartPersonId: picked.personId, ...(theirShift ? { counterpartShiftId: theirShift } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) });
      onSent();
    } catch (err) {
      setError(reasonOf(t, err));
    } finally {
      setBusy(false);
    }
  }

  const choices = found ?? known;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid={`duty-swap-form-${shift.id}`} style={{ marginTop: 8 }}>
      <fieldset className="m-field">
        <legend>{t('duty.swapWith')}</legend>
        {canSearch ? (
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('duty.swapSearch')} data-testid="duty-swap-search" />
        ) : (
          <p className="m-muted">{t('duty.swapNoSearch')}</p>
        )}
        {!found && known.length > 0 && <p className="m-muted">{t('duty.swapColleagues')}</p>}
        <div className="m-chips" style={{ marginTop: 8 }}>
          {choices.map((c) => (
            <button
              key={c.personId}
              type="button"
              className={picked?.personId === c.personId ? 'm-chip m-chip-on' : 'm-chip'}
              onClick={() => (setPicked(c), setTheirShift(null))}
              data-testid={`duty-swap-person-${c.personId}`}
            >
              {c.name}
            </button>
          ))}
        </div>
      </fieldset>
      {picked && theirs.length > 0 && (
        <fieldset className="m-field">
          <legend>{t('duty.swapTheirShift')}</legend>
          <div className="m-chips">
            <button type="button" className={theirShift === null ? 'm-chip m-chip-on' : 'm-chip'} onClick={() => setTheirShift(null)}>
              {t('duty.swapTakeOver')}
            </button>
            {theirs.map((s) => (
              <button key={s.id} type="button" className={theirShift === s.id ? 'm-chip m-chip-on' : 'm-chip'} onClick={() => setTheirShift(s.id)} data-testid={`duty-swap-their-${s.id}`}>
                {fmt.range(s.startsAt, s.endsAt)}
              </button>
            ))}
          </div>
        </fieldset>
      )}
      <label className="m-field">
        <span>{t('duty.swapReason')}</span>
        <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} data-testid="duty-swap-reason" />
      </label>
      {error && <p className="m-error">{error}</p>}
      <div className="m-row">
        <button type="button" className="m-button" onClick={onCancel}>
          {t('duty.cancel')}
        </button>
        <button type="submit" className="m-button m-primary" disabled={busy} data-testid="duty-swap-submit">
          {t('duty.swapSubmit')}
        </button>
      </div>
    </form>
  );
}
