import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import type { Me } from '../api';
import { useI18n, type MobileKey, type Translate } from '../i18n';
import { DrillTag } from '../DrillTag';
import { reasonOf, useShortTime } from '../reasons';
import { navigate, useRest } from '../router';
import { useSession } from '../session';
import { acknowledgeTask, attachmentUrl, completeTask, getTask, myTasks, uploadFile, type Task, type TaskDetail } from './tasks.api';

/** 我的任务: the tasks the signed-in person answers for; open one to acknowledge it or report it done with text and a photo. */
export default function MyTasksPage() {
  const { me } = useSession();
  const { t } = useI18n();
  if (!me) return null;
  if (me.user.personId === null) return <p className="m-card">{t('tasks.noPerson')}</p>;
  return <MyTasks me={me} />;
}

function StatusTag({ task, t }: { task: Pick<Task, 'status' | 'overdue'>; t: Translate }) {
  if (task.overdue) return <span className="m-tag m-tag-bad">{t('tasks.status.overdue')}</span>;
  return <span className={task.status === 'assigned' ? 'm-tag m-tag-bad' : 'm-tag'}>{t(`tasks.status.${task.status}` as MobileKey)}</span>;
}

function MyTasks({ me }: { me: Me }) {
  const rest = useRest();
  const id = Number(rest.split('/')[0]);
  return Number.isInteger(id) && id > 0 ? <TaskView me={me} id={id} /> : <TaskList me={me} />;
}

function TaskList({ me }: { me: Me }) {
  const { t } = useI18n();
  const format = useShortTime(me);
  const [state, setState] = useState<'open' | 'done' | 'all'>('open');
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setTasks(null);
    myTasks(state).then(
      (r) => live && (setTasks(r.items), setError(null)),
      (e) => live && setError(reasonOf(t, e)),
    );
    return () => {
      live = false;
    };
  }, [state, t]);

  return (
    <>
      <div className="m-chips" role="tablist">
        {(['open', 'done', 'all'] as const).map((s) => (
          <button key={s} type="button" role="tab" aria-selected={state === s} className={state === s ? 'm-chip m-chip-on' : 'm-chip'} onClick={() => setState(s)} data-testid={`mytasks-${s}`}>
            {t(`tasks.tabs.${s}`)}
          </button>
        ))}
      </div>
      <section className="m-card" data-testid="mytasks-list">
        {error && <p className="m-error">{error}</p>}
        {!tasks && !error && <p className="m-muted">{t('app.loading')}</p>}
        {tasks?.length === 0 && <p className="m-muted">{t('tasks.empty')}</p>}
        <ul className="m-history">
          {tasks?.map((task) => (
            <li key={task.id}>
              <button type="button" className="m-link m-grow" style={{ textAlign: 'left', color: 'inherit' }} onClick={() => navigate(`tasks/${task.id}`)} data-testid={`mytask-${task.id}`}>
                {task.drill && <DrillTag testId={`mytask-drill-${task.id}`} />}
                <strong>{task.title}</strong>
                <br />
                <span className="m-muted">
                  {task.unitName} · {t('tasks.due', { time: format(task.deadline) })}
                </span>
              </button>
              <StatusTag task={task} t={t} />
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function TaskView({ me, id }: { me: Me; id: number }) {
  const { t } = useI18n();
  const format = useShortTime(me);
  const [task, setTask] = useState<TaskDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setTask(await getTask(id));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? t('tasks.notFound') : reasonOf(t, e));
    }
  }, [id, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const acknowledge = async () => {
    setBusy(true);
    try {
      setTask(await acknowledgeTask(id));
      setNotice(t('tasks.acknowledged'));
    } catch (e) {
      setError(reasonOf(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="m-link" onClick={() => navigate('tasks')} data-testid="mytask-back">
        ‹ {t('tasks.back')}
      </button>
      {notice && (
        <p className="m-card m-ok" data-testid="mytask-notice">
          {notice}
        </p>
      )}
      {error && <p className="m-card m-error">{error}</p>}
      {!task && !error && <p className="m-card m-muted">{t('app.loading')}</p>}
      {task && (
        <>
          <section className="m-card" data-testid="mytask">
            <h2>
              {task.drill && <DrillTag testId="mytask-drill" />}
              {task.title}
            </h2>
            <p>
              <StatusTag task={task} t={t} />
              {task.directiveSource === 'inspection' && (
                <span className="m-tag" style={{ marginInlineStart: 6 }} data-testid="mytask-rectification">
                  {t('tasks.rectification')}
                </span>
              )}
            </p>
            <p className="m-muted">
              {task.unitName} · {t('tasks.due', { time: format(task.deadline) })}
            </p>
            <p className="m-muted">{t('tasks.needs', { what: task.evidence.map((k) => t(`tasks.evidence.${k}`)).join('、') })}</p>
            {task.returnReason && <p className="m-error">{t('tasks.returnedBecause', { reason: task.returnReason })}</p>}
            {task.instructions && <p style={{ whiteSpace: 'pre-wrap' }}>{task.instructions}</p>}
            {/* What was found (an inspection's photos travel on its directive): shown, not hidden in the text below. */}
            {task.directiveAttachments.some((f) => f.image) && (
              <div className="m-chips" data-testid="mytask-found-photos">
                {task.directiveAttachments
                  .filter((f) => f.image)
                  .map((f) => (
                    <a key={f.id} href={attachmentUrl(f.id)} target="_blank" rel="noreferrer">
                      <img src={attachmentUrl(f.id)} alt={f.fileName} style={{ width: 96, height: 96, objectFit: 'cover', borderRadius: 8 }} />
                    </a>
                  ))}
              </div>
            )}
            <details>
              <summary className="m-muted">{t('tasks.directive')}</summary>
              <p style={{ whiteSpace: 'pre-wrap' }}>{task.directiveBody}</p>
            </details>
            {task.abilities.acknowledge && (
              <button type="button" className="m-big" disabled={busy} onClick={() => void acknowledge()} data-testid="mytask-acknowledge">
                {t('tasks.acknowledge')}
              </button>
            )}
          </section>
          {task.abilities.complete && (
            <CompleteForm
              task={task}
              onDone={(next) => {
                setTask(next);
                setNotice(t('tasks.completed'));
                window.scrollTo(0, 0);
              }}
            />
          )}
          {(task.report || task.photoIds.length > 0) && (
            <section className="m-card">
              <h2>{t('tasks.myReport')}</h2>
              {task.report && <p style={{ whiteSpace: 'pre-wrap' }}>{task.report}</p>}
              {task.photoIds.map((p) => (
                <img key={p} src={attachmentUrl(p)} alt="" style={{ maxWidth: '100%', borderRadius: 8, marginTop: 8 }} />
              ))}
            </section>
          )}
          <section className="m-card">
            <h2>{t('tasks.history')}</h2>
            <ul className="m-history">
              {task.events.map((ev) => (
                <li key={ev.id}>
                  <span className="m-grow">
                    {t(`tasks.events.${ev.action}` as MobileKey)}
                    {ev.note ? ` · ${ev.note}` : ''}
                  </span>
                  <span className="m-muted">{format(ev.at)}</span>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}

interface Upload {
  key: string;
  name: string;
  preview: string | null;
  id: number | null;
  error: string | null;
}

/** Report done: the text and a photo straight from the camera (uploaded as soon as it is taken), and files if the task asks for them. */
function CompleteForm({ task, onDone }: { task: TaskDetail; onDone(t: TaskDetail): void }) {
  const { t } = useI18n();
  const [report, setReport] = useState('');
  const [photos, setPhotos] = useState<Upload[]>([]);
  const [files, setFiles] = useState<Upload[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needs = (k: 'report' | 'photo' | 'file') => task.evidence.includes(k);

  // Free the previews' memory when the form goes away (not before: they are on screen until then).
  const previews = useRef<string[]>([]);
  useEffect(() => () => previews.current.forEach((u) => URL.revokeObjectURL(u)), []);

  const add = (list: FileList | null, image: boolean) => {
    const set = image ? setPhotos : setFiles;
    for (const file of Array.from(list ?? [])) {
      const key = `${Date.now()}-${Math.random()}`;
      const preview = image ? URL.createObjectURL(file) : null;
      if (preview) previews.current.push(preview);
      set((prev) => [...prev, { key, name: file.name, preview, id: null, error: null }]);
      uploadFile(file).then(
        (a) => set((prev) => prev.map((u) => (u.key === key ? { ...u, id: a.id } : u))),
        (e) => set((prev) => prev.map((u) => (u.key === key ? { ...u, error: reasonOf(t, e) } : u))),
      );
    }
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const photoIds = photos.flatMap((p) => (p.id === null ? [] : [p.id]));
    const fileIds = files.flatMap((p) => (p.id === null ? [] : [p.id]));
    if (photos.some((p) => p.id === null && !p.error) || files.some((p) => p.id === null && !p.error)) return setError(t('tasks.uploading'));
    if (needs('report') && !report.trim()) return setError(t('tasks.needReport'));
    if (needs('photo') && photoIds.length === 0) return setError(t('tasks.needPhoto'));
    if (needs('file') && fileIds.length === 0) return setError(t('tasks.needFile'));
    setError(null);
    setBusy(true);
    try {
      onDone(await completeTask(task.id, { ...(report.trim() ? { report: report.trim() } : {}), photoIds, fileIds }));
    } catch (err) {
      setError(reasonOf(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="m-card" onSubmit={(e) => void submit(e)} noValidate data-testid="mytask-complete">
      <h2>{t('tasks.complete')}</h2>
      <label className="m-field">
        <span>{t('tasks.report')}</span>
        <textarea rows={4} value={report} onChange={(e) => setReport(e.target.value)} maxLength={10000} data-testid="mytask-report" />
      </label>
      <label className="m-field">
        <span>{t('tasks.photo')}</span>
        <input type="file" accept="image/*" capture="environment" onChange={(e) => (add(e.target.files, true), (e.target.value = ''))} data-testid="mytask-photo" />
      </label>
      {photos.length > 0 && (
        <div className="m-chips">
          {photos.map((p) => (
            <span key={p.key} style={{ position: 'relative' }}>
              {p.preview && <img src={p.preview} alt={p.name} style={{ width: 72, height: 72, objectFit: 'cover', borderRadius: 8, opacity: p.id === null ? 0.5 : 1 }} data-testid={p.id === null ? undefined : 'mytask-photo-uploaded'} />}
              {p.error && <span className="m-error">{p.error}</span>}
            </span>
          ))}
        </div>
      )}
      {needs('file') && (
        <label className="m-field">
          <span>{t('tasks.file')}</span>
          <input type="file" onChange={(e) => (add(e.target.files, false), (e.target.value = ''))} data-testid="mytask-file" />
          {files.map((f) => (
            <span key={f.key} className={f.error ? 'm-error' : 'm-muted'}>
              {f.name} {f.error ?? (f.id === null ? '…' : '✓')}
            </span>
          ))}
        </label>
      )}
      {error && (
        <p className="m-error" data-testid="mytask-error">
          {error}
        </p>
      )}
      <button type="submit" className="m-button m-primary" style={{ width: '100%' }} disabled={busy} data-testid="mytask-submit">
        {busy ? t('tasks.sending') : t('tasks.submit')}
      </button>
    </form>
  );
}
