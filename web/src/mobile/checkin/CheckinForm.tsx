import { useState, type FormEvent } from 'react';
import { CheckinSubmit, LOCATIONS, SYMPTOMS, TEMPERATURE_MAX, TEMPERATURE_MIN } from '../../../../common/schemas/health.js';
import type { Checkin } from '../api';
import { useI18n, type MobileKey } from '../i18n';
import type { Answers } from './answers';

type Location = (typeof LOCATIONS)[number];
type Field = 'temperature' | 'symptoms' | 'other' | 'location' | 'city' | 'note';

const KNOWN = new Set<string>(SYMPTOMS);

/**
 * The check-in form. The temperature has no preset value (a typed 36.5 is a measured one); the
 * shared schema (common/schemas/health.ts) decides what is valid, exactly as the server will.
 * Loaded on its own chunk (it brings zod): the one-tap path does not wait for it.
 */
export default function CheckinForm(props: { initial?: Checkin; lastCity?: string; busy: boolean; onSubmit(a: Answers): void; onCancel?: () => void }) {
  const { t } = useI18n();
  const init = props.initial;
  const initOther = init?.symptoms.filter((s) => !KNOWN.has(s)) ?? [];
  const [temperature, setTemperature] = useState(init ? String(init.temperature) : '');
  const [symptoms, setSymptoms] = useState<Set<string>>(new Set(init?.symptoms.filter((s) => KNOWN.has(s))));
  const [otherOn, setOtherOn] = useState(initOther.length > 0);
  const [other, setOther] = useState(initOther.join('、'));
  const [location, setLocation] = useState<Location | ''>(init?.location ?? '');
  const [city, setCity] = useState(init?.city ?? props.lastCity ?? '');
  const [note, setNote] = useState(init?.note ?? '');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  // A field's message goes as soon as the person changes it; the rest stay until the next submit.
  const edited = (f: Field) =>
    setErrors((prev) => {
      if (!(f in prev)) return prev;
      const { [f]: _gone, ...rest } = prev;
      return rest;
    });

  function validate(): Answers | null {
    const found: Partial<Record<Field, string>> = {};
    const typed = temperature.trim().replace(',', '.');
    const degrees = typed === '' ? undefined : Number(typed);
    const body = {
      temperature: degrees,
      symptoms: [...SYMPTOMS.filter((s) => symptoms.has(s)), ...(otherOn && other.trim() ? [other.trim()] : [])],
      location: location || undefined,
      city: city.trim() || undefined,
      note: note.trim() || null,
    };
    const range = t('form.temperatureRange', { min: TEMPERATURE_MIN.toFixed(1), max: TEMPERATURE_MAX.toFixed(1) });
    const parsed = CheckinSubmit.safeParse(body);
    if (!parsed.success)
      for (const issue of parsed.error.issues) {
        const key = issue.path[0];
        if (key === 'temperature') found.temperature = degrees === undefined ? t('form.required') : range;
        else if (key === 'symptoms') found.other = issue.message;
        else if (key === 'location' || key === 'city') found[key] = t('form.required');
        else if (key === 'note') found.note = issue.message;
      }
    // NaN is not a number to zod either; said in the range's words.
    if (degrees !== undefined && Number.isNaN(degrees)) found.temperature = range;
    if (otherOn && !other.trim()) found.other = t('form.required');
    setErrors(found);
    if (Object.keys(found).length > 0 || !parsed.success) return null;
    return { temperature: parsed.data.temperature!, symptoms: parsed.data.symptoms!, location: parsed.data.location!, city: parsed.data.city!, note: parsed.data.note ?? null };
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const a = validate();
    if (a) props.onSubmit(a);
  }

  const toggle = (s: string) =>
    setSymptoms((prev) => {
      const next = new Set(prev);
      if (next.has(s)) next.delete(s);
      else next.add(s);
      return next;
    });
  const fieldError = (f: Field) =>
    errors[f] ? (
      <span className="m-error" data-testid={`checkin-error-${f}`}>
        {errors[f]}
      </span>
    ) : null;

  return (
    <form className="m-card" onSubmit={submit} noValidate data-testid="checkin-form">
      <label className="m-field">
        <span>{t('form.temperature')}</span>
        <input
          data-testid="checkin-temperature"
          inputMode="decimal"
          autoComplete="off"
          placeholder={t('form.temperaturePlaceholder')}
          aria-invalid={Boolean(errors.temperature)}
          value={temperature}
          onChange={(e) => {
            setTemperature(e.target.value);
            edited('temperature');
          }}
        />
        {fieldError('temperature')}
      </label>

      <fieldset className="m-field">
        <legend>{t('form.symptoms')}</legend>
        <div className="m-chips">
          {SYMPTOMS.map((s) => (
            <label key={s} className={symptoms.has(s) ? 'm-chip m-chip-on' : 'm-chip'}>
              <input type="checkbox" data-testid={`checkin-symptom-${s}`} checked={symptoms.has(s)} onChange={() => toggle(s)} />
              {t(`symptom.${s}` as MobileKey)}
            </label>
          ))}
          <label className={otherOn ? 'm-chip m-chip-on' : 'm-chip'}>
            <input type="checkbox" data-testid="checkin-symptom-other" checked={otherOn} onChange={() => {
                setOtherOn((v) => !v);
                edited('other');
              }} />
            {t('form.other')}
          </label>
        </div>
        {otherOn && <input data-testid="checkin-other" placeholder={t('form.otherPlaceholder')} maxLength={40} value={other} onChange={(e) => {
              setOther(e.target.value);
              edited('other');
            }} />}
        {fieldError('other')}
      </fieldset>

      <fieldset className="m-field">
        <legend>{t('form.location')}</legend>
        <div className="m-chips">
          {LOCATIONS.map((l) => (
            <label key={l} className={location === l ? 'm-chip m-chip-on' : 'm-chip'}>
              <input type="radio" name="location" data-testid={`checkin-location-${l}`} checked={location === l} onChange={() => {
                  setLocation(l);
                  edited('location');
                }} />
              {t(`location.${l}`)}
            </label>
          ))}
        </div>
        {fieldError('location')}
      </fieldset>

      <label className="m-field">
        <span>{t('form.city')}</span>
        <input data-testid="checkin-city" placeholder={t('form.cityPlaceholder')} maxLength={50} value={city} onChange={(e) => {
            setCity(e.target.value);
            edited('city');
          }} />
        {fieldError('city')}
      </label>

      <label className="m-field">
        <span>{t('form.note')}</span>
        <textarea data-testid="checkin-note" rows={2} maxLength={500} value={note} onChange={(e) => {
            setNote(e.target.value);
            edited('note');
          }} />
        {fieldError('note')}
      </label>

      {Object.keys(errors).length > 0 && <p className="m-error">{t('form.fix')}</p>}
      <div className="m-row">
        {props.onCancel && (
          <button type="button" className="m-button" onClick={props.onCancel}>
            {t('checkin.cancel')}
          </button>
        )}
        <button type="submit" className="m-button m-primary" disabled={props.busy} data-testid="checkin-submit">
          {props.busy ? t('checkin.sending') : t('checkin.submit')}
        </button>
      </div>
    </form>
  );
}
