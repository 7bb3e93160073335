import { useEffect, useState } from 'react';
import { Button, Card, DatePicker, Empty, Flex, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { addDays, dayOf } from '../../../../common/day.js';
import { listRegistrations, type MeetingRegistration } from '../../api/meetings';
import { useReportError } from '../../components/apiErrors';
import { useTimeZone } from '../directives/bits';
import { BreachTags, MeetingActions, MeetingStatusTag, useMeetingClock } from './bits';
import { MeetingDrawer } from './MeetingDrawer';

/** A day's meetings in the unit's subtree, one table per building, each in order of start. */
export function DayTab({ unitId, tick, onChanged }: { unitId: number; tick: number; onChanged(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const timeZone = useTimeZone();
  const clock = useMeetingClock();
  const [day, setDay] = useState(() => dayOf(Date.now(), timeZone));
  const [items, setItems] = useState<MeetingRegistration[] | null>(null);
  const [total, setTotal] = useState(0);
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    setItems(null);
    // A day of one subtree holds a few dozen meetings; 200 is the API's page and enough for a day.
    listRegistrations({ unitId, day, pageSize: 200 }).then(
      (r) => {
        if (!live) return;
        setItems(r.items);
        setTotal(r.total);
      },
      (e) => {
        if (live) setItems([]);
        report(e);
      },
    );
    return () => {
      live = false;
    };
  }, [unitId, day, tick, report]);

  const buildings = new Map<string, MeetingRegistration[]>();
  for (const m of items ?? []) buildings.set(m.building, [...(buildings.get(m.building) ?? []), m]);
  const groups = [...buildings.entries()].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b, 'zh-CN')));

  const columns: TableColumnsType<MeetingRegistration> = [
    { title: t('meetingRegs.time'), key: 'time', width: 120, render: (_, m) => <Typography.Text delete={m.status === 'cancelled' || m.status === 'refused'}>{clock(m)}</Typography.Text> },
    { title: t('meetingRegs.form.name'), dataIndex: 'title', width: 200, ellipsis: true, render: (title: string, m) => <Typography.Link onClick={() => setOpen(m.id)} data-testid={`meeting-row-${m.id}`}>{title}</Typography.Link> },
    { title: t('meetingRegs.unit'), dataIndex: 'unitName', width: 160, ellipsis: true },
    { title: t('meetingRegs.room'), key: 'room', width: 160, render: (_, m) => (m.room ? m.room.name : (m.place ?? '—')) },
    { title: t('meetingRegs.attendees'), dataIndex: 'attendees', width: 80, align: 'right' },
    { title: t('rooms.ventilated'), dataIndex: 'ventilated', width: 80, render: (v: boolean) => (v ? t('rooms.yes') : <Tag color="orange">{t('rooms.no')}</Tag>) },
    { title: t('meetingRegs.status'), dataIndex: 'status', width: 90, render: (s: MeetingRegistration['status']) => <MeetingStatusTag status={s} /> },
    { title: t('meetingRegs.breaches'), key: 'breaches', width: 260, render: (_, m) => <BreachTags breaches={m.breaches} /> },
    { title: '', key: 'actions', width: 150, render: (_, m) => <MeetingActions meeting={m} onDone={onChanged} /> },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Flex gap={8} align="center">
        <Button icon={<LeftOutlined />} onClick={() => setDay(addDays(day, -1))} aria-label={t('meetingRegs.prevDay')} data-testid="meetings-prev-day" />
        <DatePicker value={dayjs(day)} allowClear={false} onChange={(d) => d && setDay(d.format('YYYY-MM-DD'))} data-testid="meetings-day" />
        <Button icon={<RightOutlined />} onClick={() => setDay(addDays(day, 1))} aria-label={t('meetingRegs.nextDay')} data-testid="meetings-next-day" />
        <Button onClick={() => setDay(dayOf(Date.now(), timeZone))}>{t('meetingRegs.today')}</Button>
        {items && <Typography.Text type="secondary">{t('meetingRegs.dayCount', { count: total })}</Typography.Text>}
        {/* A busier day than one page: say so rather than leave meetings out silently (pick a smaller unit). */}
        {items && total > items.length && <Typography.Text type="warning">{t('meetingRegs.dayTruncated', { shown: items.length })}</Typography.Text>}
      </Flex>
      {items === null ? (
        <Spin />
      ) : groups.length === 0 ? (
        <Empty description={t('meetingRegs.noneThatDay')} data-testid="meetings-day-empty" />
      ) : (
        groups.map(([building, list]) => (
          <Card key={building} size="small" type="inner" title={building || t('meetingRegs.noBuilding')} data-testid={`meetings-building-${building || 'none'}`}>
            <Table<MeetingRegistration> rowKey="id" size="small" columns={columns} dataSource={list} pagination={false} scroll={{ x: 1300 }} />
          </Card>
        ))
      )}
      {open !== null && <MeetingDrawer id={open} onClose={() => setOpen(null)} onChanged={onChanged} />}
    </Space>
  );
}
