import { useEffect, useMemo, useState } from 'react';
import { Breadcrumb, Card, DatePicker, Flex, Space, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { getScorecard, SCORECARD_METRICS, type Scorecard, type ScorecardMetric, type ScorecardRow } from '../../api/supervision';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { useScope } from '../../state/scope';
import { MetricRate, Sparkline, Trend } from './bits';
import { MissesDrawer } from './MissesDrawer';

type Row = ScorecardRow & { own: boolean };

/** 考核排名: the picked unit's children ranked by their subtree's score over a period, each metric's rate, the trend; drill down, and open a metric's misses. */
export default function ScorecardPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const { unitId: scopeId, byId } = useScope();
  // `unitId` is the unit drilled down to under the picked one.
  const [unitId, setUnitId] = useState<number | null>(scopeId);
  const [period, setPeriod] = useState<[string, string] | null>(null);
  const [card, setCard] = useState<Scorecard | null>(null);
  const [loading, setLoading] = useState(false);
  const [misses, setMisses] = useState<{ unitId: number; unitName: string; metric: ScorecardMetric } | null>(null);

  useEffect(() => setUnitId(scopeId), [scopeId]);
  useEffect(() => {
    if (unitId === null) return;
    let live = true;
    setLoading(true);
    getScorecard({ unitId, from: period?.[0], to: period?.[1] })
      .then((r) => live && setCard(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, period, report]);

  const trail = useMemo(() => {
    const out: { id: number; name: string }[] = [];
    for (let id: number | null = unitId; id !== null; id = byId.get(id)?.parentId ?? null) {
      out.unshift({ id, name: byId.get(id)?.name ?? (id === card?.unit.unitId ? card.unit.name : `#${id}`) });
      if (id === scopeId) break;
    }
    return out;
  }, [unitId, scopeId, byId, card]);

  const shown = card && card.unit.unitId === unitId ? card : null;
  const rows: Row[] = shown ? [{ ...shown.unit, own: true }, ...shown.children.map((c) => ({ ...c, own: false }))] : [];
  const columns: TableColumnsType<Row> = [
    { title: t('supervision.scorecard.rank'), key: 'rank', width: 64, align: 'center', render: (_, r) => (r.own ? '' : (r.rank ?? '—')) },
    {
      title: t('supervision.unit'),
      key: 'name',
      width: 200,
      render: (_, r) =>
        r.own ? (
          <Typography.Text strong>{t('supervision.scorecard.wholeSubtree', { name: r.name })}</Typography.Text>
        ) : r.hasChildren ? (
          <Typography.Link onClick={() => setUnitId(r.unitId)} data-testid={`scorecard-open-${r.unitId}`}>
            {r.name}
          </Typography.Link>
        ) : (
          r.name
        ),
    },
    {
      title: t('supervision.scorecard.score'),
      key: 'score',
      width: 100,
      align: 'center',
      sorter: (a, b) => (a.own ? -1 : b.own ? 1 : (a.score ?? -1) - (b.score ?? -1)),
      render: (_, r) => <MetricRate metric="score" rate={r.score} testId={`scorecard-score-${r.unitId}`} />,
    },
    {
      title: t('supervision.scorecard.trend'),
      key: 'trend',
      width: 90,
      align: 'center',
      render: (_, r) => <Trend change={r.change} previous={r.previous.score} testId={`scorecard-trend-${r.unitId}`} />,
    },
    ...SCORECARD_METRICS.map((m) => ({
      title: (
        <Tooltip title={t(`supervision.metricHints.${m}`)}>
          <span>{t(`supervision.metrics.${m}`)}</span>
        </Tooltip>
      ),
      key: m,
      width: 104,
      align: 'center' as const,
      render: (_: unknown, r: Row) => {
        const f = r.figures[m];
        const cell = <MetricRate metric={m} rate={f.rate} testId={`scorecard-cell-${r.unitId}-${m}`} />;
        if (f.denominator === 0) return cell;
        return (
          <Tooltip title={t('supervision.scorecard.cellHint', { n: f.numerator, d: f.denominator })}>
            <a onClick={() => setMisses({ unitId: r.unitId, unitName: r.name, metric: m })} data-testid={`scorecard-misses-${r.unitId}-${m}`}>
              {cell}
            </a>
          </Tooltip>
        );
      },
    })),
  ];

  const pickerValue: [Dayjs, Dayjs] | null = shown ? [dayjs(shown.from), dayjs(shown.to)] : null;
  return (
    <div data-testid="scorecard-page">
      <PageHeader
        title={t('supervision.scorecard.title')}
        subtitle={shown ? t('supervision.scorecard.subtitle', { from: shown.from, to: shown.to, pfrom: shown.previous.from, pto: shown.previous.to }) : undefined}
        breadcrumb={
          trail.length > 1 ? (
            <Breadcrumb
              style={{ marginBottom: 8 }}
              items={trail.map((u, i) => ({ key: u.id, title: i < trail.length - 1 ? <a onClick={() => setUnitId(u.id)}>{u.name}</a> : u.name }))}
              data-testid="scorecard-trail"
            />
          ) : undefined
        }
        extra={
          <Space>
            {shown && shown.series.length > 1 && (
              <Tooltip title={t('supervision.scorecard.series')}>
                <span>
                  <Sparkline series={shown.series} />
                </span>
              </Tooltip>
            )}
            <DatePicker.RangePicker
              value={pickerValue}
              allowClear={false}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              onChange={(v) => v?.[0] && v[1] && setPeriod([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')])}
              data-testid="scorecard-period"
            />
          </Space>
        }
      />
      <Card size="small">
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('supervision.scorecard.hint')}</Typography.Text>
          <Table<Row>
            rowKey={(r) => (r.own ? `own-${r.unitId}` : r.unitId)}
            size="small"
            loading={loading}
            columns={columns}
            dataSource={rows}
            scroll={{ x: 1300 }}
            pagination={{ pageSize: 100, hideOnSinglePage: true, showTotal: (n) => t('common.total', { total: n }) }}
            onRow={(r) => ({ 'data-testid': r.own ? 'scorecard-own' : `scorecard-row-${r.unitId}` }) as React.HTMLAttributes<HTMLElement>}
          />
        </Flex>
      </Card>
      {misses && shown && <MissesDrawer {...misses} from={shown.from} to={shown.to} onClose={() => setMisses(null)} />}
    </div>
  );
}
