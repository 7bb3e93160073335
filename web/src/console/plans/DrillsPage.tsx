import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { incidentPlanRuns, incidentReviews, listDrills, type Drill, type PlanReview, type PlanRun } from '../../api/plans';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { STATE_COLOURS, useFormatShort } from '../directives/bits';
import { SeverityTag } from '../incidents/bits';
import { DrillTag, StepStateTag } from './bits';
import { Reviews } from './Reviews';
import { ReviewModal } from './ReviewModal';

/**
 * 应急演练: the drill record of the picked unit's subtree — when, which plan and version, how many
 * steps were done on time and late — each drill's steps and reviews on opening its row, and a
 * review (复盘) to write; "open changes" on a review opens the plan's new draft in the editor.
 */
export default function DrillsPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const formatShort = useFormatShort();
  const me = useMe();
  const { unit, unitId } = useScope();
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: Drill[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const canWrite = me.permissions.includes('plans.write');

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listDrills({ unitId: unitId ?? undefined, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, paging, tick, report]);

  const columns: TableColumnsType<Drill> = [
    { title: t('plans.drills.when'), key: 'when', width: 120, render: (_, d) => formatShort(d.occurredAt) },
    {
      title: t('plans.drills.drill'),
      key: 'title',
      render: (_, d) => (
        <Space size={4} wrap>
          <DrillTag />
          <Link to={`/duty/incidents/${d.incidentId}`} data-testid={`drill-link-${d.incidentId}`}>
            {d.title}
          </Link>
        </Space>
      ),
    },
    { title: t('plans.list.unit'), dataIndex: 'unitName', width: 160, ellipsis: true },
    {
      title: t('plans.drills.plan'),
      key: 'plan',
      width: 220,
      render: (_, d) => (
        <Space size={4} wrap>
          <Link to={`/duty/plans/${d.planId}`}>{d.planTitle}</Link>
          <Tag>{t('plans.list.versionN', { v: d.version })}</Tag>
        </Space>
      ),
    },
    { title: t('plans.drill.severity'), key: 'severity', width: 100, render: (_, d) => <SeverityTag severity={d.severity} /> },
    {
      title: t('plans.drills.steps'),
      key: 'steps',
      width: 230,
      render: (_, d) => (
        <Space size={2} wrap data-testid={`drill-figures-${d.incidentId}`} data-on-time={d.onTime} data-late={d.late} data-open={d.open}>
          <Tag color={STATE_COLOURS.verified}>{t('plans.drills.onTimeN', { n: d.onTime })}</Tag>
          <Tag color={d.late > 0 ? STATE_COLOURS.overdue : 'default'}>{t('plans.drills.lateN', { n: d.late })}</Tag>
          {d.open > 0 && <Tag color={STATE_COLOURS.inTime}>{t('plans.drills.openN', { n: d.open })}</Tag>}
        </Space>
      ),
    },
    { title: t('plans.drills.reviewed'), key: 'reviewed', width: 90, render: (_, d) => (d.reviewed ? <Tag color="green">{t('plans.drills.yes')}</Tag> : <Typography.Text type="secondary">—</Typography.Text>) },
  ];

  return (
    <>
      <PageHeader title={t('plans.drills.title')} subtitle={unit ? t('plans.drills.subtitle', { unit: unit.name }) : undefined} />
      <Card size="small">
        <Table<Drill>
          rowKey="incidentId"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          scroll={{ x: 1100 }}
          expandable={{ expandedRowRender: (d) => <DrillDetail drill={d} canWrite={canWrite} onChanged={refresh} />, rowExpandable: () => true }}
          onRow={(d) => ({ 'data-testid': `drill-row-${d.incidentId}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Typography.Text type="secondary">{t('plans.drills.empty')}</Typography.Text> }}
        />
      </Card>
    </>
  );
}

/** A drill opened in the record: its steps on time or late, its reviews, and the button to write one. */
function DrillDetail({ drill, canWrite, onChanged }: { drill: Drill; canWrite: boolean; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formatShort = useFormatShort();
  const [runs, setRuns] = useState<PlanRun[]>([]);
  const [reviews, setReviews] = useState<PlanReview[]>([]);
  const [writing, setWriting] = useState(false);
  const [tick, setTick] = useState(0);
  const report = useReportError();

  useEffect(() => {
    let live = true;
    Promise.all([incidentPlanRuns(drill.incidentId), incidentReviews(drill.incidentId)]).then(
      ([r, v]) => {
        if (!live) return;
        setRuns(r.runs);
        setReviews(v.items);
      },
      (e) => live && report(e),
    );
    return () => {
      live = false;
    };
  }, [drill.incidentId, tick, report]);

  return (
    <div data-testid={`drill-detail-${drill.incidentId}`}>
      {runs.map((run) => (
        <Table
          key={run.id}
          rowKey="id"
          size="small"
          pagination={false}
          style={{ marginBottom: 8 }}
          dataSource={run.steps}
          columns={[
            { title: t('plans.runs.step'), dataIndex: 'title' },
            { title: t('plans.runs.responsible'), key: 'who', width: 120, render: (_, s) => s.task?.responsibleName ?? '—' },
            { title: t('plans.runs.deadline'), key: 'deadline', width: 120, render: (_, s) => formatShort(s.deadline) },
            { title: t('plans.drills.doneAt'), key: 'doneAt', width: 120, render: (_, s) => (s.doneAt === null ? '—' : formatShort(s.doneAt)) },
            { title: t('plans.runs.state'), key: 'state', width: 140, render: (_, s) => (s.state === 'done' ? <Tag color={s.late ? STATE_COLOURS.late : STATE_COLOURS.verified}>{s.late ? t('plans.runs.late') : t('plans.runs.onTime')}</Tag> : <StepStateTag step={s} />) },
          ]}
        />
      ))}
      {reviews.length > 0 && <Reviews reviews={reviews} />}
      {canWrite && (
        <Button size="small" onClick={() => setWriting(true)} data-testid={`drill-review-${drill.incidentId}`}>
          {t('plans.review.write')}
        </Button>
      )}
      {writing && (
        <ReviewModal
          open
          incidentId={drill.incidentId}
          plans={runs.map((r) => ({ id: r.planId, title: r.planTitle }))}
          steps={runs.flatMap((r) => r.steps.map((s) => ({ key: s.key, title: s.title })))}
          onClose={() => setWriting(false)}
          onSaved={() => {
            setWriting(false);
            void message.success(t('plans.review.saved'));
            setTick((n) => n + 1);
            onChanged();
          }}
        />
      )}
    </div>
  );
}
