import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api/client';
import { useLiveRefresh } from '../../components/useLiveRefresh';
import { formatDuration, remaining } from '../../console/incidents/timeLeft';
import type { Me } from '../api';
import { useI18n, type MobileKey, type Translate } from '../i18n';
import { DrillTag } from '../DrillTag';
import { reasonOf, useShortTime } from '../reasons';
import { navigate, useRest } from '../router';
import { useSession } from '../session';
import { FileIncidentForm } from './FileIncidentForm';
import { acknowledgeIncident, acknowledgeInstruction, activeIncidents, getIncident, incidentStreamUrl, type Incident, type IncidentDetail } from './incidents.api';

/**
 * 紧急事项 on the phone, for the duty officer on shift and anyone who files: what waits for my
 * acknowledgement (with its countdown) and the instructions from above to acknowledge, one
 * incident's page to acknowledge it with notes, and the form to file one.
 */
export default function IncidentsPage() {
  const { me } = useSession();
  const { t } = useI18n();
  const rest = useRest();
  if (!me) return null;
  if (me.grants.length === 0) return <p className="m-card">{t('incidents.noGrant')}</p>;
  if (rest === 'new') return <FileIncidentForm me={me} />;
  const id = Number(rest.split('/')[0]);
  return Number.isInteger(id) && id > 0 ? <IncidentView me={me} id={id} /> : <IncidentList />;
}

/** The server's reasons (English, stable) this page meets, in the page's language. */
const REASONS: Record<string, MobileKey> = {
  'must not be in the future': 'incidents.reasons.future',
  'no such person': 'incidents.reasons.noPerson',
  'is archived': 'incidents.reasons.archived',
  'The incident is not waiting for an acknowledgement': 'incidents.reasons.notWaiting',
  'The incident is closed': 'incidents.reasons.closed',
  'Already acknowledged': 'incidents.reasons.already',
  'Only the levels below the sender acknowledge an instruction': 'incidents.reasons.notBelow',
};
export const whyRefused = (t: Translate, err: unknown) => reasonOf(t, err, REASONS);

function useTicker(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The time left of a waiting level, run down by the phone's clock since the server answered. */
function TimeLeft({ ms, receivedAt, testId }: { ms: number; receivedAt: number; testId?: string }) {
  const { t } = useI18n();
  const left = remaining(ms, receivedAt, useTicker());
  return (
    <span className={left < 0 ? 'm-tag m-tag-bad' : 'm-tag'} data-testid={testId}>
      {left < 0 ? t('incidents.overdue', { time: formatDuration(-left) }) : t('incidents.timeLeft', { time: formatDuration(left) })}
    </span>
  );
}

function Row({ x, receivedAt }: { x: Incident; receivedAt: number }) {
  const { t } = useI18n();
  return (
    <li>
      <button type="button" className="m-link m-grow" style={{ textAlign: 'left', color: 'inherit' }} onClick={() => navigate(`incidents/${x.id}`)} data-testid={`m-incident-${x.id}`}>
        <span className={x.severity === 'critical' || x.severity === 'major' ? 'm-tag m-tag-bad' : 'm-tag'}>{t(`incidents.severities.${x.severity}`)}</span> {x.drill && <DrillTag testId={`m-incident-drill-${x.id}`} />}
        <strong>{x.title}</strong>
        <br />
        <span className="m-muted">
          {x.unitName} · {t(`incidents.kinds.${x.kind}`)} · {t('incidents.at', { unit: x.currentLevel.unitName })}
        </span>
      </button>
      {x.timeLeftMs !== null && <TimeLeft ms={x.timeLeftMs} receivedAt={receivedAt} />}
    </li>
  );
}

function IncidentList() {
  const { t } = useI18n();
  const [data, setData] = useState<{ items: Incident[]; receivedAt: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    activeIncidents().then(
      (r) => live && (setData({ items: r.items, receivedAt: Date.now() }), setError(null)),
      (e) => live && setError(whyRefused(t, e)),
    );
    return () => {
      live = false;
    };
  }, [t, tick]);
  useLiveRefresh({ url: incidentStreamUrl, events: ['incident'], throttleMs: 1_000 }, refresh);

  const groups = useMemo(() => {
    const items = data?.items ?? [];
    const waiting = items.filter((x) => x.abilities.acknowledge);
    const instructions = items.filter((x) => !x.abilities.acknowledge && x.abilities.acknowledgeInstruction);
    const others = items.filter((x) => !x.abilities.acknowledge && !x.abilities.acknowledgeInstruction);
    return { waiting, instructions, others };
  }, [data]);

  return (
    <>
      <button type="button" className="m-button m-primary" style={{ width: '100%', marginBottom: 12 }} onClick={() => navigate('incidents/new')} data-testid="m-incident-new">
        {t('incidents.file.title')}
      </button>
      {error && <p className="m-card m-error">{error}</p>}
      {!data && !error && <p className="m-card m-muted">{t('app.loading')}</p>}
      {data && groups.waiting.length === 0 && groups.instructions.length === 0 && (
        <p className="m-card m-center m-muted" data-testid="m-incidents-empty">
          {t('incidents.empty')}
        </p>
      )}
      {groups.waiting.length > 0 && (
        <section className="m-card" data-testid="m-incidents-waiting">
          <h2>{t('incidents.waitingForMe')}</h2>
          <ul className="m-history">
            {groups.waiting.map((x) => (
              <Row key={x.id} x={x} receivedAt={data!.receivedAt} />
            ))}
          </ul>
        </section>
      )}
      {groups.instructions.length > 0 && (
        <section className="m-card" data-testid="m-incidents-instructions">
          <h2>{t('incidents.instructionsForMe')}</h2>
          <ul className="m-history">
            {groups.instructions.map((x) => (
              <Row key={x.id} x={x} receivedAt={data!.receivedAt} />
            ))}
          </ul>
        </section>
      )}
      {groups.others.length > 0 && (
        <section className="m-card" data-testid="m-incidents-others">
          <h2>{t('incidents.others')}</h2>
          <ul className="m-history">
            {groups.others.map((x) => (
              <Row key={x.id} x={x} receivedAt={data!.receivedAt} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function IncidentView({ me, id }: { me: Me; id: number }) {
  const { t } = useI18n();
  const format = useShortTime(me);
  const [answer, setAnswer] = useState<{ x: IncidentDetail; receivedAt: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** Why the server refused the last action (the load's own failure is `error`). */
  const [refusal, setRefusal] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    getIncident(id).then(
      (x) => live && (setAnswer({ x, receivedAt: Date.now() }), setError(null)),
      (e) => live && setError(e instanceof ApiError && e.status === 404 ? t('incidents.notFound') : whyRefused(t, e)),
    );
    return () => {
      live = false;
    };
  }, [id, t, tick]);
  useLiveRefresh(
    { url: incidentStreamUrl, events: ['incident'], concerns: (d) => typeof d === 'object' && d !== null && (d as { incidentId?: unknown }).incidentId === id, throttleMs: 500 },
    refresh,
  );

  const act = async (send: () => Promise<IncidentDetail>, done: string) => {
    setBusy(true);
    try {
      setAnswer({ x: await send(), receivedAt: Date.now() });
      setNotice(done);
      setRefusal(null);
      setNote('');
    } catch (e) {
      setNotice(null);
      setRefusal(whyRefused(t, e));
      // Moved on meanwhile (acknowledged by someone else, passed up by the clock): show it as it now is.
      if (e instanceof ApiError && e.status === 409) refresh();
    } finally {
      setBusy(false);
    }
  };

  const x = answer?.x;
  const waiting = x?.levels.find((l) => l.state === 'waiting' && l.actorActs);
  return (
    <>
      <button type="button" className="m-link" onClick={() => navigate('incidents')} data-testid="m-incident-back">
        ‹ {t('incidents.back')}
      </button>
      {notice && (
        <p className="m-card m-ok" data-testid="m-incident-notice">
          {notice}
        </p>
      )}
      {(refusal ?? error) && (
        <p className="m-card m-error" data-testid="m-incident-error">
          {refusal ?? error}
        </p>
      )}
      {!x && !error && <p className="m-card m-muted">{t('app.loading')}</p>}
      {x && answer && (
        <>
          <section className="m-card" data-testid="m-incident">
            <h2>
              {x.drill && <DrillTag testId="m-incident-drill" />}
              {x.title}
            </h2>
            <p>
              <span className={x.severity === 'critical' || x.severity === 'major' ? 'm-tag m-tag-bad' : 'm-tag'}>{t(`incidents.severities.${x.severity}`)}</span>{' '}
              <span className="m-tag">{t(`incidents.kinds.${x.kind}`)}</span> <span className="m-tag" data-testid="m-incident-status">{t(`incidents.status.${x.status}`)}</span>{' '}
              {x.timeLeftMs !== null && <TimeLeft ms={x.timeLeftMs} receivedAt={answer.receivedAt} testId="m-incident-timeleft" />}
            </p>
            <p className="m-muted">
              {x.unitName}
              {x.place ? ` · ${x.place}` : ''} · {format(x.occurredAt)}
            </p>
            <p style={{ whiteSpace: 'pre-wrap' }}>{x.description}</p>
            <p className="m-muted">
              {t('incidents.at', { unit: x.currentLevel.unitName })} · {t('incidents.top', { unit: x.topLevel.unitName })}
              {x.skippedLevels > 0 ? ` · ${t('incidents.skipped', { n: x.skippedLevels })}` : ''}
            </p>
          </section>
          {x.abilities.acknowledge && (
            <section className="m-card" data-testid="m-incident-ack">
              <label className="m-field">
                <span>{t('incidents.note')}</span>
                <textarea rows={3} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} data-testid="m-incident-ack-note" />
              </label>
              <button type="button" className="m-big" disabled={busy} onClick={() => void act(() => acknowledgeIncident(id, note.trim()), t('incidents.acknowledged'))} data-testid="m-incident-acknowledge">
                {busy ? t('incidents.sending') : waiting && !waiting.isTop ? t('incidents.acknowledgeUp') : t('incidents.acknowledge')}
              </button>
            </section>
          )}
          {x.instructions.length > 0 && (
            <section className="m-card" data-testid="m-incident-instructions">
              <h2>{t('incidents.instructions')}</h2>
              <ul className="m-history">
                {x.instructions.map((ins) => (
                  <li key={ins.id} style={{ flexWrap: 'wrap' }} data-testid={`m-instruction-${ins.id}`}>
                    <span className="m-grow">
                      <strong>{t('incidents.from', { unit: ins.fromUnitName })}</strong>
                      <span className="m-muted"> · {format(ins.at)}</span>
                      <br />
                      <span style={{ whiteSpace: 'pre-wrap' }} data-testid={`m-instruction-text-${ins.id}`}>
                        {ins.text}
                      </span>
                    </span>
                    {ins.canAcknowledge && (
                      <button type="button" className="m-button m-primary" disabled={busy} onClick={() => void act(() => acknowledgeInstruction(id, ins.id), t('incidents.instructionAcked'))} data-testid={`m-instruction-ack-${ins.id}`}>
                        {t('incidents.ackInstruction')}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section className="m-card">
            <h2>{t('incidents.levels')}</h2>
            <ul className="m-history">
              {x.levels.map((l) => (
                <li key={l.id} data-testid={`m-level-${l.position}`} data-state={l.state}>
                  <span className="m-grow">
                    {l.unitName}
                    {l.acknowledgedByName ? <span className="m-muted"> · {l.acknowledgedByName}</span> : null}
                  </span>
                  <span className={l.state === 'skipped' ? 'm-tag m-tag-bad' : 'm-tag'}>{t(`incidents.levelStates.${l.state}`)}</span>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}
