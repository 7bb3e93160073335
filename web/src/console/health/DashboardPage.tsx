import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Breadcrumb, Button, Card, Col, DatePicker, Empty, Flex, Row, Skeleton, Statistic, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { getRollup, getTrend, type CheckinRollup, type CheckinTrend, type RollupFigures } from '../../api/dashboard';
import { checkinReportUrl } from '../../api/healthReports';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { UnitPicker } from '../../components/UnitPicker';
import { useScope } from '../../state/scope';
import { PeriodCard } from './PeriodCard';
import { Rate } from './rates';
import { useLiveCheckins } from './useLiveCheckins';

// ECharts is big: it loads with this chart only, never with the rest of the console.
const TrendChart = lazy(() => import('./TrendChart'));
const TREND_REFRESH_MS = 60_000;

type UnitFigures = CheckinRollup['children'][number];
type TableRow = UnitFigures & { own: boolean };
const rateOf = (f: RollupFigures) => (f.headcount > 0 ? f.checkedIn / f.headcount : null);

/** 健康打卡看板: a day's figures of a unit, its children (drill down to the bottom) and its subtree, live; the trend and the period's rates. */
export default function DashboardPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const { unitId: scopeId, setUnitId: setScopeId, byId } = useScope();
  // `base` is the unit picked; `unitId` the one drilled down to under it.
  const [base, setBase] = useState<number | null>(scopeId);
  const [unitId, setUnitId] = useState<number | null>(scopeId);
  const [day, setDay] = useState<Dayjs | null>(null);
  const [rollup, setRollup] = useState<CheckinRollup | null>(null);
  const [trend, setTrend] = useState<CheckinTrend | null>(null);
  const [tick, setTick] = useState(0);
  const [trendTick, setTrendTick] = useState(0);
  const trendAt = useRef(0);
  const dayText = day?.format('YYYY-MM-DD');

  useEffect(() => {
    setBase(scopeId);
    setUnitId(scopeId);
  }, [scopeId]);

  useEffect(() => {
    if (unitId === null) return;
    let live = true;
    getRollup(unitId, dayText).then((r) => live && setRollup(r), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [unitId, dayText, tick, report]);

  useEffect(() => {
    if (unitId === null) return;
    let live = true;
    getTrend(unitId).then((r) => live && setTrend(r), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [unitId, trendTick, report]);

  // Today's figures follow the check-ins as they land; a past day's do not move.
  // The trend (a month of the subtree, heavier to read) follows at most once a minute.
  const refresh = useCallback(() => {
    setTick((n) => n + 1);
    if (Date.now() - trendAt.current >= TREND_REFRESH_MS) {
      trendAt.current = Date.now();
      setTrendTick((n) => n + 1);
    }
  }, []);
  const viewingToday = day === null || day.isSame(dayjs(), 'day');
  useLiveCheckins(unitId, rollup?.day ?? null, refresh, viewingToday);

  // From the picked unit down to the one shown, through the parents the scope knows.
  const trail = useMemo(() => {
    const out: { id: number; name: string }[] = [];
    for (let id: number | null = unitId; id !== null; id = byId.get(id)?.parentId ?? null) {
      out.unshift({ id, name: byId.get(id)?.name ?? (id === rollup?.unit.id ? rollup.unit.name : `#${id}`) });
      if (id === base) break;
    }
    return out;
  }, [unitId, base, byId, rollup]);

  const shown = rollup && rollup.unit.id === unitId ? rollup : null;
  const rows: TableRow[] = shown ? [{ ...shown.unit, own: true }, ...shown.children.map((c) => ({ ...c, own: false }))] : [];
  const n = (v: number) => v.toLocaleString();
  const columns: TableColumnsType<TableRow> = [
    {
      title: t('health.dashboard.unit'),
      dataIndex: 'name',
      render: (name: string, r) =>
        r.own ? (
          <Typography.Text type="secondary">{t('health.dashboard.ownPeople', { name })}</Typography.Text>
        ) : (
          <Typography.Link onClick={() => setUnitId(r.id)} data-testid={`rollup-open-${r.id}`}>
            {name}
          </Typography.Link>
        ),
    },
    { title: t('health.dashboard.rate'), key: 'rate', width: 110, render: (_: unknown, r) => <Rate share={rateOf(r)} /> },
    { title: t('health.dashboard.headcount'), dataIndex: 'headcount', width: 90, align: 'right', render: n },
    { title: t('health.dashboard.checkedIn'), dataIndex: 'checkedIn', width: 90, align: 'right', render: n },
    { title: t('health.dashboard.notYet'), dataIndex: 'notYet', width: 90, align: 'right', render: n },
    { title: t('health.dashboard.normal'), dataIndex: 'normal', width: 90, align: 'right', render: n },
    { title: t('health.dashboard.abnormal'), dataIndex: 'abnormal', width: 90, align: 'right', render: (v: number) => (v > 0 ? <Typography.Text type="danger">{n(v)}</Typography.Text> : n(v)) },
    { title: t('health.dashboard.quarantine'), dataIndex: 'quarantine', width: 90, align: 'right', render: n },
    { title: t('health.dashboard.trip'), dataIndex: 'trip', width: 90, align: 'right', render: n },
  ];
  const total = shown?.total;
  const stats: [string, number | undefined, string?][] = [
    [t('health.dashboard.headcount'), total?.headcount],
    [t('health.dashboard.checkedIn'), total?.checkedIn, 'rollup-checked-in'],
    [t('health.dashboard.notYet'), total?.notYet],
    [t('health.dashboard.normal'), total?.normal],
    [t('health.dashboard.abnormal'), total?.abnormal],
    [t('health.dashboard.quarantine'), total?.quarantine],
    [t('health.dashboard.trip'), total?.trip],
  ];

  return (
    <div data-testid="health-dashboard">
      <PageHeader
        title={t('health.dashboard.title')}
        subtitle={shown ? t('health.dashboard.subtitle', { day: shown.day }) : undefined}
        breadcrumb={
          trail.length > 1 ? (
            <Breadcrumb
              style={{ marginBottom: 8 }}
              items={trail.map((u, i) => ({ key: u.id, title: i < trail.length - 1 ? <a onClick={() => setUnitId(u.id)}>{u.name}</a> : u.name }))}
              data-testid="rollup-trail"
            />
          ) : undefined
        }
        extra={
          <Flex gap={8} wrap>
            <UnitPicker
              value={base}
              onChange={(id) => {
                if (!id) return;
                setScopeId(id);
                setBase(id);
                setUnitId(id);
              }}
              style={{ width: 240 }}
              data-testid="dashboard-unit"
            />
            <DatePicker value={day} onChange={setDay} allowClear placeholder={t('health.dashboard.today')} disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="dashboard-day" />
            {unitId !== null && (
              <Tooltip title={t('healthData.report.hint')}>
                {/* A plain link: the browser downloads the streamed .xlsx with the session cookie. */}
                <Button icon={<DownloadOutlined />} href={checkinReportUrl(unitId, dayText)} data-testid="report-download">
                  {t('healthData.report.download')}
                </Button>
              </Tooltip>
            )}
          </Flex>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        {total ? (
          <Row gutter={[16, 8]}>
            <Col xs={12} sm={8} md={6} lg={3}>
              <Statistic title={t('health.dashboard.rate')} valueRender={() => <Rate share={rateOf(total)} testId="rollup-rate" />} />
            </Col>
            {stats.map(([title, value, testId]) => (
              <Col key={title} xs={12} sm={8} md={6} lg={3}>
                <Statistic title={title} valueRender={() => <span data-testid={testId}>{value ?? 0}</span>} />
              </Col>
            ))}
          </Row>
        ) : (
          <Skeleton active paragraph={{ rows: 1 }} />
        )}
      </Card>
      <Card size="small" title={t('health.dashboard.byUnit')} style={{ marginBottom: 16 }}>
        <Table<TableRow>
          rowKey={(r) => (r.own ? `own-${r.id}` : String(r.id))}
          size="small"
          loading={!shown}
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 900 }}
          onRow={(r) => ({ 'data-testid': `rollup-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty description={t('health.dashboard.empty')} /> }}
        />
      </Card>
      <Card size="small" title={t('health.dashboard.trend')} style={{ marginBottom: 16 }}>
        <div data-testid="trend-chart">
          {trend ? (
            <Suspense fallback={<Skeleton active />}>
              <TrendChart trend={trend} />
            </Suspense>
          ) : (
            <Skeleton active />
          )}
        </div>
      </Card>
      {unitId !== null && <PeriodCard unitId={unitId} onOpen={setUnitId} />}
    </div>
  );
}
