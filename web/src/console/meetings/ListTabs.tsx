import { useEffect, useState } from 'react';
import { DatePicker, Empty, Flex, Space, Table, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { addDays, dayOf } from '../../../../common/day.js';
import { listRegistrations, type MeetingRegistration, type RegistrationQuery } from '../../api/meetings';
import { useReportError } from '../../components/apiErrors';
import { serverPagination } from '../../components/serverPagination';
import { useTimeZone } from '../directives/bits';
import { BreachTags, MeetingActions, MeetingStatusTag, useMeetingClock } from './bits';
import { MeetingDrawer } from './MeetingDrawer';

interface TabProps {
  unitId: number;
  tick: number;
  onChanged(): void;
}

/** 待审批: meetings over a limit, waiting for the unit head; approve or refuse each. */
export function PendingTab({ unitId, tick, onChanged }: TabProps) {
  const { t } = useTranslation();
  return <MeetingTable query={{ unitId, status: 'pending' }} tick={tick} onChanged={onChanged} empty={t('meetingRegs.noPending')} testId="meetings-pending" />;
}

/** 超限会议: the meetings that went over a limit in a period, whatever became of them (for the command office). */
export function OverLimitTab({ unitId, tick, onChanged }: TabProps) {
  const { t } = useTranslation();
  const timeZone = useTimeZone();
  const today = dayOf(Date.now(), timeZone);
  const [range, setRange] = useState<[string, string]>([addDays(today, -29), today]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Flex gap={8} align="center">
        <Typography.Text>{t('meetingRegs.period')}</Typography.Text>
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(range[0]), dayjs(range[1])]}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')])}
          data-testid="meetings-over-range"
        />
      </Flex>
      <MeetingTable query={{ unitId, overLimit: true, from: range[0], to: range[1] }} tick={tick} onChanged={onChanged} empty={t('meetingRegs.noOverLimit')} testId="meetings-over" withDecision />
    </Space>
  );
}

/** Meetings of a query, a page at a time: day and time, what, where, how many, what they go over and why. */
function MeetingTable({ query, tick, onChanged, empty, testId, withDecision = false }: { query: RegistrationQuery; tick: number; onChanged(): void; empty: string; testId: string; withDecision?: boolean }) {
  const { t } = useTranslation();
  const report = useReportError();
  const clock = useMeetingClock();
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: MeetingRegistration[]; total: number } | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const key = JSON.stringify(query);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [key]);
  useEffect(() => {
    let live = true;
    setData(null);
    listRegistrations({ ...query, ...paging }).then(
      (r) => live && setData(r),
      (e) => {
        if (live) setData({ items: [], total: 0 });
        report(e);
      },
    );
    return () => {
      live = false;
    };
    // key stands for query (a new object each render).
  }, [key, paging, tick, report]);

  const columns: TableColumnsType<MeetingRegistration> = [
    { title: t('meetingRegs.day'), dataIndex: 'day', width: 110 },
    { title: t('meetingRegs.time'), key: 'time', width: 110, render: (_, m) => clock(m) },
    { title: t('meetingRegs.form.name'), dataIndex: 'title', width: 200, ellipsis: true, render: (title: string, m) => <Typography.Link onClick={() => setOpen(m.id)} data-testid={`meeting-row-${m.id}`}>{title}</Typography.Link> },
    { title: t('meetingRegs.unit'), dataIndex: 'unitName', width: 150, ellipsis: true },
    { title: t('meetingRegs.room'), key: 'room', width: 150, ellipsis: true, render: (_, m) => (m.room ? `${m.room.building ? `${m.room.building} · ` : ''}${m.room.name}` : (m.place ?? '—')) },
    { title: t('meetingRegs.attendees'), dataIndex: 'attendees', width: 70, align: 'right' },
    { title: t('meetingRegs.breaches'), key: 'breaches', width: 260, render: (_, m) => <BreachTags breaches={m.breaches} /> },
    { title: t('meetingRegs.reason'), dataIndex: 'reason', width: 180, ellipsis: true, render: (r: string | null) => r ?? '—' },
    { title: t('meetingRegs.registeredBy'), dataIndex: 'registeredBy', width: 100, render: (n: string | null) => n ?? '—' },
    { title: t('meetingRegs.status'), dataIndex: 'status', width: 90, render: (s: MeetingRegistration['status']) => <MeetingStatusTag status={s} /> },
    ...(withDecision ? [{ title: t('meetingRegs.decidedBy'), key: 'decided', width: 140, render: (_: unknown, m: MeetingRegistration) => (m.decidedBy ? `${m.decidedBy}${m.decisionNote ? `：${m.decisionNote}` : ''}` : '—') }] : []),
    { title: '', key: 'actions', width: 150, render: (_, m) => <MeetingActions meeting={m} onDone={onChanged} /> },
  ];
  return (
    <>
    <Table<MeetingRegistration>
      rowKey="id"
      size="small"
      loading={data === null}
      columns={columns}
      dataSource={data?.items ?? []}
      pagination={serverPagination(paging, setPaging, data?.total ?? 0, t)}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      // Wide enough for every column even when empty (flexible columns would collapse to a letter).
      scroll={{ x: 1500 }}
      data-testid={testId}
    />
    {open !== null && <MeetingDrawer id={open} onClose={() => setOpen(null)} onChanged={onChanged} />}
    </>
  );
}
