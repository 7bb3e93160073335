import { useCallback, useEffect, useState } from 'react';
import { App, Button, Empty, Flex, Form, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { EXCEPTION_STATUSES, ExceptionRefuse } from '../../../../common/schemas/measures.js';
import { approveException, listExceptions, refuseException, type ExceptionItem, type ExceptionQuery } from '../../api/measures';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { FormModal } from '../../components/FormModal';
import { serverPagination } from '../../components/serverPagination';
import { zodRule } from '../../components/zodRule';
import { useMeasureText } from './measureText';

type StatusFilter = NonNullable<ExceptionQuery['status']> | 'all';
const STATUS_COLOR: Record<ExceptionItem['status'], string> = { pending: 'gold', approved: 'green', refused: 'red', withdrawn: 'default', set: 'default' };

/** Every exception in the subtree (default: the whole scope) — pending first — with approve and refuse for the level above. */
export function ExceptionsTab({ unitId }: { unitId: number | null }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const formatTime = useFormatTime();
  const text = useMeasureText();
  const [status, setStatus] = useState<StatusFilter>('all');
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: ExceptionItem[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [version, setVersion] = useState(0);
  const [refusing, setRefusing] = useState<ExceptionItem | null>(null);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [unitId, status]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listExceptions({ unitId: unitId ?? undefined, status: status === 'all' ? undefined : status, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, status, paging, version, report]);

  const approve = (x: ExceptionItem) =>
    modal.confirm({
      content: t('measures.exceptions.approveConfirm', { unit: x.unitName, measure: text.name(x.key), value: text.value(x.key, x.value) }),
      okText: t('measures.exceptions.approve'),
      onOk: async () => {
        try {
          await approveException(x.id);
          void message.success(t('measures.exceptions.approved'));
          reload();
        } catch (e) {
          report(e);
        }
      },
    });

  const columns: TableColumnsType<ExceptionItem> = [
    { title: t('measures.unit'), dataIndex: 'unitName', ellipsis: true },
    { title: t('measures.measure'), dataIndex: 'key', render: (k: string) => text.name(k) },
    {
      title: t('measures.exceptions.asked'),
      key: 'value',
      render: (_, x) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{text.value(x.key, x.value)}</Typography.Text>
          <Typography.Text type="secondary">{t('measures.exceptions.parentWas', { value: text.value(x.key, x.parentValue) })}</Typography.Text>
        </Space>
      ),
    },
    { title: t('measures.effectiveFrom'), dataIndex: 'effectiveFrom', width: 120 },
    { title: t('measures.reason'), dataIndex: 'reason', ellipsis: true },
    {
      title: t('measures.exceptions.status'),
      key: 'status',
      render: (_, x) => (
        <Space direction="vertical" size={0}>
          <Tag color={STATUS_COLOR[x.status]} data-testid={`exception-status-${x.id}`}>{t(`measures.exceptions.statuses.${x.status}`)}</Tag>
          <Typography.Text type="secondary">{t('measures.exceptions.requestedBy', { name: x.requestedBy?.name ?? t('measures.system'), at: formatTime(x.requestedAt) })}</Typography.Text>
          {x.decidedBy && x.status !== 'withdrawn' && (
            <Typography.Text type="secondary">
              {t('measures.exceptions.decidedBy', { name: x.decidedBy.name, at: formatTime(x.decidedAt) })}
              {x.decisionNote ? ` · ${x.decisionNote}` : ''}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, x) => (
        <Space size={0}>
          {x.abilities.approve && (
            <Button type="link" size="small" onClick={() => approve(x)} data-testid={`exception-approve-${x.id}`}>
              {t('measures.exceptions.approve')}
            </Button>
          )}
          {x.abilities.refuse && (
            <Button type="link" size="small" danger onClick={() => setRefusing(x)} data-testid={`exception-refuse-${x.id}`}>
              {t('measures.exceptions.refuse')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select<StatusFilter>
          style={{ width: 160 }}
          value={status}
          onChange={setStatus}
          options={(['all', ...EXCEPTION_STATUSES] as const).map((s) => ({ value: s, label: s === 'all' ? t('common.all') : t(`measures.exceptions.statuses.${s}`) }))}
          data-testid="exceptions-status"
        />
      </Flex>
      <Table<ExceptionItem>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data.items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('measures.exceptions.empty')} /> }}
        pagination={serverPagination(paging, setPaging, data.total, t)}
        data-testid="exceptions-table"
      />
      {refusing && <RefuseModal item={refusing} onClose={() => setRefusing(null)} onDone={reload} />}
    </>
  );
}

function RefuseModal({ item, onClose, onDone }: { item: ExceptionItem; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const text = useMeasureText();
  const [form] = Form.useForm<{ note: string }>();
  const submit = async (v: { note: string }) => {
    try {
      await refuseException(item.id, v.note.trim());
      void message.success(t('measures.exceptions.refused'));
      onDone();
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: ['note'] });
      throw e;
    }
  };
  return (
    <FormModal
      title={t('measures.exceptions.refuseTitle', { unit: item.unitName, measure: text.name(item.key), value: text.value(item.key, item.value) })}
      open
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      submitText={t('measures.exceptions.refuse')}
      danger
      submitTestId="exception-refuse-submit"
    >
      <Form.Item name="note" label={t('measures.exceptions.refuseNote')} rules={[{ required: true, message: t('common.required') }, zodRule(ExceptionRefuse.shape.note)]}>
        <Input.TextArea rows={3} maxLength={500} data-testid="exception-refuse-note" />
      </Form.Item>
    </FormModal>
  );
}
