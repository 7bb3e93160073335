import { useEffect, useState, type ComponentProps } from 'react';
import { DatePicker, Empty, Flex, Progress, Table, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { tripsByDestination, type DestinationCount } from '../../../api/trips';
import { useReportError } from '../../../components/apiErrors';

type Range = Parameters<NonNullable<ComponentProps<typeof DatePicker.RangePicker>['onChange']>>[0];
const DAY = 'YYYY-MM-DD';

/** Trips of the unit's subtree per destination city in a period (default the last 30 days), as a bar list. */
export function DestinationsTab({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [range, setRange] = useState<Range>(null);
  const [data, setData] = useState<{ items: DestinationCount[]; from: string; to: string }>({ items: [], from: '', to: '' });
  const [loading, setLoading] = useState(false);
  const from = range?.[0]?.format(DAY);
  const to = range?.[1]?.format(DAY);

  useEffect(() => {
    let live = true;
    setLoading(true);
    tripsByDestination({ unitId, from, to })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, from, to, report]);

  const max = Math.max(1, ...data.items.map((i) => i.trips));
  const columns: TableColumnsType<DestinationCount> = [
    {
      title: t('trips.destination'),
      dataIndex: 'city',
      width: 200,
      render: (c: string, r) => (
        <Flex gap={4} align="center">
          {c}
          {r.riskNow && <Tag color={r.riskNow === 'high' ? 'red' : 'orange'}>{t(`riskAreas.levels.${r.riskNow}`)}</Tag>}
        </Flex>
      ),
    },
    { title: t('trips.trips'), dataIndex: 'trips', render: (n: number) => <Progress percent={(n / max) * 100} status="normal" format={() => n} size="small" /> },
    { title: t('trips.people'), dataIndex: 'people', width: 100 },
    { title: t('trips.awayNow'), dataIndex: 'awayNow', width: 110 },
  ];
  return (
    <>
      <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker value={range} onChange={setRange} data-testid="trips-dest-range" />
        {data.from && <span>{`${data.from} – ${data.to}`}</span>}
      </Flex>
      <Table<DestinationCount>
        rowKey="city"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data.items}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('trips.destEmpty')} /> }}
        data-testid="trips-dest-table"
      />
    </>
  );
}
