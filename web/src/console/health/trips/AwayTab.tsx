import { useEffect, useState } from 'react';
import { DatePicker, Empty, Flex, Table, Tag, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { listAway, type AwayPerson } from '../../../api/trips';
import { useReportError } from '../../../components/apiErrors';
import { serverPagination } from '../../../components/serverPagination';

const DAY = 'YYYY-MM-DD';

/** Who of the unit's subtree is away on a day (default today), with unit and phone as the role may see them. */
export function AwayTab({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [day, setDay] = useState<Dayjs | null>(null);
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: AwayPerson[]; total: number; day: string }>({ items: [], total: 0, day: '' });
  const [loading, setLoading] = useState(false);
  const dayText = day?.format(DAY);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [unitId, dayText]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listAway({ unitId, day: dayText, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, dayText, paging, report]);

  const columns: TableColumnsType<AwayPerson> = [
    { title: t('trips.person'), dataIndex: 'name', width: 120 },
    { title: t('trips.employeeNo'), dataIndex: 'employeeNo', width: 120 },
    { title: t('trips.unit'), dataIndex: 'unitName', ellipsis: true },
    { title: t('trips.phone'), dataIndex: 'phone', width: 140, render: (p: string | null) => p ?? '—' },
    { title: t('trips.destination'), key: 'dest', render: (_, r) => `${r.city}${r.district ? ` · ${r.district}` : ''}` },
    { title: t('trips.startOn'), dataIndex: 'startOn', width: 120 },
    { title: t('trips.endOn'), dataIndex: 'endOn', width: 140, render: (d: string, r) => (r.overdue ? <Tag color="red">{`${d} · ${t('trips.overdue')}`}</Tag> : d) },
  ];
  return (
    <>
      <Flex gap={8} style={{ marginBottom: 12 }}>
        <DatePicker value={day} onChange={setDay} placeholder={data.day || t('trips.day')} disabledDate={(d) => d.isAfter(dayjs().add(1, 'year'))} data-testid="trips-away-day" />
      </Flex>
      <Table<AwayPerson>
        rowKey="tripId"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data.items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('trips.awayEmpty')} /> }}
        pagination={serverPagination(paging, setPaging, data.total, t)}
        data-testid="trips-away-table"
      />
    </>
  );
}
