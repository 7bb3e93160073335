import { useEffect, useState } from 'react';
import { Button, Card, Segmented, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { listReportRequests, listToSubmit, type ReportRequest, type ToSubmitItem } from '../../../api/reports';
import { useReportError } from '../../../components/apiErrors';
import { useFormatTime } from '../../../components/format';
import { PageHeader } from '../../../components/PageHeader';
import { serverPagination } from '../../../components/serverPagination';
import { useMe } from '../../../state/session';
import { AnswerForm, type AnswerTarget } from './AnswerForm';
import { RequestStatusTag, StateTag, useScheduleText } from './bits';
import { ReportCreateModal } from './ReportCreateModal';

/**
 * 情况报送: the command office's report requests (and a new one), and a unit's "to submit" list.
 * The reminder a unit gets links to /directives/reports/to-submit.
 */
export default function ReportsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const canRead = me.permissions.includes('tasks.read');
  const canWork = me.permissions.includes('tasks.work');
  const tab = location.pathname.endsWith('/to-submit') || !canRead ? 'toSubmit' : 'requests';
  const items = [
    ...(canRead ? [{ key: 'requests', label: t('reports.tabs.requests'), children: <RequestList /> }] : []),
    ...(canWork ? [{ key: 'toSubmit', label: t('reports.tabs.toSubmit'), children: <ToSubmitList /> }] : []),
  ];
  return (
    <>
      <PageHeader title={t('reports.list.title')} subtitle={t('reports.list.subtitle')} />
      <Tabs activeKey={tab} items={items} onChange={(k) => navigate(k === 'toSubmit' ? '/directives/reports/to-submit' : '/directives/reports')} data-testid="reports-tabs" />
    </>
  );
}

function RequestList() {
  const { t } = useTranslation();
  const report = useReportError();
  const me = useMe();
  const time = useFormatTime();
  const scheduleText = useScheduleText();
  const [status, setStatus] = useState<'open' | 'closed' | 'all'>('open');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<{ items: ReportRequest[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [status]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listReportRequests({ status: status === 'all' ? undefined : status, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [status, paging, tick, report]);

  const columns: TableColumnsType<ReportRequest> = [
    { title: t('reports.list.titleCol'), dataIndex: 'title', render: (title: string, r) => <Link to={`/directives/reports/requests/${r.id}`} data-testid={`report-link-${r.id}`}>{title}</Link> },
    { title: t('reports.list.schedule'), key: 'schedule', width: 220, render: (_, r) => scheduleText(r.schedule) },
    {
      title: t('reports.list.units'),
      key: 'units',
      render: (_, r) => (
        <Space size={4} wrap>
          {r.units.slice(0, 5).map((u) => (
            <Tag key={u.id}>{u.name}</Tag>
          ))}
          {r.unitCount > 5 && <Typography.Text type="secondary">{t('reports.list.unitCount', { count: r.unitCount })}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('reports.list.latest'), key: 'latest', width: 200, render: (_, r) => (r.latestRound ? `${r.latestRound.day} · ${time(r.latestRound.deadline)}` : '—') },
    { title: t('reports.list.status'), dataIndex: 'status', width: 90, render: (s: ReportRequest['status']) => <RequestStatusTag status={s} /> },
  ];

  return (
    <Card
      size="small"
      extra={
        me.permissions.includes('directives.write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="report-new">
            {t('reports.list.new')}
          </Button>
        )
      }
      title={
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          options={[
            { value: 'open', label: t('reports.status.open') },
            { value: 'closed', label: t('reports.status.closed') },
            { value: 'all', label: t('common.all') },
          ]}
          data-testid="reports-status"
        />
      }
    >
      <Table<ReportRequest>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data.items}
        pagination={serverPagination(paging, setPaging, data.total, t)}
        locale={{ emptyText: <Typography.Text type="secondary">{t('reports.list.empty')}</Typography.Text> }}
      />
      <ReportCreateModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          setTick((n) => n + 1);
        }}
      />
    </Card>
  );
}

/** What the units in the user's scope have to fill in, soonest deadline first. */
function ToSubmitList() {
  const { t } = useTranslation();
  const report = useReportError();
  const time = useFormatTime();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<{ items: ToSubmitItem[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [filling, setFilling] = useState<AnswerTarget | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    listToSubmit(paging)
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [paging, tick, report]);

  const columns: TableColumnsType<ToSubmitItem> = [
    { title: t('reports.list.titleCol'), dataIndex: 'title' },
    { title: t('reports.toSubmit.unit'), dataIndex: 'unitName', width: 200 },
    { title: t('reports.request.day'), dataIndex: 'day', width: 110 },
    { title: t('reports.toSubmit.deadline'), dataIndex: 'deadline', width: 180, render: (d: number) => time(d) },
    { title: t('reports.round.state'), dataIndex: 'state', width: 110, render: (s: ToSubmitItem['state']) => <StateTag state={s} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, i) => (
        <Button size="small" type={i.answers ? 'default' : 'primary'} onClick={() => setFilling(i)} data-testid={`report-fill-${i.roundId}-${i.unitId}`}>
          {i.answers ? t('reports.round.correct') : t('reports.round.fill')}
        </Button>
      ),
    },
  ];

  return (
    <Card size="small">
      <Table<ToSubmitItem>
        rowKey={(i) => `${i.roundId}-${i.unitId}`}
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data.items}
        pagination={serverPagination(paging, setPaging, data.total, t)}
        locale={{ emptyText: <Typography.Text type="secondary">{t('reports.toSubmit.empty')}</Typography.Text> }}
      />
      <AnswerForm
        target={filling}
        onClose={() => setFilling(null)}
        onDone={() => {
          setFilling(null);
          setTick((n) => n + 1);
        }}
      />
    </Card>
  );
}
