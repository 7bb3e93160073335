import { useCallback, useEffect, useState } from 'react';
import { Breadcrumb, Card, Col, Descriptions, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { getIncident, incidentStreamUrl, type IncidentDetail } from '../../api/incidents';
import { describeError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useLiveRefresh } from '../../components/useLiveRefresh';
import { DrillTag } from '../plans/bits';
import { PlanRuns } from '../plans/PlanRuns';
import { KindTag, SeverityTag, StatusTag } from './bits';
import { IncidentActions } from './IncidentActions';
import { IncidentTimeline } from './IncidentTimeline';
import { Instructions } from './Instructions';
import { Ladder } from './Ladder';
import { clockOffset } from './timeLeft';

/**
 * One incident: what happened, the ladder of levels with each one's state and deadline, the
 * instructions sent down, the timeline, and the actions the user may take; kept current by the
 * live stream (another level's acknowledgement, an escalation job) while it is open.
 */
export default function IncidentPage() {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const id = Number(useParams().id);
  const [answer, setAnswer] = useState<{ incident: IncidentDetail; receivedAt: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const show = useCallback((incident: IncidentDetail) => setAnswer({ incident, receivedAt: Date.now() }), []);

  useEffect(() => {
    let live = true;
    getIncident(id).then(
      (x) => {
        if (!live) return;
        setError(null);
        show(x);
      },
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [id, tick, show]);

  useLiveRefresh(
    {
      url: incidentStreamUrl(),
      events: ['incident'],
      concerns: (data) => typeof data === 'object' && data !== null && (data as { incidentId?: unknown }).incidentId === id,
      throttleMs: 500,
      enabled: Number.isInteger(id) && id > 0,
    },
    refresh,
  );

  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return <Result status={missing ? '404' : 'warning'} title={missing ? t('incidents.page.notFound') : describeError(t, error)} extra={<Link to="/duty/incidents">{t('incidents.board.title')}</Link>} />;
  }
  if (!answer || answer.incident.id !== id) return <Skeleton active paragraph={{ rows: 8 }} />;
  const { incident: x, receivedAt } = answer;
  const offset = clockOffset({ deadline: x.currentLevel.deadline, timeLeftMs: x.timeLeftMs }, receivedAt);

  return (
    <>
      <PageHeader
        breadcrumb={<Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/duty/incidents">{t('incidents.board.title')}</Link> }, { title: x.unitName }]} />}
        title={x.title}
        subtitle={
          <Space size={4} wrap>
            {x.drill && <DrillTag testId="incident-drill" />}
            <SeverityTag severity={x.severity} />
            <KindTag kind={x.kind} />
            <span data-testid="incident-status">
              <StatusTag status={x.status} />
            </span>
            {x.overdue && <Tag color="red">{t('incidents.board.overdue')}</Tag>}
          </Space>
        }
        extra={<IncidentActions incident={x} onChanged={show} onStale={refresh} />}
      />
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('incidents.page.details')} style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('incidents.file.unit')}>{x.unitName}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.file.occurredAt')}>{formatTime(x.occurredAt)}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.file.place')}>{x.place ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.page.filedBy')}>{`${x.filedByName ?? '—'} · ${formatTime(x.filedAt)}`}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.page.top')}>{x.topLevel.unitName}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.board.level')}>{x.currentLevel.unitName}</Descriptions.Item>
            </Descriptions>
            <Typography.Title level={5}>{t('incidents.file.description')}</Typography.Title>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{x.description}</Typography.Paragraph>
            {x.people.length > 0 && (
              <>
                <Typography.Title level={5}>{t('incidents.page.people')}</Typography.Title>
                <Space size={4} wrap>
                  {x.people.map((p) => (
                    <Tag key={p.personId} title={p.note ?? undefined}>{`${p.name} · ${p.unitName} · ${t(`incidents.involvement.${p.involvement}`)}`}</Tag>
                  ))}
                </Space>
              </>
            )}
          </Card>
          {(x.resolution || x.review) && (
            <Card size="small" style={{ marginBottom: 16 }} data-testid="incident-outcome">
              {x.resolution && (
                <>
                  <Typography.Title level={5}>{t('incidents.page.resolution')}</Typography.Title>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="incident-resolution">
                    {x.resolution}
                  </Typography.Paragraph>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{`${x.resolvedByName ?? '—'} · ${formatTime(x.resolvedAt)}`}</Typography.Text>
                </>
              )}
              {x.review && (
                <>
                  <Typography.Title level={5}>{t('incidents.page.review')}</Typography.Title>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{x.review}</Typography.Paragraph>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{`${x.closedByName ?? '—'} · ${formatTime(x.closedAt)}`}</Typography.Text>
                </>
              )}
            </Card>
          )}
          <PlanRuns incident={x} />
          <Instructions incident={x} onChanged={show} />
          <IncidentTimeline incident={x} />
        </Col>
        <Col xs={24} lg={10}>
          <Ladder incident={x} receivedAt={receivedAt} serverOffset={offset} />
        </Col>
      </Row>
    </>
  );
}
