import { useCallback, useEffect, useState } from 'react';
import { App, Button, Empty, Flex, Input, Select, Space, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { TRIP_STATUSES } from '../../../../../common/schemas/trips.js';
import { cancelTrip, listTrips, type Trip, type TripListItem } from '../../../api/trips';
import { useReportError } from '../../../components/apiErrors';
import { serverPagination } from '../../../components/serverPagination';
import { useConfirmAction } from '../../../components/useConfirmAction';
import { useMe } from '../../../state/session';
import { ReportTripModal, ReturnModal } from './ReportTripModal';

type Status = (typeof TRIP_STATUSES)[number];
const STATUS_COLOR: Record<Status, string> = { planned: 'blue', away: 'orange', returned: 'green', cancelled: 'default' };

/** The trips of the unit's subtree, newest first, by status and destination. */
export function TripListTab({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [status, setStatus] = useState<Status | undefined>();
  const [destination, setDestination] = useState<string | undefined>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: TripListItem[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [returning, setReturning] = useState<Trip | null>(null);
  const [editing, setEditing] = useState<Trip | null>(null);
  const [version, setVersion] = useState(0);
  const { message } = App.useApp();
  const mayReportFor = useMe().permissions.includes('health.write');
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const confirm = useConfirmAction(refresh);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [unitId, status, destination]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listTrips({ unitId, status, destination, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, status, destination, paging, report, version]);

  const columns: TableColumnsType<TripListItem> = [
    { title: t('trips.person'), dataIndex: 'personName', width: 110 },
    { title: t('trips.unit'), dataIndex: 'unitName', ellipsis: true },
    {
      title: t('trips.destination'),
      key: 'dest',
      width: 150,
      render: (_, r) => (
        <Space size={4}>
          {`${r.city}${r.district ? ` · ${r.district}` : ''}`}
          {r.riskNow && <Tag color={r.riskNow.level === 'high' ? 'red' : 'orange'}>{t(`riskAreas.levels.${r.riskNow.level}`)}</Tag>}
        </Space>
      ),
    },
    { title: t('trips.startOn'), dataIndex: 'startOn', width: 110 },
    { title: t('trips.endOn'), dataIndex: 'endOn', width: 110 },
    { title: t('trips.returnedOn'), dataIndex: 'returnedOn', width: 110, render: (d: string | null) => d ?? '—' },
    { title: t('trips.purpose'), dataIndex: 'purpose', ellipsis: true },
    {
      title: t('trips.status'),
      key: 'status',
      width: 200,
      render: (_, r) => (
        <Space size={4} wrap>
          <Tag color={STATUS_COLOR[r.status]}>{t(`trips.statuses.${r.status}`)}</Tag>
          {r.overdue && <Tag color="red">{t('trips.overdue')}</Tag>}
          {r.watchAreaId !== null && <Tag color="purple">{t('trips.watched')}</Tag>}
          {r.reportedByUserId !== null && (
            <Tooltip title={t('trips.onBehalf')}>
              <Tag>{t('trips.onBehalf')}</Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 220,
      render: (_, r) => (
        <Space size={4}>
          {r.abilities.reportReturn && (
            <Button size="small" onClick={() => setReturning(r)} data-testid={`trip-return-${r.id}`}>
              {t('trips.returnTitle')}
            </Button>
          )}
          {r.abilities.edit && (
            <Button size="small" onClick={() => setEditing(r)} data-testid={`trip-edit-${r.id}`}>
              {t('common.edit')}
            </Button>
          )}
          {r.abilities.cancel && (
            <Button size="small" danger onClick={() => confirm(t('trips.confirmCancel'), true, () => cancelTrip(r.id), t('trips.cancelledOk'))} data-testid={`trip-cancel-${r.id}`}>
              {t('trips.cancelTrip')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select<Status>
          allowClear
          placeholder={t('trips.status')}
          style={{ width: 140 }}
          value={status}
          onChange={setStatus}
          options={TRIP_STATUSES.map((s) => ({ value: s, label: t(`trips.statuses.${s}`) }))}
          data-testid="trips-status"
        />
        <Input.Search allowClear placeholder={t('trips.destinationFilter')} style={{ width: 200 }} maxLength={50} onSearch={(v) => setDestination(v.trim() || undefined)} data-testid="trips-destination" />
        {mayReportFor && (
          <Button type="primary" style={{ marginLeft: 'auto' }} onClick={() => setReporting(true)} data-testid="trip-report-for">
            {t('trips.reportFor')}
          </Button>
        )}
      </Flex>
      <ReportTripModal
        open={reporting}
        onClose={() => setReporting(false)}
        onDone={() => {
          setReporting(false);
          void message.success(t('trips.reported'));
          refresh();
        }}
      />
      <ReportTripModal
        open={editing !== null}
        editing={editing}
        onClose={() => setEditing(null)}
        onDone={() => {
          setEditing(null);
          void message.success(t('trips.saved'));
          refresh();
        }}
      />
      <ReturnModal
        trip={returning}
        onClose={() => setReturning(null)}
        onDone={(trip) => {
          setReturning(null);
          void message.success(t(trip.watchAreaId !== null ? 'trips.watchOpened' : 'trips.returnedOk'));
          refresh();
        }}
      />
      <Table<TripListItem>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data.items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('trips.listEmpty')} /> }}
        pagination={serverPagination(paging, setPaging, data.total, t)}
        data-testid="trips-table"
      />
    </>
  );
}
