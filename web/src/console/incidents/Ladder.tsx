import { Card, Space, Steps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IncidentDetail, IncidentLevel, LevelState } from '../../api/incidents';
import { useFormatTime } from '../../components/format';
import { Countdown, LevelStateTag } from './bits';

const STEP_STATUS: Record<LevelState, 'wait' | 'process' | 'finish' | 'error'> = { pending: 'wait', waiting: 'process', acknowledged: 'finish', skipped: 'error' };

/**
 * The levels an incident must pass, from its own unit up to the one its severity requires: each
 * level's state, when it was reached, its time limit and deadline (a live countdown while it waits),
 * who acknowledged it, and when it was alerted or skipped.
 */
export function Ladder({ incident, receivedAt, serverOffset }: { incident: IncidentDetail; receivedAt: number; serverOffset: number }) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const line = (label: string, at: number | null) => at !== null && <div>{`${label} ${formatTime(at)}`}</div>;

  const describe = (l: IncidentLevel) => (
    <div style={{ fontSize: 12 }} data-testid={`incident-level-${l.position}`} data-state={l.state}>
      <Space size={4} wrap>
        <LevelStateTag state={l.state} />
        {l.isTop && <Tag color="purple">{t('incidents.page.top')}</Tag>}
        {l.limitMinutes !== null && <Typography.Text type="secondary">{t('incidents.page.limit', { n: l.limitMinutes })}</Typography.Text>}
      </Space>
      {l.state === 'waiting' && l.deadline !== null && (
        <div>
          {`${t('incidents.page.deadline')} ${formatTime(l.deadline)} `}
          {/* The deadline by the server's clock, run down by the browser's since the answer. */}
          <Countdown timeLeftMs={l.deadline - (receivedAt + serverOffset)} receivedAt={receivedAt} testId={`incident-level-countdown-${l.position}`} />
        </div>
      )}
      {line(t('incidents.page.arrivedAt'), l.arrivedAt)}
      {l.acknowledgedAt !== null && (
        <div>
          {`${t('incidents.page.acknowledgedBy', { name: l.acknowledgedByName ?? '—' })} · ${formatTime(l.acknowledgedAt)}`}
          {l.ackNote && <div style={{ whiteSpace: 'pre-wrap' }}>“{l.ackNote}”</div>}
        </div>
      )}
      {line(t('incidents.events.alerted'), l.alertedAt)}
      {line(t('incidents.events.skipped'), l.skippedAt)}
      {line(t('incidents.events.realerted'), l.realertedAt)}
    </div>
  );

  return (
    <Card size="small" title={t('incidents.page.ladder')} style={{ marginBottom: 16 }}>
      <Steps
        direction="vertical"
        size="small"
        current={incident.currentLevel.position}
        items={incident.levels.map((l) => ({
          status: STEP_STATUS[l.state],
          title: <span data-testid={`incident-level-name-${l.position}`}>{l.unitName}</span>,
          description: describe(l),
        }))}
      />
    </Card>
  );
}
