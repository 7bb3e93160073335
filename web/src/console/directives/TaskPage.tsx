import { useEffect, useState } from 'react';
import { Alert, Breadcrumb, Card, Col, Descriptions, Result, Row, Skeleton, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { getTask, type TaskDetail, type TaskEvent } from '../../api/directives';
import { ApiError } from '../../api/client';
import { describeError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { DrillTag } from '../plans/bits';
import { AttachmentLinks, EvidenceTags, TaskStatusTag } from './bits';
import { TaskActions } from './TaskActions';
import { TaskTable } from './TaskTable';

const EVENT_COLOURS: Partial<Record<TaskEvent['action'], string>> = { completed: 'blue', verified: 'green', returned: 'red', overdue: 'red', acknowledged: 'gold' };

/** One task: what is asked and by when, its evidence, its parts below, its history, and the actions the user may take. */
export default function TaskPage() {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const id = Number(useParams().id);
  const [task, setTask] = useState<TaskDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    getTask(id).then((x) => live && setTask(x), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id, tick]);

  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return <Result status={missing ? '404' : 'warning'} title={missing ? t('directives.task.notFound') : describeError(t, error)} extra={<Link to="/directives/tasks">{t('directives.inbox.title')}</Link>} />;
  }
  if (!task || task.id !== id) return <Skeleton active paragraph={{ rows: 8 }} />;

  return (
    <>
      <PageHeader
        breadcrumb={
          <Breadcrumb
            style={{ marginBottom: 8 }}
            items={[
              { title: <Link to="/directives">{t('directives.list.title')}</Link> },
              { title: <Link to={`/directives/${task.directiveId}`}>{task.directiveTitle}</Link> },
              ...(task.parentTaskId !== null ? [{ title: <Link to={`/directives/tasks/${task.parentTaskId}`}>{t('directives.task.parent')}</Link> }] : []),
              { title: task.unitName },
            ]}
          />
        }
        title={task.title}
        subtitle={
          <>
            {task.drill && <DrillTag testId="task-drill" />}
            <span data-testid="task-status">
              <TaskStatusTag task={task} />
            </span>
          </>
        }
        extra={<TaskActions task={task} onChanged={(next) => (next ? setTask(next) : setTick((n) => n + 1))} />}
      />
      {task.returnReason && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('directives.task.returnedBecause', { reason: task.returnReason })} data-testid="task-return-reason-shown" />}
      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('directives.task.unit')}>{task.unitName}</Descriptions.Item>
              <Descriptions.Item label={t('directives.task.responsible')}>{task.responsibleName}</Descriptions.Item>
              <Descriptions.Item label={t('directives.deadline')}>
                <Typography.Text type={task.overdue ? 'danger' : undefined}>{formatTime(task.deadline)}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('directives.assign.evidence')}>
                <EvidenceTags kinds={task.evidence} />
              </Descriptions.Item>
              <Descriptions.Item label={t('directives.task.assignedBy')}>{`${task.assignedByName ?? '—'} · ${formatTime(task.assignedAt)}`}</Descriptions.Item>
              <Descriptions.Item label={t('directives.documentNo')}>{task.documentNo ?? '—'}</Descriptions.Item>
            </Descriptions>
            {task.instructions && (
              <>
                <Typography.Title level={5}>{t('directives.assign.instructions')}</Typography.Title>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{task.instructions}</Typography.Paragraph>
              </>
            )}
            <Typography.Title level={5}>{t('directives.task.directiveText')}</Typography.Title>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} ellipsis={{ rows: 6, expandable: true, symbol: t('common.more') }}>
              {task.directiveBody}
            </Typography.Paragraph>
            {task.directiveAttachmentIds.length > 0 && <AttachmentLinks ids={task.directiveAttachmentIds} />}
          </Card>
          {(task.report || task.photoIds.length > 0 || task.fileIds.length > 0) && (
            <Card size="small" title={t('directives.task.evidenceTitle')} style={{ marginBottom: 16 }} data-testid="task-evidence">
              {task.report && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="task-report-shown">{task.report}</Typography.Paragraph>}
              {task.photoIds.length > 0 && <AttachmentLinks ids={task.photoIds} images />}
              {task.fileIds.length > 0 && (
                <div style={{ marginTop: 8 }}>
                  <AttachmentLinks ids={task.fileIds} />
                </div>
              )}
            </Card>
          )}
          {task.parts.length > 0 && (
            <Card size="small" title={t('directives.task.partsTitle', { done: task.partsVerified, n: task.partCount })} style={{ marginBottom: 16 }}>
              <TaskTable tasks={task.parts} showDirective={false} />
            </Card>
          )}
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('directives.task.history')}>
            <Timeline
              data-testid="task-events"
              items={task.events.map((ev) => ({
                color: EVENT_COLOURS[ev.action] ?? 'gray',
                children: (
                  <div data-testid={`task-event-${ev.action}`}>
                    <Typography.Text strong>{t(`directives.events.${ev.action}`)}</Typography.Text>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {`${ev.actorName ?? t('directives.events.system')} · ${formatTime(ev.at)}`}
                      </Typography.Text>
                    </div>
                    {ev.note && <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{ev.note}</Typography.Text>}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
