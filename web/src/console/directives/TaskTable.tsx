import { Button, Table, Typography, type TableColumnsType, type TablePaginationConfig } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Task } from '../../api/directives';
import { DrillTag } from '../plans/bits';
import { TaskStatusTag, useFormatShort } from './bits';

/** Tasks as every list shows them: what, which unit, who answers, by when, how far (and its parts). */
export function TaskTable({
  tasks,
  loading,
  pagination,
  showDirective = true,
  empty,
  onVerify,
}: {
  tasks: Task[];
  loading?: boolean;
  pagination?: TablePaginationConfig | false;
  showDirective?: boolean;
  empty?: string;
  /** Offer 核验 in the row of each done task the user may verify (a return needs its reason: on the task's page). */
  onVerify?: (task: Task) => void;
}) {
  const { t } = useTranslation();
  const formatShort = useFormatShort();
  const columns: TableColumnsType<Task> = [
    {
      title: t('directives.task.title'),
      key: 'title',
      render: (_, tk) => (
        <div>
          {tk.drill && <DrillTag testId={`task-drill-${tk.id}`} />}
          <Link to={`/directives/tasks/${tk.id}`} data-testid={`task-link-${tk.id}`}>
            {tk.title}
          </Link>
          {showDirective && tk.directiveTitle !== tk.title && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {[tk.documentNo, tk.directiveTitle].filter(Boolean).join(' · ')}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    { title: t('directives.task.unit'), dataIndex: 'unitName', width: 160, ellipsis: true },
    { title: t('directives.task.responsible'), dataIndex: 'responsibleName', width: 110 },
    { title: t('directives.deadline'), dataIndex: 'deadline', width: 120, render: (ms: number, tk) => <Typography.Text type={tk.overdue ? 'danger' : undefined}>{formatShort(ms)}</Typography.Text> },
    { title: t('directives.task.status'), key: 'status', width: 150, render: (_, tk) => <TaskStatusTag task={tk} /> },
    { title: t('directives.task.parts'), key: 'parts', width: 90, align: 'right', render: (_, tk) => (tk.partCount ? `${tk.partsVerified}/${tk.partCount}` : '—') },
    ...(onVerify
      ? [
          {
            title: t('common.actions'),
            key: 'verify',
            width: 90,
            render: (_: unknown, tk: Task) =>
              tk.abilities.verify && (
                <Button size="small" type="link" style={{ padding: 0 }} onClick={() => onVerify(tk)} data-testid={`task-quick-verify-${tk.id}`}>
                  {t('directives.task.verify')}
                </Button>
              ),
          },
        ]
      : []),
  ];
  return (
    <Table<Task>
      rowKey="id"
      size="small"
      loading={loading}
      columns={columns}
      dataSource={tasks}
      pagination={pagination ?? false}
      onRow={(tk) => ({ 'data-testid': `task-row-${tk.id}` }) as React.HTMLAttributes<HTMLElement>}
      locale={{ emptyText: <Typography.Text type="secondary">{empty ?? t('directives.task.empty')}</Typography.Text> }}
    />
  );
}
