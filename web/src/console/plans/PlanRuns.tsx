import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Empty, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { IncidentDetail } from '../../api/incidents';
import { incidentPlanRuns, incidentReviews, type PlanReview, type PlanRun, type PlanRunStep } from '../../api/plans';
import { useFormatShort } from '../directives/bits';
import { useMe } from '../../state/session';
import { DependsOn, DrillTag, StepStateTag } from './bits';
import { Reviews } from './Reviews';
import { ReviewModal } from './ReviewModal';

/** A task's overdue mark changes with the clock, not with an incident event: look again this often while shown. */
const POLL_MS = 30_000;

/**
 * 预案执行 on the incident page: each plan run (plan, version, drill or not) with its steps — the
 * task, who answers for it, its deadline, and where it stands (waiting on another step, assigned,
 * done, or overdue in red) with a link to the task; then the reviews (复盘) written on it.
 */
export function PlanRuns({ incident }: { incident: IncidentDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formatShort = useFormatShort();
  const me = useMe();
  const [runs, setRuns] = useState<PlanRun[] | null>(null);
  const [reviews, setReviews] = useState<PlanReview[]>([]);
  const [writing, setWriting] = useState(false);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    Promise.all([incidentPlanRuns(incident.id), incidentReviews(incident.id)]).then(
      ([r, v]) => {
        if (!live) return;
        setRuns(r.runs);
        setReviews(v.items);
      },
      // The card is an addition to the incident's page: a failure here leaves the rest of the page alone.
      () => live && setRuns((prev) => prev ?? []),
    );
    return () => {
      live = false;
    };
    // `incident` is a new object after every change the live stream brings.
  }, [incident, tick]);

  useEffect(() => {
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  if (runs === null) return null;
  const canReview = me.permissions.includes('plans.write') && runs.length > 0 && (incident.drill || incident.status !== 'open');
  if (runs.length === 0 && reviews.length === 0) return null;

  const columns = (run: PlanRun): TableColumnsType<PlanRunStep> => {
    const titles = new Map(run.steps.map((s) => [s.key, s.title]));
    return [
      {
        title: t('plans.runs.step'),
        key: 'title',
        render: (_, s) => (
          <div>
            {s.taskId !== null ? (
              <Link to={`/directives/tasks/${s.taskId}`} data-testid={`run-step-task-${s.key}`}>
                {s.title}
              </Link>
            ) : (
              <span>{s.title}</span>
            )}
            {s.state === 'waiting' && s.dependsOn.length > 0 && (
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('plans.runs.waitsOn')} <DependsOn keys={s.dependsOn} titles={titles} />
                </Typography.Text>
              </div>
            )}
            {s.actionResult && (
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {s.actionResult}
                </Typography.Text>
              </div>
            )}
          </div>
        ),
      },
      {
        title: t('plans.runs.responsible'),
        key: 'who',
        width: 120,
        render: (_, s) => <span data-testid={`run-step-who-${s.key}`}>{s.task?.responsibleName ?? '—'}</span>,
      },
      {
        title: t('plans.runs.deadline'),
        key: 'deadline',
        width: 120,
        render: (_, s) => (
          <Typography.Text type={s.task?.overdue ? 'danger' : undefined} data-testid={`run-step-deadline-${s.key}`} data-deadline={s.deadline}>
            {formatShort(s.deadline)}
          </Typography.Text>
        ),
      },
      { title: t('plans.runs.state'), key: 'state', width: 130, render: (_, s) => <StepStateTag step={s} testId={`run-step-state-${s.key}`} /> },
    ];
  };

  return (
    <Card
      size="small"
      title={t('plans.runs.title')}
      style={{ marginBottom: 16 }}
      data-testid="plan-runs"
      extra={
        canReview && (
          <Button size="small" onClick={() => setWriting(true)} data-testid="plan-review-write">
            {t('plans.review.write')}
          </Button>
        )
      }
    >
      {runs.length === 0 && <Empty description={t('plans.runs.none')} />}
      {runs.map((run) => (
        <div key={run.id} style={{ marginBottom: 12 }} data-testid={`plan-run-${run.id}`} data-plan={run.planId}>
          <Space size={4} wrap style={{ marginBottom: 6 }}>
            <Link to={`/duty/plans/${run.planId}`}>{run.planTitle}</Link>
            <Tag>{t('plans.list.versionN', { v: run.version })}</Tag>
            <Typography.Text type="secondary">{run.planUnitName}</Typography.Text>
            {run.drill && <DrillTag testId={`plan-run-drill-${run.id}`} />}
            {run.trigger === 'level' && <Tag>{t('plans.runs.byLevel')}</Tag>}
            {run.completedAt !== null && <Tag color="green">{t('plans.runs.completed')}</Tag>}
          </Space>
          <Table<PlanRunStep>
            rowKey="id"
            size="small"
            pagination={false}
            columns={columns(run)}
            dataSource={run.steps}
            onRow={(s) => ({ 'data-testid': `run-step-${s.key}` }) as React.HTMLAttributes<HTMLElement>}
          />
        </div>
      ))}
      {reviews.length > 0 && (
        <>
          <Typography.Title level={5}>{t('plans.review.list')}</Typography.Title>
          <Reviews reviews={reviews} />
        </>
      )}
      {writing && (
        <ReviewModal
          open
          incidentId={incident.id}
          plans={runs.map((r) => ({ id: r.planId, title: r.planTitle }))}
          steps={runs.flatMap((r) => r.steps.map((s) => ({ key: s.key, title: s.title })))}
          onClose={() => setWriting(false)}
          onSaved={() => {
            setWriting(false);
            void message.success(t('plans.review.saved'));
            refresh();
          }}
        />
      )}
    </Card>
  );
}
