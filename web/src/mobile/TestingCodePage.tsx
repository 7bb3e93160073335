import { useCallback, useEffect, useMemo, useState } from 'react';
import qrcode from 'qrcode-generator';
import type { z } from 'zod';
import type { MyCampaigns } from '../../../common/schemas/campaigns.js';
import { ApiError } from '../api/client';
import { call } from './api';
import { useI18n } from './i18n';
import { useSession } from './session';

type MyCampaign = z.infer<typeof MyCampaigns>['items'][number];

/** The page's calls; the server validates every answer against the shared schemas. */
const myCampaigns = () => call<z.infer<typeof MyCampaigns>>('GET', '/api/v1/campaigns/mine');
/** One's own sample of today (a repeat the same day is the same sample). */
const recordOwnSample = (campaignId: number) => call<unknown>('POST', `/api/v1/campaigns/${campaignId}/samples`, { body: {} });

/**
 * 我的核酸码: for each open testing campaign the person is due in, their code as a QR code and as
 * text. The liaison scans it (or types the text) at the sampling point; a sample recorded today
 * shows here on the next load.
 */
export default function TestingCodePage() {
  const { me } = useSession();
  const { t } = useI18n();
  const [items, setItems] = useState<MyCampaign[] | null>(null);
  const [state, setState] = useState<'loading' | 'ok' | 'offline' | 'error'>('loading');

  const load = useCallback(async () => {
    setState('loading');
    try {
      setItems((await myCampaigns()).items);
      setState('ok');
    } catch (e) {
      setState(e instanceof ApiError && e.code === 'network' ? 'offline' : 'error');
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  if (!me) return null;
  if (me.user.personId === null) return <p className="m-card">{t('testCode.noPerson')}</p>;
  if (state === 'loading' && items === null) return <p className="m-card m-center m-muted">{t('app.loading')}</p>;
  if (state === 'offline' || state === 'error')
    return (
      <div className="m-card m-center">
        <p className="m-error">{t(state === 'offline' ? 'app.offline' : 'app.error')}</p>
        <button type="button" className="m-button" onClick={() => void load()}>
          {t('app.retry')}
        </button>
      </div>
    );
  if (!items || items.length === 0) return <p className="m-card m-center m-muted" data-testid="test-code-empty">{t('testCode.empty')}</p>;
  return (
    <>
      {items.map((c) => (
        <CodeCard key={c.id} campaign={c} onSampled={() => void load()} />
      ))}
      <button type="button" className="m-button" style={{ width: '100%' }} onClick={() => void load()} data-testid="test-code-refresh">
        {t('testCode.refresh')}
      </button>
    </>
  );
}

const RESULT_CLASS: Record<string, string> = { positive: 'm-tag m-tag-bad', negative: 'm-tag', invalid: 'm-tag' };

function CodeCard({ campaign: c, onSampled }: { campaign: MyCampaign; onSampled(): void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  // Where nobody scans codes, the person says they were sampled; the liaison's list shows it at once.
  const recordOwn = async () => {
    setBusy(true);
    setFailed(null);
    try {
      await recordOwnSample(c.id);
      onSampled();
    } catch (e) {
      setFailed(t(e instanceof ApiError && e.code === 'network' ? 'app.offline' : 'app.error'));
    } finally {
      setBusy(false);
    }
  };
  // The code is upper-case letters, digits and dashes: QR's compact alphanumeric mode.
  const svg = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(c.code, 'Alphanumeric');
    qr.make();
    return qr.createSvgTag({ cellSize: 6, margin: 2, scalable: true });
  }, [c.code]);
  return (
    <section className="m-card" data-testid={`test-code-${c.id}`}>
      <h2 style={{ margin: '0 0 4px', fontSize: 18 }}>{c.name}</h2>
      <p className="m-muted" style={{ margin: 0 }}>
        {t('testCode.days', { start: c.startDay, end: c.endDay })}
      </p>
      <div style={{ maxWidth: 260, margin: '12px auto' }} role="img" aria-label={t('testCode.qrLabel')} dangerouslySetInnerHTML={{ __html: svg }} />
      <p style={{ textAlign: 'center', fontFamily: 'monospace', fontSize: 20, letterSpacing: 1, wordBreak: 'break-all', margin: '0 0 8px' }} data-testid="test-code-text">
        {c.code}
      </p>
      <p className="m-center" style={{ margin: 0 }}>
        {c.sampledToday ? <span className="m-tag">{t('testCode.sampledToday')}</span> : <span className="m-muted">{t('testCode.showIt')}</span>}
        {c.result && <span className={RESULT_CLASS[c.result]} style={{ marginLeft: 8 }}>{t(`testCode.result.${c.result}`)}</span>}
      </p>
      {!c.sampledToday && (
        <button type="button" className="m-button" style={{ width: '100%', marginTop: 12 }} disabled={busy} onClick={() => void recordOwn()} data-testid={`test-code-self-${c.id}`}>
          {busy ? t('testCode.sending') : t('testCode.selfSampled')}
        </button>
      )}
      {failed && <p className="m-error">{failed}</p>}
    </section>
  );
}
