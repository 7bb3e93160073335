import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from '@ant-design/icons';
import { Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LOWER_IS_BETTER, type MissPerson, type ScorecardMetric } from '../../api/supervision';
import { percent, rateColour } from '../health/rates';

/** A metric's rate, coloured by how good it is ("—" when nothing fell due); refusals are good when few. */
export function MetricRate({ metric, rate, testId }: { metric: ScorecardMetric | 'score'; rate: number | null; testId?: string }) {
  if (rate === null) return <Typography.Text type="secondary" data-testid={testId} data-rate="none">—</Typography.Text>;
  const goodness = metric !== 'score' && LOWER_IS_BETTER.includes(metric) ? 1 - rate : rate;
  return (
    <Tag color={rateColour(goodness)} data-testid={testId} data-rate={rate} style={{ minWidth: 60, textAlign: 'center' }}>
      {percent(rate)}
    </Tag>
  );
}

/** Up, down or level against the previous period (a change under half a point is level). */
export function Trend({ change, previous, testId }: { change: number | null; previous: number | null; testId?: string }) {
  const { t } = useTranslation();
  if (change === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const dir = change > 0.005 ? 'up' : change < -0.005 ? 'down' : 'level';
  const icon = dir === 'up' ? <ArrowUpOutlined /> : dir === 'down' ? <ArrowDownOutlined /> : <MinusOutlined />;
  const type = dir === 'up' ? 'success' : dir === 'down' ? 'danger' : 'secondary';
  return (
    <Tooltip title={t('supervision.scorecard.previousScore', { score: percent(previous) })}>
      <Typography.Text type={type} data-testid={testId} data-trend={dir}>
        {icon} {`${change > 0 ? '+' : ''}${(change * 100).toFixed(1)}`}
      </Typography.Text>
    </Tooltip>
  );
}

/** The people answerable for a miss, each with the capacity they answer in. */
export function MissPeople({ people }: { people: MissPerson[] }) {
  const { t } = useTranslation();
  if (people.length === 0) return <Typography.Text type="danger">{t('supervision.nobody')}</Typography.Text>;
  return (
    <Space size={4} wrap>
      {people.map((p, i) => (
        <span key={`${p.personId ?? p.userId ?? p.name}-${i}`}>
          {p.name} <Typography.Text type="secondary">({t(`supervision.as.${p.as}`)})</Typography.Text>
        </span>
      ))}
    </Space>
  );
}

/** A tiny line of daily scores: enough to see a slide without loading the charts. */
export function Sparkline({ series, width = 160, height = 28 }: { series: { day: string; score: number | null }[]; width?: number; height?: number }) {
  const points = series.map((d, i) => ({ x: series.length > 1 ? (i / (series.length - 1)) * width : width / 2, y: d.score === null ? null : height - d.score * (height - 2) - 1 }));
  const segments: string[] = [];
  let current: string[] = [];
  for (const p of points) {
    if (p.y === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
    } else current.push(`${p.x.toFixed(1)},${p.y.toFixed(1)}`);
  }
  if (current.length) segments.push(current.join(' '));
  return (
    <svg width={width} height={height} role="img" aria-hidden style={{ verticalAlign: 'middle' }} data-testid="scorecard-sparkline">
      {segments.map((s) => (
        <polyline key={s} points={s} fill="none" stroke="#1677ff" strokeWidth={1.5} />
      ))}
    </svg>
  );
}
