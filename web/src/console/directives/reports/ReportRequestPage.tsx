import { useCallback, useEffect, useState } from 'react';
import { App, Breadcrumb, Button, Card, Descriptions, Result, Skeleton, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../../api/client';
import { closeReportRequest, getReportRequest, listRounds, type ReportRequest, type ReportRoundSummary } from '../../../api/reports';
import { describeError, useReportError } from '../../../components/apiErrors';
import { useFormatTime } from '../../../components/format';
import { PageHeader } from '../../../components/PageHeader';
import { serverPagination } from '../../../components/serverPagination';
import { RequestStatusTag, useScheduleText } from './bits';
import { RoundCounts, RoundTable } from './RoundTable';

/** One report request: its form and schedule, its rounds, and the chosen round side by side. */
export default function ReportRequestPage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const time = useFormatTime();
  const scheduleText = useScheduleText();
  const id = Number(useParams().id);
  const [request, setRequest] = useState<ReportRequest | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [paging, setPaging] = useState({ page: 1, pageSize: 10 });
  const [rounds, setRounds] = useState<{ items: ReportRoundSummary[]; total: number }>({ items: [], total: 0 });
  const [roundId, setRoundId] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    getReportRequest(id).then((r) => live && setRequest(r), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id, tick]);
  useEffect(() => {
    let live = true;
    listRounds(id, paging).then(
      (r) => {
        if (!live) return;
        setRounds(r);
        // The newest round is the one to look at first.
        setRoundId((cur) => cur ?? r.items[0]?.id ?? null);
      },
      (e) => live && report(e),
    );
    return () => {
      live = false;
    };
  }, [id, paging, tick, report]);

  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return <Result status={missing ? '404' : 'warning'} title={missing ? t('reports.request.notFound') : describeError(t, error)} extra={<Link to="/directives/reports">{t('reports.request.back')}</Link>} />;
  }
  if (!request) return <Skeleton active paragraph={{ rows: 8 }} />;

  const close = () =>
    modal.confirm({
      title: request.title,
      content: t('reports.request.closeConfirm'),
      okText: t('reports.request.close'),
      okButtonProps: { danger: true, 'data-testid': 'report-close-confirm' },
      onOk: async () => {
        try {
          setRequest(await closeReportRequest(request.id));
          void message.success(t('reports.request.closed'));
        } catch (e) {
          report(e);
        }
      },
    });

  const columns: TableColumnsType<ReportRoundSummary> = [
    { title: t('reports.request.day'), dataIndex: 'day', width: 120 },
    { title: t('reports.request.deadline'), dataIndex: 'deadline', width: 180, render: (d: number) => time(d) },
    { title: t('reports.request.counts'), key: 'counts', render: (_, r) => <RoundCounts counts={r.counts} /> },
    { title: t('reports.request.reminded'), dataIndex: 'remindedAt', width: 180, render: (d: number | null) => (d ? time(d) : '—') },
  ];

  return (
    <>
      <PageHeader
        breadcrumb={<Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/directives/reports">{t('reports.list.title')}</Link> }, { title: request.title }]} />}
        title={request.title}
        subtitle={<RequestStatusTag status={request.status} />}
        extra={
          request.abilities.close && (
            <Button danger onClick={close} data-testid="report-close">
              {t('reports.request.close')}
            </Button>
          )
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('reports.list.schedule')}>{scheduleText(request.schedule)}</Descriptions.Item>
          <Descriptions.Item label={t('reports.create.remind')}>
            {request.remindBeforeMinutes > 0 ? t('reports.request.remindBefore', { minutes: request.remindBeforeMinutes }) : t('reports.request.noRemind')}
          </Descriptions.Item>
          <Descriptions.Item label={t('reports.request.createdBy')}>{`${request.createdBy ?? '—'} · ${time(request.createdAt)}`}</Descriptions.Item>
          <Descriptions.Item label={t('reports.list.units')} span={3}>
            <Space size={4} wrap>
              {request.units.map((u) => (
                <Tag key={u.id}>{u.name}</Tag>
              ))}
              <Typography.Text type="secondary">{t('reports.list.unitCount', { count: request.unitCount })}</Typography.Text>
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('reports.create.fields')} span={3}>
            <Space size={4} wrap>
              {request.fields.map((f) => (
                <Tag key={f.key} color={f.required ? 'blue' : 'default'}>{`${f.label} · ${t(`reports.fieldTypes.${f.type}`)}`}</Tag>
              ))}
            </Space>
          </Descriptions.Item>
          {request.instructions && (
            <Descriptions.Item label={t('reports.create.instructions')} span={3}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{request.instructions}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card size="small" title={t('reports.request.rounds')} style={{ marginBottom: 16 }}>
        <Table<ReportRoundSummary>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rounds.items}
          pagination={serverPagination(paging, setPaging, rounds.total, t)}
          rowSelection={{ type: 'radio', selectedRowKeys: roundId ? [roundId] : [], onChange: (keys) => setRoundId(Number(keys[0])) }}
          onRow={(r) => ({ onClick: () => setRoundId(r.id), style: { cursor: 'pointer' }, 'data-testid': `report-round-${r.day}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Typography.Text type="secondary">{t('reports.request.noRounds')}</Typography.Text> }}
        />
      </Card>
      {roundId !== null && <RoundTable roundId={roundId} onChanged={refresh} />}
    </>
  );
}
