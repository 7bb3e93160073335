import type { Checkin } from '../api';
import { useI18n, type MobileKey } from '../i18n';
import type { Answers } from './answers';

/** One check-in in a line: temperature, where, symptoms. */
export function Summary({ c }: { c: Pick<Checkin, 'temperature' | 'symptoms' | 'location' | 'city'> | Answers }) {
  const { t } = useI18n();
  const symptoms = c.symptoms.length === 0 ? t('checkin.noSymptoms') : c.symptoms.map((s) => symptomLabel(t, s)).join('、');
  return (
    <p className="m-summary">
      <b>{c.temperature.toFixed(1)} °C</b> · {t(`location.${c.location}`)} · {c.city} · {symptoms}
    </p>
  );
}

function symptomLabel(t: (k: MobileKey) => string, s: string): string {
  const key = `symptom.${s}` as MobileKey;
  const label = t(key);
  return label === key ? s : label; // "other": the person's own words
}

/** The person's own last 14 days, newest first. */
export function History({ items, state, today }: { items: Checkin[] | null; state: 'loading' | 'ok' | 'offline' | 'error'; today: string }) {
  const { t } = useI18n();
  let body;
  if (state === 'offline' && !items) body = <p className="m-muted">{t('checkin.historyOffline')}</p>;
  else if (!items) body = null;
  else if (items.length === 0) body = <p className="m-muted">{t('checkin.historyEmpty')}</p>;
  else
    body = (
      <ul className="m-history">
        {items.map((c) => (
          <li key={c.day} data-testid={`checkin-history-${c.day}`} className={c.day === today ? 'm-today' : undefined}>
            <span className="m-day">{c.day.slice(5)}</span>
            <span className="m-grow">
              {c.temperature.toFixed(1)} °C · {t(`location.${c.location}`)}
            </span>
            <span className={c.abnormal ? 'm-tag m-tag-bad' : 'm-tag'}>{c.abnormal ? t('checkin.abnormal') : t('checkin.normal')}</span>
          </li>
        ))}
      </ul>
    );
  return (
    <section className="m-card" data-testid="checkin-history">
      <h2>{t('checkin.historyTitle')}</h2>
      {body}
    </section>
  );
}
