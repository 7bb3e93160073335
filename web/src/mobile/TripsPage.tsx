import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { normaliseCity, placeInArea } from '../../../common/city.js';
import { dayOf } from '../../../common/day.js';
import { ApiError } from '../api/client';
import type { Me } from './api';
import { useI18n, type MobileKey, type Translate } from './i18n';
import { reasonOf } from './reasons';
import { useSession } from './session';
import { cancelTrip, myTrips, reportReturn, reportTrip, riskAreasToday, updateTrip, type RiskArea, type Trip } from './trips.api';

/** 出行报备: report a trip (warned when the destination is a risk area now), my trips, report the return. */
export default function TripsPage() {
  const { me } = useSession();
  const { t } = useI18n();
  if (!me) return null;
  if (me.user.personId === null) return <p className="m-card">{t('trips.noPerson')}</p>;
  return <TripsOf me={me} />;
}

const placeName = (a: { city: string; district: string | null }) => `${a.city}${a.district ?? ''}`;

/** The server's reasons (English, stable) in the page's language; anything else as sent. */
const REASONS: Record<string, MobileKey> = {
  'overlaps another trip': 'trips.overlap',
  'must not be before startOn': 'trips.endBeforeStart',
  'must not be before the trip started': 'trips.returnBeforeStart',
  'must not be after today': 'trips.returnAfterToday',
};
/** The most severe area on today's list holding the place, if any. */
function riskOf(areas: RiskArea[], city: string, district: string | null): RiskArea | undefined {
  if (normaliseCity(city) === '') return undefined;
  return areas.filter((a) => placeInArea({ city, district }, a)).sort((a, b) => (a.level === b.level ? 0 : a.level === 'high' ? -1 : 1))[0];
}

function RiskNote({ area, t }: { area: { city: string; district: string | null; level: 'medium' | 'high' }; t: Translate }) {
  return (
    <p className="m-error" data-testid="trip-risk">
      {t(area.level === 'high' ? 'trips.riskHigh' : 'trips.riskMedium', { place: placeName(area) })} · {t('trips.riskHint')}
    </p>
  );
}

function TripsOf({ me }: { me: Me }) {
  const { t } = useI18n();
  const today = dayOf(Date.now(), me.organisation.timeZone);
  const [trips, setTrips] = useState<Trip[] | null>(null);
  const [state, setState] = useState<'loading' | 'ok' | 'offline' | 'error'>('loading');
  const [areas, setAreas] = useState<RiskArea[]>([]);
  const [formOpen, setFormOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [mine, list] = await Promise.all([myTrips(), riskAreasToday()]);
      setTrips(mine.items);
      setAreas(list.items);
      setState('ok');
    } catch (e) {
      setState(e instanceof ApiError && e.code === 'network' ? 'offline' : 'error');
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const replace = (trip: Trip) => setTrips((prev) => [trip, ...(prev ?? []).filter((x) => x.id !== trip.id)].sort((a, b) => (a.startOn < b.startOn ? 1 : -1)));

  return (
    <>
      {notice && (
        <p className="m-card m-ok" data-testid="trip-notice">
          {notice}
        </p>
      )}
      {formOpen ? (
        <TripForm
          today={today}
          areas={areas}
          onCancel={() => setFormOpen(false)}
          onDone={(trip) => {
            replace(trip);
            setFormOpen(false);
            setNotice(t('trips.sent'));
          }}
        />
      ) : (
        <button type="button" className="m-button m-primary" style={{ width: '100%', marginBottom: 12 }} onClick={() => (setNotice(null), setFormOpen(true))} data-testid="trip-new">
          {t('trips.new')}
        </button>
      )}
      <section className="m-card" data-testid="trip-list">
        <h2>{t('trips.mine')}</h2>
        {state === 'offline' && !trips && <p className="m-muted">{t('trips.offline')}</p>}
        {state === 'error' && !trips && <p className="m-error">{t('app.error')}</p>}
        {trips && trips.length === 0 && <p className="m-muted">{t('trips.empty')}</p>}
        {trips?.map((trip) => <TripItem key={trip.id} trip={trip} today={today} areas={areas} onChanged={replace} />)}
      </section>
      <section className="m-card" data-testid="trip-areas">
        <h2>{t('trips.areasTitle')}</h2>
        {areas.length === 0 ? (
          <p className="m-muted">{t('trips.areasEmpty')}</p>
        ) : (
          <ul className="m-history">
            {areas.map((a) => (
              <li key={a.id}>
                <span className="m-grow">
                  {a.city} · {a.district ?? t('trips.wholeCity')}
                </span>
                <span className={a.level === 'high' ? 'm-tag m-tag-bad' : 'm-tag'}>{t(`trips.level.${a.level}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

type Fields = 'city' | 'district' | 'startOn' | 'endOn' | 'purpose';

/** A new trip, or a change to one that has not started (`initial`). */
function TripForm({ today, areas, initial, onCancel, onDone }: { today: string; areas: RiskArea[]; initial?: Trip; onCancel(): void; onDone(trip: Trip): void }) {
  const { t } = useI18n();
  const [v, setV] = useState<Record<Fields, string>>(() =>
    initial
      ? { city: initial.city, district: initial.district ?? '', startOn: initial.startOn, endOn: initial.endOn, purpose: initial.purpose }
      : { city: '', district: '', startOn: today, endOn: today, purpose: '' },
  );
  const [errors, setErrors] = useState<Partial<Record<Fields | 'form', string>>>({});
  const [busy, setBusy] = useState(false);
  const risk = useMemo(() => riskOf(areas, v.city, v.district.trim() || null), [areas, v.city, v.district]);
  const set = (k: Fields) => (e: { target: { value: string } }) => setV((p) => ({ ...p, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: typeof errors = {};
    for (const k of ['city', 'startOn', 'endOn', 'purpose'] as const) if (v[k].trim() === '') errs[k] = t('trips.required');
    if (!errs.startOn && !errs.endOn && v.endOn < v.startOn) errs.endOn = t('trips.endBeforeStart');
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    try {
      const fields = { city: v.city, district: v.district.trim() || null, startOn: v.startOn, endOn: v.endOn, purpose: v.purpose };
      onDone(initial ? await updateTrip(initial.id, fields) : await reportTrip(fields));
    } catch (err) {
      // The server names the field it refuses; anything else is shown under the form.
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) setErrors(Object.fromEntries(Object.entries(err.fields).map(([k, r]) => [k, REASONS[r] ? t(REASONS[r]) : r])));
      else setErrors({ form: reasonOf(t, err, REASONS) });
    } finally {
      setBusy(false);
    }
  }

  const field = (k: Fields, label: string, input: ReactNode) => (
    <label className="m-field">
      <span>{label}</span>
      {input}
      {errors[k] && (
        <span className="m-error" data-testid={`trip-error-${k}`}>
          {errors[k]}
        </span>
      )}
    </label>
  );
  return (
    <form className="m-card" onSubmit={(e) => void submit(e)} noValidate data-testid="trip-form">
      {field('city', t('trips.city'), <input value={v.city} onChange={set('city')} placeholder={t('trips.cityPlaceholder')} maxLength={50} data-testid="trip-city" />)}
      {field('district', t('trips.district'), <input value={v.district} onChange={set('district')} placeholder={t('trips.districtPlaceholder')} maxLength={50} data-testid="trip-district" />)}
      {risk && <RiskNote area={risk} t={t} />}
      {field('startOn', t('trips.startOn'), <input type="date" value={v.startOn} onChange={set('startOn')} data-testid="trip-start" />)}
      {field('endOn', t('trips.endOn'), <input type="date" value={v.endOn} min={v.startOn} onChange={set('endOn')} data-testid="trip-end" />)}
      {field('purpose', t('trips.purpose'), <input value={v.purpose} onChange={set('purpose')} placeholder={t('trips.purposePlaceholder')} maxLength={200} data-testid="trip-purpose" />)}
      {errors.form && <p className="m-error">{errors.form}</p>}
      <div className="m-row">
        <button type="button" className="m-button" onClick={onCancel}>
          {t('trips.cancel')}
        </button>
        <button type="submit" className="m-button m-primary" disabled={busy} data-testid="trip-submit">
          {busy ? t('trips.sending') : t(initial ? 'trips.save' : 'trips.submit')}
        </button>
      </div>
    </form>
  );
}

function TripItem({ trip, today, areas, onChanged }: { trip: Trip; today: string; areas: RiskArea[]; onChanged(trip: Trip): void }) {
  const { t } = useI18n();
  const [returning, setReturning] = useState(false);
  const [editing, setEditing] = useState(false);
  const [day, setDay] = useState(today);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(fn: () => Promise<Trip>) {
    setBusy(true);
    setError(null);
    try {
      onChanged(await fn());
      setReturning(false);
    } catch (err) {
      setError(reasonOf(t, err, REASONS));
    } finally {
      setBusy(false);
    }
  }

  if (editing)
    return (
      <TripForm
        today={today}
        areas={areas}
        initial={trip}
        onCancel={() => setEditing(false)}
        onDone={(changed) => {
          setEditing(false);
          onChanged(changed);
        }}
      />
    );
  return (
    <div style={{ borderTop: '1px solid #eee', padding: '8px 0' }} data-testid={`trip-${trip.id}`}>
      <p>
        <b>{placeName(trip)}</b> · {trip.startOn.slice(5)} – {trip.endOn.slice(5)} · <span className={trip.status === 'away' ? 'm-tag m-tag-bad' : 'm-tag'}>{t(`trips.status.${trip.status}`)}</span>
      </p>
      <p className="m-muted">
        {trip.purpose}
        {trip.returnedOn && ` · ${t('trips.returned', { day: trip.returnedOn })}`}
        {trip.watchAreaId !== null && ` · ${t('trips.watched')}`}
      </p>
      {trip.overdue && <p className="m-error">{t('trips.overdue')}</p>}
      {trip.riskNow && trip.status !== 'returned' && trip.status !== 'cancelled' && <RiskNote area={trip.riskNow} t={t} />}
      {returning ? (
        <div className="m-row">
          <input type="date" value={day} min={trip.startOn} max={today} onChange={(e) => setDay(e.target.value)} aria-label={t('trips.returnDay')} data-testid="trip-return-day" />
          <button type="button" className="m-button m-primary" disabled={busy} onClick={() => void act(() => reportReturn(trip.id, day))} data-testid="trip-return-submit">
            {t('trips.returnSubmit')}
          </button>
        </div>
      ) : (
        <div className="m-row">
          {trip.abilities.reportReturn && (
            <button type="button" className="m-button m-primary" onClick={() => setReturning(true)} data-testid="trip-return">
              {t('trips.returnTitle')}
            </button>
          )}
          {trip.abilities.edit && (
            <button type="button" className="m-button" onClick={() => setEditing(true)} data-testid="trip-edit">
              {t('trips.edit')}
            </button>
          )}
          {trip.abilities.cancel && (
            <button type="button" className="m-button" disabled={busy} onClick={() => window.confirm(t('trips.confirmCancel')) && void act(() => cancelTrip(trip.id))} data-testid="trip-cancel">
              {t('trips.cancelTrip')}
            </button>
          )}
        </div>
      )}
      {error && <p className="m-error">{error}</p>}
    </div>
  );
}
