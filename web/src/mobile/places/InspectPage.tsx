import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import type { Me } from '../api';
import { useI18n, type MobileKey } from '../i18n';
import { reasonOf, useShortTime } from '../reasons';
import { navigate, useRest } from '../router';
import { useSession } from '../session';
import { InspectForm } from './InspectForm';
import { getPlace, inspectablePlaces, type InspectablePlace, type Inspection, type PlaceDetail } from './places.api';

/** 场所检查: the key places this person may inspect, due first; open one to inspect it item by item. */
export default function InspectPage() {
  const { me } = useSession();
  const rest = useRest();
  if (!me) return null;
  const id = Number(rest.split('/')[0]);
  return Number.isInteger(id) && id > 0 ? <PlaceView me={me} id={id} /> : <PlaceList me={me} />;
}

const DAY = 86_400_000;

/** When the place is due, in words: overdue by N days, due today, or the day it falls due. */
function DueLine({ place, me }: { place: InspectablePlace; me: Me }) {
  const { t } = useI18n();
  const format = useShortTime(me);
  if (place.lastInspectedAt === null && place.due) return <span className="m-tag m-tag-bad">{t('inspect.never')}</span>;
  if (place.due) {
    const days = Math.floor((Date.now() - place.nextDueAt) / DAY);
    return <span className="m-tag m-tag-bad">{days >= 1 ? t('inspect.overdueDays', { n: days }) : t('inspect.dueToday')}</span>;
  }
  return <span className="m-tag">{t('inspect.dueOn', { time: format(place.nextDueAt).split(' ')[0] ?? '' })}</span>;
}

function PlaceList({ me }: { me: Me }) {
  const { t } = useI18n();
  const [places, setPlaces] = useState<InspectablePlace[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    inspectablePlaces().then(
      (r) => live && (setPlaces(r.items), setError(null)),
      (e) => live && setError(reasonOf(t, e)),
    );
    return () => {
      live = false;
    };
  }, [t]);

  return (
    <section className="m-card" data-testid="m-inspect-list">
      {error && <p className="m-error">{error}</p>}
      {!places && !error && <p className="m-muted">{t('app.loading')}</p>}
      {places?.length === 0 && <p className="m-muted">{t('inspect.empty')}</p>}
      <ul className="m-history">
        {places?.map((p) => (
          <li key={p.id}>
            <button type="button" className="m-link m-grow" style={{ textAlign: 'left', color: 'inherit' }} onClick={() => navigate(`inspect/${p.id}`)} data-testid={`m-inspect-place-${p.id}`}>
              <strong>{p.name}</strong>
              <br />
              <span className="m-muted">
                {p.unitName} · {t(`inspect.kinds.${p.kind}` as MobileKey)} · {t(`inspect.risks.${p.risk}` as MobileKey)}
                {p.openFindings > 0 ? ` · ${t('inspect.openFindings', { n: p.openFindings })}` : ''}
              </span>
            </button>
            <DueLine place={p} me={me} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function PlaceView({ me, id }: { me: Me; id: number }) {
  const { t } = useI18n();
  const [place, setPlace] = useState<PlaceDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Inspection | null>(null);

  const load = useCallback(async () => {
    try {
      setPlace(await getPlace(id));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? t('inspect.notFound') : reasonOf(t, e));
    }
  }, [id, t]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <button type="button" className="m-link" onClick={() => navigate('inspect')} data-testid="m-inspect-back">
        ‹ {t('inspect.back')}
      </button>
      {error && <p className="m-card m-error">{error}</p>}
      {!place && !error && <p className="m-card m-muted">{t('app.loading')}</p>}
      {place && done && (
        <section className="m-card m-done" data-testid="m-inspect-done">
          <h2>{t('inspect.doneTitle')}</h2>
          <p>{t('inspect.summary', { passed: done.passed, failed: done.failed, na: done.notApplicable })}</p>
          {done.failed > 0 && <p className="m-muted">{t('inspect.rectifyIssued', { name: place.responsibleName ?? t('inspect.unitHead') })}</p>}
          <button type="button" className="m-button m-primary" style={{ width: '100%' }} onClick={() => navigate('inspect')} data-testid="m-inspect-done-back">
            {t('inspect.back')}
          </button>
        </section>
      )}
      {place && !done && (
        <>
          <section className="m-card" data-testid="m-inspect-place">
            <h2>{place.name}</h2>
            <p className="m-muted">
              {place.unitName} · {t(`inspect.kinds.${place.kind}` as MobileKey)} · {t(`inspect.risks.${place.risk}` as MobileKey)}
            </p>
            {place.address && <p className="m-muted">{place.address}</p>}
            <p className="m-muted">{t('inspect.responsible', { name: place.responsibleName ?? t('inspect.nobody') })}</p>
          </section>
          <InspectForm me={me} place={place} onDone={(x) => (setDone(x), window.scrollTo(0, 0))} />
        </>
      )}
    </>
  );
}
