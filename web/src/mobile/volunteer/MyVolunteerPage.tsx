import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import type { MySignUp, MyVolunteer as MyVolunteerSchema } from '../../../../common/schemas/volunteers.js';
import { call, type Me } from '../api';
import { useI18n } from '../i18n';
import { reasonOf, useShortTime } from '../reasons';
import { useSession } from '../session';

/** Types only from the shared schema: no zod on the phone (mobile/api.ts says why). */
type MyVolunteer = z.infer<typeof MyVolunteerSchema>;

/** The skills offered as chips (common/schemas/volunteers.ts SUGGESTED_SKILLS; copied: a value import would bring zod). */
const SUGGESTED_SKILLS = ['驾驶', '医护', '心理', '物资搬运', '信息录入', '外语'];

/**
 * 志愿服务 on the phone: sign up for the volunteer pool (党员 / 团员, skills, when I can serve), change
 * it or leave, and my volunteer shifts not yet ended with the hours I have served. A page of its
 * own rather than a section of 我的值班: duty shifts and volunteer shifts come from different
 * rosters, and an employee without duty still volunteers.
 */
export default function MyVolunteerPage() {
  const { me } = useSession();
  const { t } = useI18n();
  const [answer, setAnswer] = useState<MyVolunteer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState<MySignUp>({ partyMember: false, youthLeague: false, skills: [] });
  const [busy, setBusy] = useState(false);
  const linked = me?.user.personId != null;

  const load = useCallback(() => {
    call<MyVolunteer>('GET', '/api/v1/me/volunteer').then(
      (r) => {
        setAnswer(r);
        setError(null);
      },
      (e) => setError(reasonOf(t, e)),
    );
  }, [t]);
  useEffect(() => {
    if (linked) load();
  }, [linked, load]);

  if (!me) return null;
  if (!linked) return <p className="m-card">{t('volunteers.noPerson')}</p>;
  if (!answer && !error) return <p className="m-card m-muted">{t('app.loading')}</p>;

  const profile = answer?.profile ?? null;
  const inPool = profile !== null && profile.leftAt === null;

  const startEdit = () => {
    setForm(profile ? { partyMember: profile.partyMember, youthLeague: profile.youthLeague, skills: profile.skills, ...(profile.availability ? { availability: profile.availability } : {}) } : { partyMember: false, youthLeague: false, skills: [] });
    setEditing(true);
  };
  const save = async () => {
    setBusy(true);
    try {
      const body: MySignUp = { ...form, ...(form.availability?.trim() ? { availability: form.availability.trim() } : {}) };
      if (!form.availability?.trim()) delete body.availability;
      setAnswer(await call<MyVolunteer>('PUT', '/api/v1/me/volunteer', { body }));
      setEditing(false);
      setError(null);
    } catch (e) {
      setError(reasonOf(t, e));
    } finally {
      setBusy(false);
    }
  };
  const leave = async () => {
    if (!window.confirm(t('volunteers.leaveConfirm'))) return;
    setBusy(true);
    try {
      setAnswer(await call<MyVolunteer>('POST', '/api/v1/me/volunteer/leave', { body: {} }));
    } catch (e) {
      setError(reasonOf(t, e));
    } finally {
      setBusy(false);
    }
  };
  const toggleSkill = (s: string) => setForm((f) => ({ ...f, skills: f.skills.includes(s) ? f.skills.filter((x) => x !== s) : [...f.skills, s] }));

  return (
    <>
      {error && (
        <p className="m-card m-error" data-testid="volunteer-error">
          {error}
        </p>
      )}
      {editing ? (
        <section className="m-card" data-testid="volunteer-form">
          <h2 style={{ marginTop: 0 }}>{inPool ? t('volunteers.editTitle') : t('volunteers.signUpTitle')}</h2>
          <fieldset className="m-field">
            <legend>{t('volunteers.tags')}</legend>
            <div className="m-chips">
              <label className={`m-chip${form.partyMember ? ' m-chip-on' : ''}`}>
                <input type="checkbox" checked={form.partyMember} onChange={(e) => setForm({ ...form, partyMember: e.target.checked })} data-testid="volunteer-party" />
                {t('volunteers.partyMember')}
              </label>
              <label className={`m-chip${form.youthLeague ? ' m-chip-on' : ''}`}>
                <input type="checkbox" checked={form.youthLeague} onChange={(e) => setForm({ ...form, youthLeague: e.target.checked })} data-testid="volunteer-youth" />
                {t('volunteers.youthLeague')}
              </label>
            </div>
          </fieldset>
          <fieldset className="m-field">
            <legend>{t('volunteers.skills')}</legend>
            <div className="m-chips">
              {[...new Set([...SUGGESTED_SKILLS, ...form.skills])].map((s) => (
                <label key={s} className={`m-chip${form.skills.includes(s) ? ' m-chip-on' : ''}`}>
                  <input type="checkbox" checked={form.skills.includes(s)} onChange={() => toggleSkill(s)} data-testid={`volunteer-skill-${s}`} />
                  {s}
                </label>
              ))}
            </div>
          </fieldset>
          <label className="m-field">
            <span>{t('volunteers.availability')}</span>
            <input value={form.availability ?? ''} maxLength={200} placeholder={t('volunteers.availabilityHint')} onChange={(e) => setForm({ ...form, availability: e.target.value })} data-testid="volunteer-availability" />
          </label>
          <button type="button" className="m-button m-primary" disabled={busy} onClick={() => void save()} data-testid="volunteer-save">
            {inPool ? t('volunteers.save') : t('volunteers.signUp')}
          </button>{' '}
          <button type="button" className="m-button" disabled={busy} onClick={() => setEditing(false)}>
            {t('volunteers.cancel')}
          </button>
        </section>
      ) : (
        <section className="m-card" data-testid="volunteer-profile">
          <h2 style={{ marginTop: 0 }}>{t('volunteers.title')}</h2>
          {inPool ? (
            <>
              <p data-testid="volunteer-status">{t('volunteers.inPool')}</p>
              <p className="m-muted">
                {[profile.partyMember ? t('volunteers.partyMember') : null, profile.youthLeague ? t('volunteers.youthLeague') : null, ...profile.skills].filter(Boolean).join(' · ') || t('volunteers.noTags')}
                {profile.availability ? ` · ${profile.availability}` : ''}
              </p>
              <button type="button" className="m-button" onClick={startEdit} data-testid="volunteer-edit">
                {t('volunteers.edit')}
              </button>{' '}
              <button type="button" className="m-link" disabled={busy} onClick={() => void leave()} data-testid="volunteer-leave">
                {t('volunteers.leave')}
              </button>
            </>
          ) : (
            <>
              <p>{t('volunteers.pitch')}</p>
              <button type="button" className="m-button m-primary" onClick={startEdit} data-testid="volunteer-start">
                {profile ? t('volunteers.rejoin') : t('volunteers.signUp')}
              </button>
            </>
          )}
        </section>
      )}
      {answer && profile && <MyShifts me={me} answer={answer} />}
    </>
  );
}

/** My volunteer shifts not yet ended, and the hours I have served. */
function MyShifts({ me, answer }: { me: Me; answer: MyVolunteer }) {
  const { t } = useI18n();
  const short = useShortTime(me);
  return (
    <section className="m-card" data-testid="volunteer-shifts">
      <h2 style={{ marginTop: 0 }}>{t('volunteers.myShifts')}</h2>
      <p className="m-muted" data-testid="volunteer-hours">
        {t('volunteers.hoursServed', { hours: answer.hoursServed })}
      </p>
      {answer.upcoming.length === 0 ? (
        <p className="m-muted">{t('volunteers.noShifts')}</p>
      ) : (
        <ul className="m-history">
          {answer.upcoming.map((s) => (
            <li key={s.shiftId} data-testid={`volunteer-shift-${s.shiftId}`}>
              <span className="m-grow">
                <strong>{s.title}</strong>
                <br />
                <span className="m-muted">{`${short(s.startsAt)} – ${short(s.endsAt)} · ${s.placeName ?? s.unitName}`}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
