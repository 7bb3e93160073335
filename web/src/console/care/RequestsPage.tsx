import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, Segmented, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { CARE_KINDS, CARE_REQUEST_STATUSES, declineRequest, listRequests, requestAddToCase, requestOpenCase, type CareKind, type CareRequest, type CareRequestStatus } from '../../api/care';
import { ApiError } from '../../api/client';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useScope } from '../../state/scope';

const STATUS_COLOURS: Record<CareRequestStatus, string> = { open: 'red', case_opened: 'green', added_to_case: 'green', declined: 'default' };

/**
 * 求助: what people asked for from the phone. Each open request becomes a new case (with the asked
 * need on it), a need on the person's open case, or is answered without one.
 */
export default function RequestsPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const format = useFormatTime();
  const { unitId, unit } = useScope();
  const [status, setStatus] = useState<CareRequestStatus>('open');
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: CareRequest[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const [toCase, setToCase] = useState<CareRequest | null>(null);
  const [declining, setDeclining] = useState<CareRequest | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [status, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listRequests({ unitId: unitId ?? undefined, status, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, status, paging, tick, report]);

  const addToCase = async (r: CareRequest) => {
    setBusy(r.id);
    try {
      const c = await requestAddToCase(r.id);
      void message.success(t('care.requests.added', { name: r.personName }));
      navigate(`/care/cases/${c.id}`);
    } catch (e) {
      report(e);
      refresh();
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<CareRequest> = [
    { title: t('care.requests.askedAt'), key: 'at', width: 150, render: (_, r) => format(r.createdAt) },
    { title: t('care.list.person'), dataIndex: 'personName', width: 120 },
    { title: t('care.list.unit'), dataIndex: 'unitName', width: 150, ellipsis: true },
    { title: t('care.requests.need'), key: 'need', width: 110, render: (_, r) => <Tag>{t(`care.needKinds.${r.needKind}`)}</Tag> },
    { title: t('care.requests.note'), key: 'note', render: (_, r) => r.note ?? <Typography.Text type="secondary">—</Typography.Text> },
    {
      title: t('care.list.status'),
      key: 'status',
      width: 200,
      render: (_, r) => (
        <Space size={4} wrap>
          <Tag color={STATUS_COLOURS[r.status]}>{t(`care.requestStatuses.${r.status}`)}</Tag>
          {r.caseId !== null && <Link to={`/care/cases/${r.caseId}`}>{t('care.requests.toCase')}</Link>}
          {r.answer && <Typography.Text type="secondary">{r.answer}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 260,
      render: (_, r) =>
        r.status === 'open' && (
          <Space size={0} wrap>
            <Button type="link" size="small" onClick={() => setToCase(r)} data-testid={`care-request-case-${r.id}`}>
              {t('care.requests.openCase')}
            </Button>
            <Button type="link" size="small" loading={busy === r.id} onClick={() => void addToCase(r)} data-testid={`care-request-add-${r.id}`}>
              {t('care.requests.addToCase')}
            </Button>
            <Button type="link" size="small" danger onClick={() => setDeclining(r)} data-testid={`care-request-decline-${r.id}`}>
              {t('care.requests.decline')}
            </Button>
          </Space>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('care.requests.title')} subtitle={unit ? t('care.requests.subtitle', { unit: unit.name }) : undefined} />
      <Card size="small">
        <Segmented<CareRequestStatus>
          style={{ marginBottom: 12 }}
          value={status}
          onChange={setStatus}
          options={CARE_REQUEST_STATUSES.map((s) => ({ value: s, label: t(`care.requestStatuses.${s}`) }))}
          data-testid="care-requests-status"
        />
        <Table<CareRequest>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          scroll={{ x: 1100 }}
          onRow={(r) => ({ 'data-testid': `care-request-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Typography.Text type="secondary">{status === 'open' ? t('care.requests.empty') : t('care.requests.emptyOther')}</Typography.Text> }}
        />
      </Card>
      {toCase && (
        <RequestCaseModal
          request={toCase}
          onClose={() => setToCase(null)}
          onOpened={(id) => {
            setToCase(null);
            navigate(`/care/cases/${id}`);
          }}
        />
      )}
      {declining && (
        <DeclineModal
          request={declining}
          onClose={() => setDeclining(null)}
          onDone={() => {
            setDeclining(null);
            refresh();
          }}
        />
      )}
    </>
  );
}

interface CaseValues {
  kind: CareKind;
  startsOn: Dayjs;
}

/** Turn a request into a new case: its kind and first day; the asked need goes on it. */
function RequestCaseModal({ request, onClose, onOpened }: { request: CareRequest; onClose(): void; onOpened(caseId: number): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<CaseValues>();
  const submit = async (v: CaseValues) => {
    try {
      const c = await requestOpenCase(request.id, { kind: v.kind, startsOn: v.startsOn.format('YYYY-MM-DD') });
      onOpened(c.id);
    } catch (e) {
      report(e, e instanceof ApiError ? { instance: form, fields: ['kind', 'startsOn'] } : undefined);
      throw e;
    }
  };
  return (
    <FormModal<CaseValues>
      title={t('care.requests.openCaseTitle', { name: request.personName })}
      open
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={{ startsOn: dayjs() }}
      submitText={t('care.open.submit')}
      submitTestId="care-request-case-submit"
    >
      <Typography.Paragraph type="secondary">{t('care.requests.openCaseHelp', { need: t(`care.needKinds.${request.needKind}`) })}</Typography.Paragraph>
      <Form.Item name="kind" label={t('care.open.kind')} rules={[{ required: true, message: t('common.required') }]}>
        <Select<CareKind> options={CARE_KINDS.map((k) => ({ value: k, label: t(`care.kinds.${k}`) }))} data-testid="care-request-case-kind" />
      </Form.Item>
      <Form.Item name="startsOn" label={t('care.open.startsOn')} rules={[{ required: true, message: t('common.required') }]}>
        <DatePicker allowClear={false} />
      </Form.Item>
    </FormModal>
  );
}

/** Answer a request without a case: the person sees the answer on the phone. */
function DeclineModal({ request, onClose, onDone }: { request: CareRequest; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<{ answer: string }>();
  const submit = async (v: { answer: string }) => {
    try {
      await declineRequest(request.id, v.answer.trim());
      onDone();
    } catch (e) {
      report(e, e instanceof ApiError ? { instance: form, fields: ['answer'] } : undefined);
      throw e;
    }
  };
  return (
    <FormModal<{ answer: string }> title={t('care.requests.declineTitle', { name: request.personName })} open form={form} onCancel={onClose} onSubmit={submit} submitTestId="care-request-decline-submit" danger>
      <Form.Item name="answer" label={t('care.requests.answer')} extra={t('care.requests.answerHelp')} rules={[{ required: true, whitespace: true, message: t('care.requests.answerRequired') }]}>
        <Input.TextArea rows={3} maxLength={2000} data-testid="care-request-answer" />
      </Form.Item>
    </FormModal>
  );
}
