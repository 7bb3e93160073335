import { App, DatePicker, Divider, Form, Input, Select, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { RECORDED_SOURCES } from '../../../../common/schemas/directives.js';
import { createDirective, type DirectiveDetail } from '../../api/directives';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { UnitPicker } from '../../components/UnitPicker';
import { useScope } from '../../state/scope';
import { AssignFields, assignBody, instantOf, type AssignValues } from './AssignFields';
import { AttachmentUpload } from './AttachmentUpload';
import { useTimeZone } from './bits';

interface Values extends AssignValues {
  unitId?: number;
  source: (typeof RECORDED_SOURCES)[number];
  documentNo?: string;
  title: string;
  body: string;
  receivedAt?: Dayjs | null;
  attachmentIds?: number[];
  sendNow: boolean;
}

/** Record a directive from above (source, document number, title, text, attachments, when received) and, in the same step, send its tasks. */
export function DirectiveCreateModal({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(d: DirectiveDetail): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const timeZone = useTimeZone();
  const { unitId } = useScope();
  const [form] = Form.useForm<Values>();
  const sendNow = Form.useWatch('sendNow', form) as boolean | undefined;

  const submit = async (v: Values) => {
    try {
      const d = await createDirective({
        ...(v.unitId ? { unitId: v.unitId } : {}),
        source: v.source,
        ...(v.documentNo?.trim() ? { documentNo: v.documentNo.trim() } : {}),
        title: v.title,
        body: v.body,
        ...(v.receivedAt ? { receivedAt: instantOf(v.receivedAt, timeZone) } : {}),
        attachmentIds: v.attachmentIds ?? [],
        tasks: v.sendNow ? [assignBody(v, timeZone)] : [],
      });
      void message.success(t('directives.create.created', { title: d.title, n: d.progress.total }));
      onCreated(d);
    } catch (e) {
      report(e, { instance: form, fields: ['unitId', 'source', 'documentNo', 'title', 'body', 'receivedAt', 'attachmentIds'] });
      throw e;
    }
  };

  return (
    <FormModal<Values>
      title={t('directives.create.title')}
      open={open}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={{ unitId: unitId ?? undefined, source: 'city', sendNow: true, mode: 'units', evidence: ['report'] }}
      submitText={t('directives.create.submit')}
      submitTestId="directive-create-submit"
      width={680}
    >
      <Form.Item name="unitId" label={t('directives.create.unit')} extra={t('directives.create.unitHint')}>
        <UnitPicker data-testid="directive-unit" />
      </Form.Item>
      <Form.Item name="source" label={t('directives.source.label')} rules={[{ required: true, message: t('common.required') }]}>
        <Select options={RECORDED_SOURCES.map((s) => ({ value: s, label: t(`directives.source.${s}`) }))} data-testid="directive-source" />
      </Form.Item>
      <Form.Item name="documentNo" label={t('directives.documentNo')} rules={[{ max: 60 }]}>
        <Input placeholder={t('directives.create.documentNoPlaceholder')} data-testid="directive-document-no" />
      </Form.Item>
      <Form.Item name="title" label={t('directives.titleLabel')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}>
        <Input data-testid="directive-title" />
      </Form.Item>
      <Form.Item name="body" label={t('directives.body')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 20000 }]}>
        <Input.TextArea rows={6} data-testid="directive-body" />
      </Form.Item>
      <Form.Item name="receivedAt" label={t('directives.receivedAt')} extra={t('directives.create.receivedHint')}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 240 }} data-testid="directive-received" />
      </Form.Item>
      <Form.Item name="attachmentIds" label={t('directives.attachments')}>
        <AttachmentUpload testId="directive-attachments" />
      </Form.Item>
      <Divider style={{ margin: '8px 0 16px' }} />
      <Form.Item name="sendNow" label={t('directives.create.sendNow')} valuePropName="checked">
        <Switch data-testid="directive-send-now" />
      </Form.Item>
      {sendNow && <AssignFields form={form} />}
    </FormModal>
  );
}
