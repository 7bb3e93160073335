import { App, DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { RECORDED_SOURCES } from '../../../../common/schemas/directives.js';
import { updateDirective, type DirectiveDetail } from '../../api/directives';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { instantOf, wallClockOf } from './AssignFields';
import { AttachmentUpload } from './AttachmentUpload';
import { useTimeZone } from './bits';

/** Only a directive recorded by hand is editable (its abilities say so), so its source is one of those. */
const recordedSource = (d: DirectiveDetail): Values['source'] | undefined => (RECORDED_SOURCES as readonly string[]).includes(d.source) ? (d.source as Values['source']) : undefined;

interface Values {
  source: (typeof RECORDED_SOURCES)[number];
  documentNo?: string;
  title: string;
  body: string;
  receivedAt: Dayjs;
  attachmentIds: number[];
}

/** Correct a directive as recorded (a mistyped document number, the text as finally issued, a missing or wrong attachment); only what changed is sent. */
export function DirectiveEditModal({ directive, open, onClose, onSaved }: { directive: DirectiveDetail; open: boolean; onClose(): void; onSaved(d: DirectiveDetail): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const timeZone = useTimeZone();
  const [form] = Form.useForm<Values>();

  const submit = async (v: Values) => {
    const documentNo = v.documentNo?.trim() ? v.documentNo.trim() : null;
    const receivedAt = instantOf(v.receivedAt, timeZone);
    const patch = {
      ...(v.source !== directive.source ? { source: v.source } : {}),
      ...(documentNo !== directive.documentNo ? { documentNo } : {}),
      ...(v.title.trim() !== directive.title ? { title: v.title.trim() } : {}),
      ...(v.body.trim() !== directive.body ? { body: v.body } : {}),
      // The picker keeps minutes: an unchanged time is not sent back a few seconds off.
      ...(Math.abs(receivedAt - directive.receivedAt) >= 60_000 ? { receivedAt } : {}),
      ...(v.attachmentIds.join(',') !== directive.attachmentIds.join(',') ? { attachmentIds: v.attachmentIds } : {}),
    };
    if (Object.keys(patch).length === 0) return onClose();
    try {
      const d = await updateDirective(directive.id, patch);
      void message.success(t('directives.edit.saved'));
      onSaved(d);
    } catch (e) {
      report(e, { instance: form, fields: ['source', 'documentNo', 'title', 'body', 'receivedAt', 'attachmentIds'] });
      throw e;
    }
  };

  return (
    <FormModal<Values>
      title={t('directives.edit.title')}
      open={open}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={{ source: recordedSource(directive), documentNo: directive.documentNo ?? '', title: directive.title, body: directive.body, receivedAt: wallClockOf(directive.receivedAt, timeZone), attachmentIds: directive.attachmentIds }}
      submitTestId="directive-edit-submit"
      width={680}
    >
      <Form.Item name="source" label={t('directives.source.label')} rules={[{ required: true, message: t('common.required') }]}>
        <Select options={RECORDED_SOURCES.map((s) => ({ value: s, label: t(`directives.source.${s}`) }))} />
      </Form.Item>
      <Form.Item name="documentNo" label={t('directives.documentNo')} rules={[{ max: 60 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="title" label={t('directives.titleLabel')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="body" label={t('directives.body')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 20000 }]}>
        <Input.TextArea rows={8} />
      </Form.Item>
      <Form.Item name="receivedAt" label={t('directives.receivedAt')} rules={[{ required: true, message: t('common.required') }]}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 240 }} />
      </Form.Item>
      <Form.Item name="attachmentIds" label={t('directives.attachments')}>
        <AttachmentUpload testId="directive-edit-attachments" initial={directive.attachments} />
      </Form.Item>
    </FormModal>
  );
}
