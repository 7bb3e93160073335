import { useEffect, useState } from 'react';
import { Alert, Card, DatePicker, Empty, Flex, Space, Table, Tag, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { listQualityFlags, type QualityFlag, type QualityPage as Page, type QualityReason } from '../../api/healthReports';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination, type Paging } from '../../components/serverPagination';
import { UnitPicker } from '../../components/UnitPicker';
import { useScope } from '../../state/scope';

/** 数据质量提示: people whose last week of check-ins looks unreal, with why. Flags to look into, not blocks. */
export default function QualityPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const { unitId, setUnitId } = useScope();
  const [day, setDay] = useState<Dayjs | null>(null);
  const [paging, setPaging] = useState<Paging>({ page: 1, pageSize: 50 });
  const [data, setData] = useState<Page | null>(null);
  const dayText = day?.format('YYYY-MM-DD');

  useEffect(() => {
    if (unitId === null) return;
    let live = true;
    setData(null);
    listQualityFlags({ unitId, day: dayText, ...paging }).then((r) => live && setData(r), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [unitId, dayText, paging, report]);

  const reasonText = (r: QualityReason) => {
    switch (r.code) {
      case 'identical_streak':
        return t('healthData.quality.reason.identical_streak', { days: r.days, minute: r.minute });
      case 'low_temperature_normal':
        return t('healthData.quality.reason.low_temperature_normal', { day: r.day, temperature: r.temperature.toFixed(1) });
      case 'city_hopping':
        return t('healthData.quality.reason.city_hopping', { changes: r.changes, cities: r.cities.join(' → ') });
    }
  };
  const columns: TableColumnsType<QualityFlag> = [
    { title: t('healthData.quality.name'), dataIndex: 'name', width: 140 },
    { title: t('healthData.quality.employeeNo'), dataIndex: 'employeeNo', width: 120 },
    { title: t('healthData.quality.unit'), dataIndex: 'unitName', width: 180 },
    {
      title: t('healthData.quality.reasons'),
      key: 'reasons',
      render: (_: unknown, f) => (
        <Space size={[4, 4]} wrap>
          {f.reasons.map((r) => (
            <Tag key={r.code} color={r.code === 'low_temperature_normal' ? 'red' : 'orange'} data-testid={`quality-reason-${r.code}`}>
              {reasonText(r)}
            </Tag>
          ))}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="health-quality">
      <PageHeader
        title={t('healthData.quality.title')}
        subtitle={data ? t('healthData.quality.subtitle', { from: data.fromDay, to: data.day }) : undefined}
        extra={
          <Flex gap={8} wrap>
            <UnitPicker
              value={unitId}
              onChange={(id) => {
                if (!id) return;
                setUnitId(id);
                setPaging((p) => ({ ...p, page: 1 }));
              }}
              style={{ width: 240 }}
              data-testid="quality-unit"
            />
            <DatePicker
              value={day}
              onChange={(d) => {
                setDay(d);
                setPaging((p) => ({ ...p, page: 1 }));
              }}
              allowClear
              placeholder={t('healthData.quality.today')}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              data-testid="quality-day"
            />
          </Flex>
        }
      />
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('healthData.quality.hint')} />
      <Card size="small">
        <Table<QualityFlag>
          rowKey="personId"
          size="small"
          loading={data === null}
          columns={columns}
          dataSource={data?.items ?? []}
          pagination={serverPagination(paging, setPaging, data?.total ?? 0, t)}
          onRow={(f) => ({ 'data-testid': `quality-row-${f.personId}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty description={t('healthData.quality.empty')} /> }}
          data-testid="quality-table"
        />
      </Card>
    </div>
  );
}
