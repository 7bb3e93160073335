import { useEffect, useState } from 'react';
import { App, Card, Checkbox, Flex, Segmented, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { listTasks, verifyTask, type Task, type TaskState } from '../../api/directives';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useScope } from '../../state/scope';
import { TaskTable } from './TaskTable';

/** A unit's task inbox: the tasks it holds (or its whole subtree holds), by state; each opens to act on it. */
export default function TasksPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const { unitId, unit } = useScope();
  const [state, setState] = useState<TaskState>('open');
  const [ownOnly, setOwnOnly] = useState(true);
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<{ items: Task[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const { modal, message } = App.useApp();

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [state, ownOnly, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listTasks({ unitId: unitId ?? undefined, state, ownUnitOnly: ownOnly, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, state, ownOnly, paging, tick, report]);

  const verify = (task: Task) =>
    modal.confirm({
      content: t('directives.inbox.confirmVerify', { title: task.title, unit: task.unitName }),
      okButtonProps: { 'data-testid': 'task-quick-verify-ok' },
      onOk: async () => {
        try {
          await verifyTask(task.id);
          void message.success(t('directives.task.verified'));
          setTick((n) => n + 1);
        } catch (e) {
          report(e);
        }
      },
    });

  return (
    <>
      <PageHeader title={t('directives.inbox.title')} subtitle={unit ? t('directives.inbox.subtitle', { unit: unit.name }) : undefined} />
      <Card size="small">
        <Flex gap={16} wrap align="center" style={{ marginBottom: 12 }}>
          <Segmented
            value={state}
            onChange={(v) => setState(v as TaskState)}
            options={(['open', 'overdue', 'done', 'verified', 'all'] as const).map((s) => ({ value: s, label: <span data-testid={`tasks-state-${s}`}>{t(`directives.states.${s}`)}</span> }))}
          />
          <Checkbox checked={ownOnly} onChange={(e) => setOwnOnly(e.target.checked)} data-testid="tasks-own-only">
            {t('directives.inbox.ownOnly')}
          </Checkbox>
        </Flex>
        {state === 'done' && ownOnly && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
            {t('directives.inbox.verifyHint')}
          </Typography.Paragraph>
        )}
        <TaskTable tasks={data.items} loading={loading} pagination={serverPagination(paging, setPaging, data.total, t)} empty={t('directives.inbox.empty')} onVerify={verify} />
      </Card>
    </>
  );
}
