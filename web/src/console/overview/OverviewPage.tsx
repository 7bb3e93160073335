import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Badge, Card, Col, Empty, Flex, List, Row, Skeleton, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { liveCheckinsUrl } from '../../api/dashboard';
import { incidentStreamUrl, type IncidentSeverity } from '../../api/incidents';
import { getOverview, type Overview } from '../../api/overview';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useLiveRefresh } from '../../components/useLiveRefresh';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { Rate } from '../health/rates';

// The overview reads seven modules at once: follow the live streams, but at most this often.
const REFRESH_MS = 15_000;
// Without any stream to follow (a user with neither health nor incidents): ask again this often.
const POLL_MS = 60_000;

/** A figure's card, its title a link into the module that lists what it counts. */
function FigureCard({ title, link, testId, children }: { title: string; link: string; testId: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={title}
      extra={
        <Link to={link} data-testid={`${testId}-link`}>
          {t('overview.open')}
        </Link>
      }
      style={{ height: '100%' }}
      data-testid={testId}
    >
      {children}
    </Card>
  );
}

const names = (people: { personId: number; name: string }[]) => (people.length ? people.map((p) => p.name).join('、') : null);

/** 总览: the command office's day at a glance for the picked unit's subtree; each figure leads into its module. */
export default function OverviewPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const time = useFormatTime();
  const me = useMe();
  const { unitId, unit } = useScope();
  const [data, setData] = useState<Overview | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    if (unitId === null) return;
    let live = true;
    getOverview(unitId).then((r) => live && setData(r), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [unitId, tick, report]);

  // One stream is enough to know the day moved: check-ins if the user sees them, else incidents.
  const stream = unitId === null ? null : me.permissions.includes('health.read') ? liveCheckinsUrl(unitId) : me.permissions.includes('incidents.read') ? incidentStreamUrl(unitId) : null;
  const state = useLiveRefresh({ url: stream, events: stream?.includes('checkins') ? ['checkins'] : ['incident'], throttleMs: REFRESH_MS }, refresh);
  useEffect(() => {
    if (stream !== null) return;
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [stream, refresh]);

  const shown = data && data.unitId === unitId ? data : null;
  const cards: ReactNode[] = [];
  if (shown?.checkins) {
    const c = shown.checkins;
    cards.push(
      <FigureCard key="checkins" title={t('overview.checkins.title')} link={c.link} testId="overview-checkins">
        <Flex gap={24} wrap align="flex-end">
          <Statistic title={t('overview.checkins.completeness')} valueRender={() => <Rate share={c.completeness} testId="overview-checkin-rate" />} />
          <Statistic title={t('overview.checkins.timeliness')} valueRender={() => <Rate share={c.timeliness} />} />
          <Statistic title={t('overview.checkins.checkedIn')} value={c.checkedIn} suffix={`/ ${c.headcount.toLocaleString()}`} />
          <Statistic title={t('overview.checkins.abnormal')} value={c.abnormal} valueStyle={c.abnormal > 0 ? { color: '#cf1322' } : undefined} />
        </Flex>
      </FigureCard>,
    );
  }
  if (shown?.watches) {
    cards.push(
      <FigureCard key="watches" title={t('overview.watches.title')} link={shown.watches.link} testId="overview-watches">
        <Statistic title={t('overview.watches.open')} value={shown.watches.count} valueStyle={shown.watches.count > 0 ? { color: '#d46b08' } : undefined} />
      </FigureCard>,
    );
  }
  if (shown?.incidents) {
    const i = shown.incidents;
    cards.push(
      <FigureCard key="incidents" title={t('overview.incidents.title')} link={i.link} testId="overview-incidents">
        <Flex gap={16} wrap align="flex-end">
          <Statistic title={t('overview.incidents.open')} value={i.open} valueStyle={i.open > 0 ? { color: '#cf1322' } : undefined} />
          <Space size={4} wrap>
            {i.bySeverity.map((s) => (
              <Tag key={s.severity} data-testid={`overview-severity-${s.severity}`}>
                {`${t(`incidents.severities.${s.severity as IncidentSeverity}`)} ${s.count}`}
              </Tag>
            ))}
          </Space>
        </Flex>
      </FigureCard>,
    );
  }
  if (shown?.tasks) {
    const k = shown.tasks;
    cards.push(
      <FigureCard key="tasks" title={t('overview.tasks.title')} link={k.overdue.link} testId="overview-tasks">
        <Flex gap={24} wrap>
          <Link to={k.dueToday.link} data-testid="overview-tasks-due">
            <Statistic title={t('overview.tasks.dueToday')} value={k.dueToday.count} />
          </Link>
          <Link to={k.overdue.link} data-testid="overview-tasks-overdue">
            <Statistic title={t('overview.tasks.overdue')} value={k.overdue.count} valueStyle={k.overdue.count > 0 ? { color: '#cf1322' } : undefined} />
          </Link>
        </Flex>
      </FigureCard>,
    );
  }
  if (shown?.duty) {
    const d = shown.duty;
    cards.push(
      <FigureCard key="duty" title={t('overview.duty.title')} link={d.link} testId="overview-duty">
        {d.rosterUnitId === null ? (
          <Typography.Text type="secondary">{t('overview.duty.noRoster')}</Typography.Text>
        ) : (
          <Flex vertical gap={4}>
            <Typography.Text type="secondary">{d.rosterUnitName}</Typography.Text>
            <span>
              {t('overview.duty.leader')}：{names(d.leaders) ?? <Typography.Text type="danger">{t('overview.duty.nobody')}</Typography.Text>}
            </span>
            <span>
              {t('overview.duty.officer')}：{names(d.officers) ?? <Typography.Text type="danger">{t('overview.duty.nobody')}</Typography.Text>}
            </span>
          </Flex>
        )}
      </FigureCard>,
    );
  }
  if (shown?.care) {
    const c = shown.care;
    cards.push(
      <FigureCard key="care" title={t('overview.care.title')} link={c.link} testId="overview-care">
        <Flex gap={24} wrap>
          <Statistic title={t('overview.care.openCases')} value={c.openCases} />
          <Statistic title={t('overview.care.needsOpen')} value={c.needsOpen} />
          <Statistic title={t('overview.care.uncontacted')} value={c.uncontacted} valueStyle={c.uncontacted > 0 ? { color: '#cf1322' } : undefined} />
          <Statistic title={t('overview.care.requests')} value={c.requestsOpen} />
        </Flex>
      </FigureCard>,
    );
  }
  if (shown?.scorecard) {
    const s = shown.scorecard;
    cards.push(
      <FigureCard key="scorecard" title={t('overview.scorecard.title', { from: s.from, to: s.to })} link={s.link} testId="overview-scorecard">
        {s.worst.length === 0 ? (
          <Typography.Text type="secondary">{t('overview.scorecard.none')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={s.worst}
            renderItem={(w, i) => (
              <List.Item extra={<Rate share={w.score} />} data-testid={`overview-worst-${w.unitId}`}>
                <Space>
                  <Badge count={i + 1} color={i === 0 ? 'red' : 'orange'} />
                  <Link to={w.link}>{w.name}</Link>
                </Space>
              </List.Item>
            )}
          />
        )}
      </FigureCard>,
    );
  }

  return (
    <div data-testid="overview-page">
      <PageHeader
        title={t('overview.title')}
        subtitle={unit ? t('overview.subtitle', { unit: unit.name, day: shown?.day ?? '' }) : undefined}
        extra={
          shown ? (
            <Tooltip title={state === 'live' ? t('overview.live') : undefined}>
              <Typography.Text type="secondary" data-testid="overview-at">
                {state === 'live' && <Badge status="processing" style={{ marginInlineEnd: 6 }} />}
                {t('overview.at', { at: time(shown.at) })}
              </Typography.Text>
            </Tooltip>
          ) : undefined
        }
      />
      {!shown ? (
        <Skeleton active />
      ) : cards.length === 0 ? (
        <Empty description={t('overview.nothing')} />
      ) : (
        <Row gutter={[16, 16]}>
          {cards.map((c, i) => (
            <Col key={i} xs={24} md={12} xl={8}>
              {c}
            </Col>
          ))}
        </Row>
      )}
    </div>
  );
}
