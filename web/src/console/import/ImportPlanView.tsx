import { useMemo, useState } from 'react';
import { Alert, Button, Card, Flex, Segmented, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportPlan, ImportRow } from '../../api/import';

const ACTION_COLOURS: Record<ImportRow['action'], string> = { create: 'green', update: 'blue', unchanged: 'default', reject: 'red' };
const SUMMARY_KEYS = ['unitsCreate', 'unitsUpdate', 'unitsUnchanged', 'peopleCreate', 'peopleUpdate', 'peopleUnchanged', 'rejected'] as const;

/** The plan's counts as a row of statistics. */
export function ImportSummary({ plan, testId = 'import-dryrun-summary' }: { plan: ImportPlan; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Flex gap={12} wrap data-testid={testId}>
      {SUMMARY_KEYS.map((k) => (
        <Card key={k} size="small" variant="outlined" style={{ flex: '1 1 130px' }}>
          <Statistic
            title={t(`import.${k}`)}
            value={plan.summary[k]}
            styles={{ content: { color: k === 'rejected' && plan.summary.rejected > 0 ? '#cf1322' : k.endsWith('Create') && plan.summary[k] > 0 ? '#389e0d' : undefined } }}
          />
        </Card>
      ))}
    </Flex>
  );
}

type ActionFilter = ImportRow['action'] | 'all';

/** The dry run: counts, whether it can be imported, and every row with its reasons. */
export function ImportPlanView({ plan, committing, onCommit }: { plan: ImportPlan; committing: boolean; onCommit(): void }) {
  const { t } = useTranslation();
  const [action, setAction] = useState<ActionFilter>(plan.summary.rejected > 0 ? 'reject' : 'all');
  const [kind, setKind] = useState<ImportRow['kind'] | 'all'>('all');
  const s = plan.summary;
  const changes = s.unitsCreate + s.unitsUpdate + s.peopleCreate + s.peopleUpdate;
  const rows = useMemo(() => plan.rows.filter((r) => (action === 'all' || r.action === action) && (kind === 'all' || r.kind === kind)), [plan.rows, action, kind]);
  const countOf = (a: ImportRow['action']) => plan.rows.filter((r) => r.action === a).length;

  const columns: TableColumnsType<ImportRow> = [
    { title: t('import.sheet'), dataIndex: 'sheet', width: 140, ellipsis: true },
    { title: t('import.row'), dataIndex: 'row', width: 80, align: 'right' },
    { title: t('import.kind'), dataIndex: 'kind', width: 90, render: (k: ImportRow['kind']) => t(`import.kinds.${k}`) },
    { title: t('import.action'), dataIndex: 'action', width: 100, render: (a: ImportRow['action']) => <Tag color={ACTION_COLOURS[a]}>{t(`import.actions.${a}`)}</Tag> },
    { title: t('import.key'), dataIndex: 'key', width: 200, ellipsis: true },
    {
      title: t('import.reasons'),
      dataIndex: 'reasons',
      render: (reasons: ImportRow['reasons']) =>
        reasons.length === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Flex vertical gap={2}>
            {reasons.map((r, i) => (
              <Typography.Text key={i} type="danger">
                {r.column ? t('import.reason', { column: r.column, message: r.message }) : r.message}
              </Typography.Text>
            ))}
          </Flex>
        ),
    },
  ];

  return (
    <Card title={t('import.dryRunTitle')}>
      <ImportSummary plan={plan} />
      <div style={{ margin: '16px 0' }}>
        {s.rejected > 0 ? (
          <Alert type="error" showIcon title={t('import.rejectedAlert', { n: s.rejected })} data-testid="import-rejected" />
        ) : changes === 0 ? (
          <Alert type="info" showIcon title={t('import.nothingToDo')} />
        ) : (
          <Alert
            type="success"
            showIcon
            title={t('import.readyAlert')}
            action={
              <Button type="primary" loading={committing} onClick={onCommit} data-testid="import-commit">
                {t('import.commit')}
              </Button>
            }
          />
        )}
      </div>
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        <Segmented<ActionFilter>
          value={action}
          onChange={setAction}
          options={[
            { value: 'all', label: `${t('common.all')} ${plan.rows.length}` },
            ...(['create', 'update', 'unchanged', 'reject'] as const).map((a) => ({ value: a, label: `${t(`import.actions.${a}`)} ${countOf(a)}` })),
          ]}
        />
        <Segmented<ImportRow['kind'] | 'all'>
          value={kind}
          onChange={setKind}
          options={[
            { value: 'all', label: t('common.all') },
            { value: 'unit', label: t('import.kinds.unit') },
            { value: 'person', label: t('import.kinds.person') },
          ]}
        />
      </Flex>
      {plan.rowsOmitted > 0 && <Typography.Paragraph type="secondary">{t('import.rowsOmitted', { count: plan.rowsOmitted })}</Typography.Paragraph>}
      <Table<ImportRow> rowKey={(r) => `${r.sheet}:${r.row}:${r.kind}`} size="small" columns={columns} dataSource={rows} pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }} data-testid="import-rows" />
    </Card>
  );
}
