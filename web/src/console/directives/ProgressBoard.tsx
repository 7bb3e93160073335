import { useEffect, useState } from 'react';
import { Alert, Breadcrumb, Card, Flex, Progress, Space, Table, Tag, Typography, Button, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { directiveProgress, type DirectiveProgress, type ProgressNode } from '../../api/directives';
import { useReportError } from '../../components/apiErrors';
import { FigureTags, STATE_COLOURS, TaskStatusTag, useFormatShort } from './bits';

type Row = ProgressNode & { own?: boolean };

/**
 * A directive's progress as a tree by unit: each child subtree's figures (done / in time / overdue),
 * drill-down into any that has tasks below, the tasks the unit itself holds, and where the cascade
 * is stuck (open tasks with nothing open below them, oldest deadline first).
 */
export function ProgressBoard({ directiveId, tick }: { directiveId: number; tick: number }) {
  const { t } = useTranslation();
  const report = useReportError();
  const formatShort = useFormatShort();
  const [trail, setTrail] = useState<{ id: number; name: string }[]>([]);
  const [progress, setProgress] = useState<DirectiveProgress | null>(null);
  const [loading, setLoading] = useState(false);
  const unitId = trail.length ? trail[trail.length - 1]!.id : undefined;

  useEffect(() => {
    let live = true;
    setLoading(true);
    directiveProgress(directiveId, unitId)
      .then((p) => live && setProgress(p), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [directiveId, unitId, tick, report]);

  if (!progress) return <Card size="small" loading />;
  // The unit's own row counts only the tasks it holds itself (its node's figures are the whole subtree's).
  const own = progress.unit.tasks;
  const ownRow: Row = {
    ...progress.unit,
    own: true,
    total: own.length,
    inTime: own.filter((x) => (x.status === 'assigned' || x.status === 'acknowledged') && !x.overdue).length,
    overdue: own.filter((x) => x.overdue).length,
    done: own.filter((x) => x.status === 'done').length,
    verified: own.filter((x) => x.status === 'verified').length,
    late: 0, // a task brief does not say whether it finished late: not shown for the own row
  };
  const rows: Row[] = [...(own.length > 0 ? [ownRow] : []), ...progress.children];
  const columns: TableColumnsType<Row> = [
    {
      title: t('directives.board.unit'),
      key: 'unit',
      render: (_, r) =>
        r.own ? (
          <Typography.Text strong>{t('directives.board.own', { name: r.name })}</Typography.Text>
        ) : r.hasChildren ? (
          <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setTrail((x) => [...x, { id: r.unitId, name: r.name }])} data-testid={`board-drill-${r.unitId}`}>
            {r.name}
          </Button>
        ) : (
          r.name
        ),
    },
    { title: t('directives.board.total'), dataIndex: 'total', width: 70, align: 'right' },
    {
      title: t('directives.board.finished'),
      key: 'bar',
      width: 170,
      render: (_, r) => (
        <Progress
          size="small"
          percent={r.total ? Math.round(((r.done + r.verified) / r.total) * 100) : 0}
          success={{ percent: r.total ? Math.round((r.verified / r.total) * 100) : 0 }}
          status={r.overdue > 0 ? 'exception' : undefined}
        />
      ),
    },
    { title: t('directives.board.state'), key: 'figures', render: (_, r) => <FigureTags f={r} testId={`board-row-${r.unitId}${r.own ? '-own' : ''}`} /> },
    {
      title: t('directives.board.tasksHere'),
      key: 'tasks',
      width: 260,
      render: (_, r) => (
        <Space size={4} wrap>
          {r.tasks.map((tk) => (
            <Link key={tk.id} to={`/directives/tasks/${tk.id}`} data-testid={`board-task-${tk.id}`}>
              <Space size={2}>
                <TaskStatusTag task={tk} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {tk.responsibleName} · {formatShort(tk.deadline)}
                  {tk.partCount > 0 && ` · ${t('directives.board.parts', { n: tk.partCount })}`}
                </Typography.Text>
              </Space>
            </Link>
          ))}
        </Space>
      ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Card size="small">
        <Flex gap={12} wrap align="center" justify="space-between" style={{ marginBottom: 12 }}>
          <Breadcrumb
            items={[
              { title: trail.length ? <a onClick={() => setTrail([])}>{t('directives.board.top')}</a> : t('directives.board.top') },
              ...trail.map((u, i) => ({ title: i === trail.length - 1 ? u.name : <a onClick={() => setTrail(trail.slice(0, i + 1))}>{u.name}</a> })),
            ]}
          />
          <FigureTags f={progress.total} testId="board-total" />
        </Flex>
        <Table<Row>
          rowKey={(r) => (r.own ? `own-${r.unitId}` : r.unitId)}
          size="small"
          loading={loading}
          columns={columns}
          dataSource={rows}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          onRow={(r) => ({ style: r.overdue > 0 ? { background: '#fff1f0' } : undefined, 'data-testid': `board-unit-${r.unitId}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: t('directives.board.empty') }}
        />
      </Card>
      {progress.stuck.length > 0 && (
        <Card size="small" title={<span style={{ color: '#cf1322' }}>{t('directives.board.stuckTitle', { n: progress.stuck.length })}</span>}>
          <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t('directives.board.stuckHint')} />
          <Table
            rowKey="taskId"
            size="small"
            pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
            dataSource={progress.stuck}
            columns={[
              { title: t('directives.board.unit'), dataIndex: 'unitName', render: (n: string, s) => <Link to={`/directives/tasks/${s.taskId}`} data-testid={`stuck-${s.taskId}`}>{n}</Link> },
              { title: t('directives.task.responsible'), dataIndex: 'responsibleName', width: 140 },
              { title: t('directives.deadline'), dataIndex: 'deadline', width: 140, render: (ms: number, s) => <Typography.Text type={s.overdue ? 'danger' : undefined}>{formatShort(ms)}</Typography.Text> },
              { title: t('directives.task.status'), key: 'status', width: 140, render: (_, s) => <TaskStatusTag task={s} /> },
            ]}
          />
        </Card>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <Tag color={STATE_COLOURS.overdue}>{t('directives.status.overdue')}</Tag>
        {t('directives.board.legend')}
      </Typography.Text>
    </Flex>
  );
}
