import { useCallback, useEffect, useState } from 'react';
import type { Me } from '../api';
import { useI18n, type MobileKey } from '../i18n';
import { useSession } from '../session';
import { answerSwap, feedStatus, getShift, myShifts, mySwaps, type FeedStatus, type MyShift, type Swap } from './duty.api';
import { FeedCard } from './FeedCard';
import { reasonOf, useShiftFormat } from './format';
import { HandoverCard } from './HandoverCard';
import { SwapForm } from './SwapForm';

/** 我的值班: my coming shifts, the handover of my current (or just ended) shift, swaps asked by or of me, and my calendar feed. */
export default function MyShiftsPage() {
  const { me } = useSession();
  const { t } = useI18n();
  if (!me) return null;
  if (me.user.personId === null) return <p className="m-card">{t('duty.noPerson')}</p>;
  return <MyDuty me={me} />;
}

const LAST_SHIFT_KEY = 'bulwark.duty.lastShift';
/** How long after its end a shift's handover may still be written (the server's rule). */
const HANDOVER_AFTER_MS = 12 * 3_600_000;

/** The running shift, kept on the phone: my shifts list only those not over, but its handover is written after. */
function remember(s: MyShift): void {
  try {
    localStorage.setItem(LAST_SHIFT_KEY, JSON.stringify({ id: s.id, endsAt: s.endsAt }));
  } catch {
    /* storage disabled: the handover is written while the shift runs */
  }
}

/** The shift I was on that ended less than 12 hours ago, when this phone saw it running; else null. */
async function justEnded(me: Me): Promise<MyShift | null> {
  let saved: { id: number; endsAt: number } | null = null;
  try {
    saved = JSON.parse(localStorage.getItem(LAST_SHIFT_KEY) ?? 'null') as { id: number; endsAt: number } | null;
  } catch {
    return null;
  }
  const now = Date.now();
  if (!saved || saved.endsAt > now || now - saved.endsAt > HANDOVER_AFTER_MS) return null;
  try {
    const s = await getShift(saved.id);
    const role = s.leaders.some((p) => p.personId === me.user.personId) ? 'leader' : s.officers.some((p) => p.personId === me.user.personId) ? 'officer' : null;
    return role && s.abilities.handover ? { id: s.id, unitId: s.unitId, unitName: s.unitName, startsAt: s.startsAt, endsAt: s.endsAt, role, note: s.note, leaders: s.leaders, officers: s.officers, abilities: s.abilities } : null;
  } catch {
    return null; // deleted, or no longer mine: nothing to hand over from here
  }
}

/** How many coming shifts show before "more": a fortnight of 24-hour shifts in turn. */
const FIRST = 8;

function MyDuty({ me }: { me: Me }) {
  const { t } = useI18n();
  const fmt = useShiftFormat(me);
  const [shifts, setShifts] = useState<MyShift[] | null>(null);
  const [swaps, setSwaps] = useState<Swap[] | null>(null);
  const [feed, setFeed] = useState<FeedStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [swapping, setSwapping] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [all, setAll] = useState(false);

  const load = useCallback(async () => {
    try {
      const [s, w, f, ended] = await Promise.all([myShifts(), mySwaps(), feedStatus(), justEnded(me)]);
      setShifts(ended && !s.items.some((x) => x.id === ended.id) ? [ended, ...s.items] : s.items);
      setSwaps(w.items);
      setFeed(f);
      setError(null);
    } catch (e) {
      setError(reasonOf(t, e));
    }
  }, [me, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const now = Date.now();
  // The shift whose handover I may write now: the one running, else one just ended; else my next
  // shift within a day, whose previous handover I can read before I start.
  const current =
    shifts?.find((s) => s.startsAt <= now && s.endsAt > now) ??
    shifts?.find((s) => s.endsAt <= now && s.abilities.handover) ??
    shifts?.find((s) => s.startsAt > now && s.startsAt - now < 86_400_000) ??
    null;
  const stage = !current ? null : current.startsAt > now ? 'next' : current.endsAt > now ? 'running' : 'ended';
  const coming = shifts?.filter((s) => s !== current && s.endsAt > now) ?? [];
  const me_ = me.user.personId;
  useEffect(() => {
    if (current && stage === 'running') remember(current);
  }, [current, stage]);

  const answer = async (swap: Swap, action: 'accept' | 'decline' | 'cancel') => {
    setBusy(true);
    try {
      await answerSwap(swap.id, action);
      setNotice(t(`duty.done.${action}`));
      await load();
    } catch (e) {
      setError(reasonOf(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {notice && (
        <p className="m-card m-ok" data-testid="duty-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="m-card m-error" data-testid="duty-error">
          {error}
        </p>
      )}
      {!shifts && !error && <p className="m-card m-muted">{t('app.loading')}</p>}
      {current && stage && <HandoverCard me={me} shift={current} stage={stage} />}

      {shifts && (
        <section className="m-card" data-testid="duty-mine">
          <h2>{t('duty.mine')}</h2>
          {coming.length === 0 && <p className="m-muted">{t('duty.empty')}</p>}
          <ul className="m-history">
            {(all ? coming : coming.slice(0, FIRST)).map((s) => (
              <li key={s.id} data-testid={`duty-shift-${s.id}`} style={{ display: 'block' }}>
                <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
                  <strong className="m-grow">{fmt.range(s.startsAt, s.endsAt)}</strong>
                  <span className={s.role === 'leader' ? 'm-tag m-tag-bad' : 'm-tag'}>{t(`duty.role.${s.role}`)}</span>
                </div>
                <span className="m-muted">
                  {s.unitName}
                  {' · '}
                  {t('duty.with')}: {[...s.leaders, ...s.officers].filter((p) => p.personId !== me_).map((p) => p.name).join('、') || '—'}
                </span>
                {s.note && <p className="m-muted">{s.note}</p>}
                {s.abilities.swap && swapping !== s.id && (
                  <div>
                    <button type="button" className="m-link" onClick={() => (setSwapping(s.id), setNotice(null))} data-testid={`duty-swap-${s.id}`}>
                      {t('duty.swap')} ›
                    </button>
                  </div>
                )}
                {swapping === s.id && (
                  <SwapForm
                    me={me}
                    shift={s}
                    colleagues={shifts}
                    onCancel={() => setSwapping(null)}
                    onSent={() => {
                      setSwapping(null);
                      setNotice(t('duty.swapSent'));
                      void load();
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
          {!all && coming.length > FIRST && (
            <button type="button" className="m-link" onClick={() => setAll(true)} data-testid="duty-more">
              {t('duty.more', { n: coming.length - FIRST })}
            </button>
          )}
        </section>
      )}

      {swaps && (
        <section className="m-card" data-testid="duty-swaps">
          <h2>{t('duty.swaps')}</h2>
          {swaps.length === 0 && <p className="m-muted">{t('duty.swapsEmpty')}</p>}
          <ul className="m-history">
            {swaps.map((w) => {
              const askedMe = w.counterpart.personId === me_;
              return (
                <li key={w.id} data-testid={`duty-swap-item-${w.id}`} style={{ display: 'block' }}>
                  <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
                    <strong className="m-grow">{askedMe ? t('duty.swapAskedMe', { name: w.requester.name }) : t('duty.swapIAsked', { name: w.counterpart.name })}</strong>
                    <span className={w.status === 'refused' || w.status === 'declined' ? 'm-tag m-tag-bad' : 'm-tag'}>{t(`duty.status.${w.status}` as MobileKey)}</span>
                  </div>
                  <p className="m-muted">
                    {askedMe ? t('duty.swapTheirs') : t('duty.swapMine')}: {fmt.range(w.shift.startsAt, w.shift.endsAt)}
                    {w.counterpartShift && (
                      <>
                        <br />
                        {askedMe ? t('duty.swapMine') : t('duty.swapTheirs')}: {fmt.range(w.counterpartShift.startsAt, w.counterpartShift.endsAt)}
                      </>
                    )}
                  </p>
                  {w.reason && <p className="m-muted">{w.reason}</p>}
                  {w.decisionNote && <p className="m-muted">{w.decisionNote}</p>}
                  {(w.abilities.accept || w.abilities.decline || w.abilities.cancel) && (
                    <div className="m-row">
                      {w.abilities.accept && (
                        <button type="button" className="m-button m-primary" disabled={busy} onClick={() => void answer(w, 'accept')} data-testid={`duty-swap-accept-${w.id}`}>
                          {t('duty.accept')}
                        </button>
                      )}
                      {w.abilities.decline && (
                        <button type="button" className="m-button" disabled={busy} onClick={() => void answer(w, 'decline')} data-testid={`duty-swap-decline-${w.id}`}>
                          {t('duty.decline')}
                        </button>
                      )}
                      {w.abilities.cancel && (
                        <button type="button" className="m-button" disabled={busy} onClick={() => void answer(w, 'cancel')} data-testid={`duty-swap-cancel-${w.id}`}>
                          {t('duty.withdraw')}
                        </button>
                      )}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {feed && <FeedCard me={me} status={feed} onChanged={setFeed} />}
    </>
  );
}
