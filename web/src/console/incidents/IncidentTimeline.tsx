import { Card, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IncidentDetail, IncidentEvent, IncidentEventKind } from '../../api/incidents';
import { useFormatTime } from '../../components/format';

const COLOURS: Partial<Record<IncidentEventKind, string>> = {
  filed: 'blue',
  acknowledged: 'green',
  escalated: 'blue',
  alerted: 'orange',
  skipped: 'red',
  realerted: 'red',
  instructed: 'purple',
  instruction_acknowledged: 'green',
  resolved: 'green',
  closed: 'gray',
};

/** Every step of an incident, oldest first: who did what at which level, who was told, and the notes. */
export function IncidentTimeline({ incident }: { incident: IncidentDetail }) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const unitAt = new Map(incident.levels.map((l) => [l.position, l.unitName]));

  const detailOf = (ev: IncidentEvent): string | null => {
    const parts: string[] = [];
    if (ev.detail.toPosition !== undefined) parts.push(`→ ${unitAt.get(ev.detail.toPosition) ?? ev.detail.toPosition}`);
    if (ev.detail.recipients?.length) parts.push(ev.detail.recipients.join('、'));
    return parts.length ? parts.join(' · ') : null;
  };

  return (
    <Card size="small" title={t('incidents.page.timeline')}>
      <Timeline
        data-testid="incident-events"
        items={incident.events.map((ev) => {
          const detail = detailOf(ev);
          return {
            color: COLOURS[ev.kind] ?? 'gray',
            children: (
              <div data-testid={`incident-event-${ev.kind}`} data-position={ev.levelPosition ?? undefined}>
                <Typography.Text strong>{t(`incidents.events.${ev.kind}`)}</Typography.Text>
                {ev.unitName && <Typography.Text>{` · ${ev.unitName}`}</Typography.Text>}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {`${ev.actorName ?? t('incidents.system')} · ${formatTime(ev.at)}`}
                  </Typography.Text>
                </div>
                {detail && (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {detail}
                    </Typography.Text>
                  </div>
                )}
                {ev.note && <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{ev.note}</Typography.Text>}
              </div>
            ),
          };
        })}
      />
    </Card>
  );
}
