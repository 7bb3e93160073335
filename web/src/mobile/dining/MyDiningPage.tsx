import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { MyDining as MyDiningSchema, MySlot as MySlotSchema } from '../../../../common/schemas/dining.js';
import { call } from '../api';
import { useI18n } from '../i18n';
import { reasonOf } from '../reasons';
import { useSession } from '../session';

/** Types only from the shared schema: no zod on the phone (mobile/api.ts says why). */
type MyDining = z.infer<typeof MyDiningSchema>;
type MySlot = z.infer<typeof MySlotSchema>;

const ORDER = { breakfast: 0, lunch: 1, dinner: 2 } as const;
const byMeal = (a: MySlot, b: MySlot) => ORDER[a.meal] - ORDER[b.meal];

/** 就餐时段: my slot for each meal today (canteen, time, since when), and the slots of a plan published from a later day. */
export default function MyDiningPage() {
  const { me } = useSession();
  const { t } = useI18n();
  const [answer, setAnswer] = useState<MyDining | null>(null);
  const [error, setError] = useState<string | null>(null);
  const linked = me?.user.personId != null;

  useEffect(() => {
    if (!linked) return;
    let live = true;
    call<MyDining>('GET', '/api/v1/me/dining').then(
      (r) => live && setAnswer(r),
      (e) => live && setError(reasonOf(t, e)),
    );
    return () => {
      live = false;
    };
  }, [linked, t]);

  if (!me) return null;
  if (!linked) return <p className="m-card">{t('dining.noPerson')}</p>;
  if (error)
    return (
      <p className="m-card m-error" data-testid="dining-error">
        {error}
      </p>
    );
  if (!answer) return <p className="m-card m-muted">{t('dining.loading')}</p>;

  const slot = (s: MySlot) => (
    <li key={`${s.planId}-${s.meal}`} data-testid={`dining-slot-${s.meal}`}>
      <span className="m-day">{t(`dining.meals.${s.meal}`)}</span>
      <span className="m-grow">
        <strong>{`${s.start}–${s.end}`}</strong>
        <br />
        <span className="m-muted">{`${s.canteenName} · ${s.unitName}`}</span>
      </span>
    </li>
  );
  const since = answer.meals[0]?.fromDay;
  return (
    <>
      <section className="m-card" data-testid="dining-today">
        <h2 style={{ marginTop: 0 }}>{t('dining.today', { day: answer.day })}</h2>
        {answer.meals.length === 0 ? (
          <p className="m-muted" data-testid="dining-empty">
            {t('dining.none')}
          </p>
        ) : (
          <>
            <ul className="m-history">{[...answer.meals].sort(byMeal).map(slot)}</ul>
            {since && <p className="m-muted">{t('dining.since', { day: since })}</p>}
          </>
        )}
      </section>
      {answer.next.length > 0 && (
        <section className="m-card" data-testid="dining-next">
          <h2 style={{ marginTop: 0 }}>{t('dining.next', { day: answer.next[0]!.fromDay })}</h2>
          <ul className="m-history">{[...answer.next].sort(byMeal).map(slot)}</ul>
        </section>
      )}
      <p className="m-muted">{t('dining.hint')}</p>
    </>
  );
}
