import { useEffect, useState } from 'react';
import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IncidentKind, IncidentSeverity, IncidentStatus, LevelState } from '../../api/incidents';
import { formatDuration, remaining } from './timeLeft';

/** Most severe red, then orange, gold, blue: the colours the group's own emergency plans use (Ⅰ红 Ⅱ橙 Ⅲ黄 Ⅳ蓝). */
export const SEVERITY_COLOURS: Record<IncidentSeverity, string> = { critical: 'red', major: 'orange', serious: 'gold', general: 'blue' };
const STATUS_COLOURS: Record<IncidentStatus, string> = { open: 'processing', resolved: 'cyan', closed: 'default' };
export const LEVEL_COLOURS: Record<LevelState, string> = { pending: 'default', waiting: 'gold', acknowledged: 'green', skipped: 'red' };

export function SeverityTag({ severity }: { severity: IncidentSeverity }) {
  const { t } = useTranslation();
  return (
    <Tag color={SEVERITY_COLOURS[severity]} data-testid={`severity-${severity}`}>
      {t(`incidents.severities.${severity}`)}
    </Tag>
  );
}

export function KindTag({ kind }: { kind: IncidentKind }) {
  const { t } = useTranslation();
  return <Tag>{t(`incidents.kinds.${kind}`)}</Tag>;
}

export function StatusTag({ status }: { status: IncidentStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[status]} data-testid={`incident-status-${status}`}>
      {t(`incidents.status.${status}`)}
    </Tag>
  );
}

export function LevelStateTag({ state }: { state: LevelState }) {
  const { t } = useTranslation();
  return <Tag color={LEVEL_COLOURS[state]}>{t(`incidents.levelStates.${state}`)}</Tag>;
}

/** The browser's clock, re-read every `ms` while the component is shown (for countdowns). */
export function useTicker(ms = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * A live countdown of the server's `timeLeftMs` (answered when the browser's clock read
 * `receivedAt`): red and marked overdue once it has run out.
 */
export function Countdown({ timeLeftMs, receivedAt, testId }: { timeLeftMs: number; receivedAt: number; testId?: string }) {
  const { t } = useTranslation();
  const now = useTicker();
  const left = remaining(timeLeftMs, receivedAt, now);
  if (left < 0) {
    return (
      <Space size={4} data-testid={testId} data-overdue="true">
        <Tag color="red">{t('incidents.board.overdue')}</Tag>
        <Typography.Text type="danger">{formatDuration(left)}</Typography.Text>
      </Space>
    );
  }
  return (
    <Typography.Text type={left < 60_000 ? 'warning' : undefined} data-testid={testId} data-overdue="false" style={{ fontVariantNumeric: 'tabular-nums' }}>
      {formatDuration(left)}
    </Typography.Text>
  );
}
