import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { INCIDENT_SEVERITIES } from '../../../../common/measures.catalogue.js';
import type { IncidentKind, IncidentSeverity } from '../../../../common/schemas/incidents.js';
import type { Me } from '../api';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { fileIncident, searchPeople, type Person } from './incidents.api';
import { whyRefused } from './IncidentsPage';

/** The kinds, kept here because the shared list sits beside zod, which the phone does not download; the type keeps them complete. */
const INCIDENT_KINDS = ['suspected_case', 'positive_test', 'close_contact', 'supply_shortage', 'unsafe_gathering', 'other'] as const satisfies readonly IncidentKind[];
const everyKind: Record<IncidentKind, true> = Object.fromEntries(INCIDENT_KINDS.map((k) => [k, true])) as Record<(typeof INCIDENT_KINDS)[number], true>;
void everyKind;

/**
 * File an incident from the phone: at one of the units the person holds a grant on, its kind and
 * severity, what happened and where, and (for those who may look people up) the people involved.
 * When is "now": the console's form takes an earlier time.
 */
export function FileIncidentForm({ me }: { me: Me }) {
  const { t } = useI18n();
  const units = useMemo(() => [...new Map(me.grants.map((g) => [g.unitId, g.unitName])).entries()], [me.grants]);
  const [unitId, setUnitId] = useState<number>(units[0]?.[0] ?? 0);
  const [kind, setKind] = useState<IncidentKind | null>(null);
  const [severity, setSeverity] = useState<IncidentSeverity | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [place, setPlace] = useState('');
  const [people, setPeople] = useState<Person[]>([]);
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const absent = new Set<string>();
    if (!kind) absent.add('kind');
    if (!severity) absent.add('severity');
    if (!title.trim()) absent.add('title');
    if (!description.trim()) absent.add('description');
    setMissing(absent);
    if (absent.size > 0 || !kind || !severity) return setError(t('incidents.file.fix'));
    setError(null);
    setBusy(true);
    try {
      const x = await fileIncident({
        unitId,
        kind,
        severity,
        title: title.trim(),
        description: description.trim(),
        ...(place.trim() ? { place: place.trim() } : {}),
        people: people.map((p) => ({ personId: p.id, involvement: 'other' as const })),
      });
      navigate(`incidents/${x.id}`, true);
    } catch (err) {
      setError(whyRefused(t, err));
    } finally {
      setBusy(false);
    }
  }

  const chips = <T extends string>(name: string, values: readonly T[], value: T | null, set: (v: T) => void, label: (v: T) => string) => (
    <fieldset className="m-field" aria-invalid={missing.has(name)}>
      <legend>{t(`incidents.file.${name}` as 'incidents.file.kind')}</legend>
      <div className="m-chips">
        {values.map((v) => (
          <button key={v} type="button" className={value === v ? 'm-chip m-chip-on' : 'm-chip'} onClick={() => set(v)} data-testid={`m-file-${name}-${v}`}>
            {label(v)}
          </button>
        ))}
      </div>
      {missing.has(name) && <span className="m-error">{t('form.required')}</span>}
    </fieldset>
  );

  return (
    <>
      <button type="button" className="m-link" onClick={() => navigate('incidents')}>
        ‹ {t('incidents.back')}
      </button>
      <form className="m-card" onSubmit={(e) => void submit(e)} noValidate data-testid="m-file">
        <h2>{t('incidents.file.title')}</h2>
        {units.length > 1 && (
          <label className="m-field">
            <span>{t('incidents.file.unit')}</span>
            <select value={unitId} onChange={(e) => setUnitId(Number(e.target.value))} data-testid="m-file-unit">
              {units.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        {chips('kind', INCIDENT_KINDS, kind, setKind, (k) => t(`incidents.kinds.${k}`))}
        {chips('severity', INCIDENT_SEVERITIES, severity, setSeverity, (s) => t(`incidents.severities.${s}`))}
        <label className="m-field">
          <span>{t('incidents.file.titleLabel')}</span>
          <input value={title} maxLength={200} aria-invalid={missing.has('title')} onChange={(e) => setTitle(e.target.value)} data-testid="m-file-title" />
        </label>
        <label className="m-field">
          <span>{t('incidents.file.description')}</span>
          <textarea rows={4} value={description} maxLength={10_000} aria-invalid={missing.has('description')} onChange={(e) => setDescription(e.target.value)} data-testid="m-file-description" />
        </label>
        <label className="m-field">
          <span>{t('incidents.file.place')}</span>
          <input value={place} maxLength={200} onChange={(e) => setPlace(e.target.value)} data-testid="m-file-place" />
        </label>
        {me.permissions.includes('people.read') && <PeoplePicker picked={people} onChange={setPeople} />}
        {error && (
          <p className="m-error" data-testid="m-file-error">
            {error}
          </p>
        )}
        <button type="submit" className="m-button m-primary" style={{ width: '100%' }} disabled={busy} data-testid="m-file-submit">
          {busy ? t('incidents.sending') : t('incidents.file.submit')}
        </button>
      </form>
    </>
  );
}

/** Look people up by name or employee number (the server answers only those in the user's scope) and pick them. */
function PeoplePicker({ picked, onChange }: { picked: Person[]; onChange(p: Person[]): void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Person[]>([]);
  useEffect(() => {
    if (q.trim().length < 1) return setFound([]);
    let live = true;
    const timer = setTimeout(() => {
      searchPeople(q.trim()).then(
        (r) => live && setFound(r.items),
        () => live && setFound([]),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  const ids = new Set(picked.map((p) => p.id));
  return (
    <div className="m-field">
      <span>{t('incidents.file.people')}</span>
      <div className="m-chips">
        {picked.map((p) => (
          <button key={p.id} type="button" className="m-chip m-chip-on" onClick={() => onChange(picked.filter((x) => x.id !== p.id))}>
            {p.name} ✕
          </button>
        ))}
      </div>
      <input value={q} placeholder={t('incidents.file.peopleSearch')} onChange={(e) => setQ(e.target.value)} data-testid="m-file-people" />
      <div className="m-chips" style={{ marginTop: 8 }}>
        {found
          .filter((p) => !ids.has(p.id))
          .map((p) => (
            <button key={p.id} type="button" className="m-chip" onClick={() => (onChange([...picked, p]), setQ(''))}>
              {p.name} · {p.unitName}
            </button>
          ))}
      </div>
    </div>
  );
}
