import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Me } from '../api';
import { useI18n, type MobileKey } from '../i18n';
import { reasonOf } from '../reasons';
import { uploadFile } from '../tasks/tasks.api';
import { inspectPlace, type Inspection, type PlaceDetail } from './places.api';

type Result = 'passed' | 'failed' | 'not_applicable';
const RESULTS: readonly Result[] = ['passed', 'failed', 'not_applicable'];

interface Upload {
  key: string;
  name: string;
  preview: string;
  id: number | null;
  error: string | null;
}
interface Answer {
  result: Result | null;
  note: string;
  photos: Upload[];
  /** A note or photo asked for on an item that did not fail (a failed one always shows them). */
  more: boolean;
}

/** Photos straight from the camera, each uploaded as soon as it is taken; the previews show which are through. */
function Photos({ photos, onAdd, testId }: { photos: Upload[]; onAdd(files: FileList | null): void; testId: string }) {
  const { t } = useI18n();
  return (
    <>
      <label className="m-field">
        <span>{t('inspect.photo')}</span>
        <input type="file" accept="image/*" capture="environment" onChange={(e) => (onAdd(e.target.files), (e.target.value = ''))} data-testid={testId} />
      </label>
      {photos.length > 0 && (
        <div className="m-chips">
          {photos.map((p) => (
            <span key={p.key}>
              <img src={p.preview} alt={p.name} style={{ width: 64, height: 64, objectFit: 'cover', borderRadius: 8, opacity: p.id === null ? 0.5 : 1 }} data-testid={p.id === null ? undefined : `${testId}-uploaded`} />
              {p.error && <span className="m-error">{p.error}</span>}
            </span>
          ))}
        </div>
      )}
    </>
  );
}

/** The inspection itself: every current item passed, failed (say what, take a photo) or not applicable; an overall note; submit. */
export function InspectForm({ place, onDone }: { me: Me; place: PlaceDetail; onDone(x: Inspection): void }) {
  const { t } = useI18n();
  const items = place.checklist.filter((i) => i.retiredAt === null);
  const [answers, setAnswers] = useState<Record<number, Answer>>(() => Object.fromEntries(items.map((i) => [i.id, { result: null, note: '', photos: [], more: false }])));
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<Upload[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<Set<number>>(new Set());
  const [busy, setBusy] = useState(false);

  // Free the previews' memory when the form goes away (they are on screen until then).
  const previews = useRef<string[]>([]);
  useEffect(() => () => previews.current.forEach((u) => URL.revokeObjectURL(u)), []);

  const setAnswer = (id: number, change: (a: Answer) => Answer) => {
    setAnswers((prev) => ({ ...prev, [id]: change(prev[id]!) }));
    setError(null);
  };
  /** An item the last submit stopped on that still wants an answer (or, failed, a note): outlined until it has one. */
  const wanting = (id: number) => {
    const a = answers[id]!;
    return invalid.has(id) && (a.result === null || (a.result === 'failed' && !a.note.trim()));
  };
  /** Upload each picked photo; `place` says where its state lives (an item's photos, or the overall ones). */
  const add = (files: FileList | null, itemId: number | null) => {
    const update = (fn: (list: Upload[]) => Upload[]) => (itemId === null ? setPhotos(fn) : setAnswer(itemId, (a) => ({ ...a, photos: fn(a.photos) })));
    for (const file of Array.from(files ?? [])) {
      const key = `${Date.now()}-${Math.random()}`;
      const preview = URL.createObjectURL(file);
      previews.current.push(preview);
      update((list) => [...list, { key, name: file.name, preview, id: null, error: null }]);
      uploadFile(file).then(
        (a) => update((list) => list.map((u) => (u.key === key ? { ...u, id: a.id } : u))),
        (e) => update((list) => list.map((u) => (u.key === key ? { ...u, error: reasonOf(t, e) } : u))),
      );
    }
  };
  const idsOf = (list: Upload[]) => list.flatMap((u) => (u.id === null ? [] : [u.id]));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const all = [...photos, ...Object.values(answers).flatMap((a) => a.photos)];
    if (all.some((u) => u.id === null && !u.error)) return setError(t('inspect.uploading'));
    const unanswered = items.filter((i) => answers[i.id]!.result === null);
    const noNote = items.filter((i) => answers[i.id]!.result === 'failed' && !answers[i.id]!.note.trim());
    setInvalid(new Set([...unanswered, ...noNote].map((i) => i.id)));
    if (unanswered.length > 0) return setError(t('inspect.unanswered', { items: unanswered.map((i) => i.text).join('、') }));
    if (noNote.length > 0) return setError(t('inspect.needNote', { items: noNote.map((i) => i.text).join('、') }));
    setError(null);
    setBusy(true);
    try {
      const x = await inspectPlace(place.id, {
        items: items.map((i) => {
          const a = answers[i.id]!;
          return { itemId: i.id, result: a.result!, ...(a.note.trim() ? { note: a.note.trim() } : {}), photoIds: idsOf(a.photos) };
        }),
        ...(note.trim() ? { note: note.trim() } : {}),
        photoIds: idsOf(photos),
      });
      onDone(x);
    } catch (err) {
      setError(reasonOf(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="m-inspect-form">
      {items.map((i, n) => {
        const a = answers[i.id]!;
        return (
          <section key={i.id} className="m-card" role="group" aria-label={i.text} style={{ outline: wanting(i.id) ? '1px solid #cf1322' : undefined }} data-testid={`m-inspect-item-${i.id}`}>
            <p className="m-muted" style={{ margin: 0 }}>
              {t('inspect.itemN', { n: n + 1 })}
            </p>
            <h2 style={{ marginTop: 0 }}>{i.text}</h2>
            {i.openFinding && <p className="m-error">{t('inspect.hasOpenFinding')}</p>}
            <div className="m-chips" role="radiogroup">
              {RESULTS.map((r) => (
                <button
                  key={r}
                  type="button"
                  role="radio"
                  aria-checked={a.result === r}
                  className={a.result === r ? 'm-chip m-chip-on' : 'm-chip'}
                  onClick={() => setAnswer(i.id, (x) => ({ ...x, result: r }))}
                  data-testid={`m-inspect-item-${i.id}-${r}`}
                >
                  {t(`inspect.results.${r}` as MobileKey)}
                </button>
              ))}
            </div>
            {a.result !== 'failed' && !a.more && (
              <button type="button" className="m-link" onClick={() => setAnswer(i.id, (x) => ({ ...x, more: true }))} data-testid={`m-inspect-item-${i.id}-more`}>
                {t('inspect.more')}
              </button>
            )}
            {(a.result === 'failed' || a.more) && (
              <>
                <label className="m-field">
                  <span>{a.result === 'failed' ? t('inspect.noteRequired') : t('inspect.note')}</span>
                  <textarea
                    rows={3}
                    maxLength={1000}
                    value={a.note}
                    aria-invalid={wanting(i.id)}
                    onChange={(e) => setAnswer(i.id, (x) => ({ ...x, note: e.target.value }))}
                    data-testid={`m-inspect-item-${i.id}-note`}
                  />
                </label>
                <Photos photos={a.photos} onAdd={(f) => add(f, i.id)} testId={`m-inspect-item-${i.id}-photo`} />
              </>
            )}
          </section>
        );
      })}
      <section className="m-card">
        <label className="m-field">
          <span>{t('inspect.overall')}</span>
          <textarea rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="m-inspect-note" />
        </label>
        <Photos photos={photos} onAdd={(f) => add(f, null)} testId="m-inspect-photo" />
        {error && (
          <p className="m-error" data-testid="m-inspect-error">
            {error}
          </p>
        )}
        <button type="submit" className="m-button m-primary" style={{ width: '100%' }} disabled={busy} data-testid="m-inspect-submit">
          {busy ? t('inspect.sending') : t('inspect.submit')}
        </button>
      </section>
    </form>
  );
}
