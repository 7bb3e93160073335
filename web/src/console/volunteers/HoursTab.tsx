import { useEffect, useState } from 'react';
import { Card, Flex, Input, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { hoursReport, onShiftNow, type HoursReport, type OnShiftNow } from '../../api/volunteers';
import { useReportError } from '../../components/apiErrors';
import { useScope } from '../../state/scope';
import { useFormatShort } from '../directives/bits';

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** 服务时长: who is on shift now, per post; and the hours each volunteer served over a period (finished shifts only). */
export function HoursTab() {
  const { t } = useTranslation();
  const report = useReportError();
  const formatShort = useFormatShort();
  const { unitId } = useScope();
  const [now, setNow] = useState<OnShiftNow | null>(null);
  const [hours, setHours] = useState<HoursReport | null>(null);
  const [range, setRange] = useState<{ from?: string; to?: string }>({});

  useEffect(() => {
    onShiftNow(unitId ?? undefined).then(setNow, report);
  }, [unitId, report]);
  useEffect(() => {
    hoursReport({ unitId: unitId ?? undefined, ...range }).then(setHours, report);
  }, [unitId, range, report]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Card size="small" title={t('volunteers.now.title', { n: now?.total ?? 0 })} data-testid="volunteers-now">
        <Table
          rowKey="shiftId"
          size="small"
          pagination={false}
          dataSource={now?.posts ?? []}
          locale={{ emptyText: t('volunteers.now.none') }}
          columns={[
            { title: t('volunteers.posts.title'), dataIndex: 'title', width: 180 },
            { title: t('volunteers.posts.unit'), dataIndex: 'unitName', width: 140 },
            { title: t('volunteers.posts.place'), dataIndex: 'placeName', width: 140 },
            { title: t('volunteers.grid.time'), key: 'time', width: 220, render: (_, p) => `${formatShort(p.startsAt)} – ${formatShort(p.endsAt)}` },
            {
              title: t('volunteers.grid.people'),
              key: 'people',
              render: (_, p) =>
                p.people.length ? p.people.map((x) => <Tag key={x.volunteerId}>{x.name}</Tag>) : <Typography.Text type="danger">{t('volunteers.now.nobody')}</Typography.Text>,
            },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={t('volunteers.hours.title', { total: hours?.totalHours ?? 0 })}
        extra={
          <Flex gap={8}>
            <Input type="date" size="small" defaultValue={hours?.from} key={`f${hours?.from ?? ''}`} onChange={(e) => DAY_RE.test(e.target.value) && setRange((r) => ({ ...r, from: e.target.value }))} />
            <Input type="date" size="small" defaultValue={hours?.to} key={`t${hours?.to ?? ''}`} onChange={(e) => DAY_RE.test(e.target.value) && setRange((r) => ({ ...r, to: e.target.value }))} />
          </Flex>
        }
        data-testid="volunteers-hours"
      >
        <Table
          rowKey="volunteerId"
          size="small"
          pagination={false}
          dataSource={hours?.items ?? []}
          columns={[
            { title: t('volunteers.pool.name'), dataIndex: 'name', width: 120, render: (n: string, r) => <span data-testid={`hours-row-${r.volunteerId}`}>{n}</span> },
            { title: t('volunteers.pool.unit'), dataIndex: 'unitName', width: 160 },
            {
              title: t('volunteers.pool.tags'),
              key: 'tags',
              width: 140,
              render: (_, r) => (
                <>
                  {r.partyMember && <Tag color="red">{t('volunteers.tags.party_member')}</Tag>}
                  {r.youthLeague && <Tag color="blue">{t('volunteers.tags.youth_league')}</Tag>}
                </>
              ),
            },
            { title: t('volunteers.hours.shifts'), dataIndex: 'shifts', width: 90, align: 'center' },
            { title: t('volunteers.hours.hours'), dataIndex: 'hours', width: 90, align: 'center', render: (h: number, r) => <span data-testid={`hours-value-${r.volunteerId}`}>{h}</span> },
          ]}
        />
      </Card>
    </Space>
  );
}
