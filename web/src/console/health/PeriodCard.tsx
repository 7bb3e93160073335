import { useEffect, useState, type ComponentProps } from 'react';
import { Card, DatePicker, Table, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { getPeriod, type CheckinPeriod, type PeriodFigures } from '../../api/dashboard';
import { useReportError } from '../../components/apiErrors';
import { Rate } from './rates';

type Range = Parameters<NonNullable<ComponentProps<typeof DatePicker.RangePicker>['onChange']>>[0];
type Row = PeriodFigures & { key: string; id: number | null; name: string };

/** Completeness and timeliness of the unit's own people and each child subtree over a period (default the last 30 days). */
export function PeriodCard({ unitId, onOpen }: { unitId: number; onOpen(id: number): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [range, setRange] = useState<Range>(null);
  const [data, setData] = useState<CheckinPeriod | null>(null);
  const [loading, setLoading] = useState(false);
  const from = range?.[0]?.format('YYYY-MM-DD');
  const to = range?.[1]?.format('YYYY-MM-DD');

  useEffect(() => {
    let live = true;
    setLoading(true);
    getPeriod(unitId, from, to)
      .then((d) => live && setData(d), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, from, to, report]);

  const rows: Row[] = data
    ? [
        { key: 'own', ...data.unit, id: null, name: t('health.dashboard.ownPeople', { name: data.unit.name }) },
        ...data.children.map((c) => ({ key: String(c.id), ...c })),
        { key: 'total', ...data.total, id: null, name: t('health.dashboard.subtreeTotal') },
      ]
    : [];
  const columns: TableColumnsType<Row> = [
    {
      title: t('health.dashboard.unit'),
      dataIndex: 'name',
      render: (name: string, r) => (r.id !== null ? <Typography.Link onClick={() => onOpen(r.id!)}>{name}</Typography.Link> : <Typography.Text strong={r.key === 'total'}>{name}</Typography.Text>),
    },
    { title: t('health.period.completeness'), dataIndex: 'completeness', width: 130, render: (v: number | null) => <Rate share={v} /> },
    { title: t('health.period.timeliness'), dataIndex: 'timeliness', width: 130, render: (v: number | null) => <Rate share={v} /> },
    { title: t('health.period.checkins'), dataIndex: 'checkedIn', width: 110, align: 'right' },
    { title: t('health.period.personDays'), dataIndex: 'headcountDays', width: 110, align: 'right' },
  ];
  return (
    <Card
      size="small"
      title={t('health.period.title')}
      extra={
        <DatePicker.RangePicker
          value={range}
          onChange={setRange}
          allowClear
          placeholder={[t('health.period.from'), t('health.period.to')]}
          disabledDate={(d) => d.isAfter(dayjs(), 'day')}
          data-testid="period-range"
        />
      }
    >
      <Table<Row> rowKey="key" size="small" loading={loading} columns={columns} dataSource={rows} pagination={false} data-testid="period-table" />
      {data && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
          {t('health.period.note', { from: data.from, to: data.to, days: data.days })}
        </Typography.Text>
      )}
    </Card>
  );
}
