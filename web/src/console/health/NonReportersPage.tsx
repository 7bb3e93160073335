import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, DatePicker, Flex, Table, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { listNonReporters, sendReminders, type NonReporter } from '../../api/dashboard';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { UnitPicker } from '../../components/UnitPicker';
import { serverPagination } from '../../components/serverPagination';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { CheckinForModal } from './CheckinForModal';
import { useLiveCheckins } from './useLiveCheckins';

/** 未打卡人员: who in a subtree has no check-in on a day, with unit and phone; remind them all, or check in for one. */
export default function NonReportersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const me = useMe();
  const { unitId: scopeId } = useScope();
  const [unitId, setUnitId] = useState<number | null>(scopeId);
  const [day, setDay] = useState<Dayjs | null>(null);
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: NonReporter[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const [sending, setSending] = useState(false);
  const [checkingIn, setCheckingIn] = useState<NonReporter | null>(null);
  const dayText = day?.format('YYYY-MM-DD');
  const today = day === null || day.isSame(dayjs(), 'day');
  // Reminding and checking in for someone are a liaison's or unit head's (health.write); the server decides per unit and person, this only hides the buttons from others.
  const mayWrite = me.permissions.includes('health.write');
  const mayCheckIn = mayWrite && today;

  useEffect(() => setUnitId(scopeId), [scopeId]);
  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [unitId, dayText]);
  useEffect(() => {
    if (unitId === null) return;
    let live = true;
    setLoading(true);
    listNonReporters({ unitId, day: dayText, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, dayText, paging, tick, report]);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  // Someone who checks in leaves the list without a reload.
  useLiveCheckins(unitId, null, refresh, today);

  const remind = async () => {
    if (unitId === null) return;
    setSending(true);
    try {
      const { sent } = await sendReminders(unitId);
      void message.success(t('health.nonReporters.remindedCount', { count: sent }));
    } catch (e) {
      report(e);
    } finally {
      setSending(false);
    }
  };

  const columns: TableColumnsType<NonReporter> = [
    { title: t('health.nonReporters.name'), dataIndex: 'name', width: 140 },
    { title: t('health.nonReporters.employeeNo'), dataIndex: 'employeeNo', width: 130 },
    { title: t('health.nonReporters.unit'), dataIndex: 'unitName', ellipsis: true },
    { title: t('health.nonReporters.phone'), dataIndex: 'phone', width: 150, render: (p: string | null) => p ?? <Typography.Text type="secondary">—</Typography.Text> },
    ...(mayCheckIn
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 130,
            render: (_: unknown, r: NonReporter) => (
              <Button size="small" onClick={() => setCheckingIn(r)} data-testid="checkin-on-behalf">
                {t('health.nonReporters.checkInFor')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('health.nonReporters.title')}
        subtitle={t('health.nonReporters.subtitle', { total: data.total })}
        extra={
          mayWrite && (
            <Button type="primary" loading={sending} disabled={data.total === 0 || !today} onClick={() => void remind()} data-testid="reminders-send">
              {t('health.nonReporters.remind')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <UnitPicker value={unitId} onChange={(id) => id && setUnitId(id)} style={{ width: 240 }} data-testid="non-reporters-unit" />
          <DatePicker value={day} onChange={setDay} allowClear placeholder={t('health.dashboard.today')} disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="non-reporters-day" />
        </Flex>
        <Table<NonReporter>
          rowKey="personId"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          onRow={(r) => ({ 'data-testid': `non-reporter-${r.personId}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: t('health.nonReporters.empty') }}
        />
      </Card>
      <CheckinForModal
        person={checkingIn}
        onClose={() => setCheckingIn(null)}
        onDone={() => {
          void message.success(t('health.checkinFor.done', { name: checkingIn?.name ?? '' }));
          setCheckingIn(null);
          refresh();
        }}
      />
    </>
  );
}
