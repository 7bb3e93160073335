import { Alert, App, Form, Input, InputNumber, Radio, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { checkAnswer, LONG_TEXT_MAX, SHORT_TEXT_MAX, type AnswerValue, type ReportField } from '../../../../../common/schemas/reports.js';
import { ApiError } from '../../../api/client';
import { submitReport } from '../../../api/reports';
import { useReportError } from '../../../components/apiErrors';
import { useFormatTime } from '../../../components/format';
import { FormModal } from '../../../components/FormModal';

export interface AnswerTarget {
  roundId: number;
  title: string;
  instructions: string | null;
  fields: ReportField[];
  deadline: number;
  unitId: number;
  unitName: string;
  answers: Record<string, AnswerValue> | null;
}

type Values = { answers: Record<string, unknown> };

/** What Form.Item hands its child: the control must take them, or the form never sees its value. */
interface ControlProps {
  id?: string;
  value?: never;
  onChange?: never;
}

/** The input for one field type. */
function FieldInput({ field, ...control }: { field: ReportField } & ControlProps) {
  const { t } = useTranslation();
  const testId = `report-answer-${field.key}`;
  switch (field.type) {
    case 'short_text':
      return <Input {...control} maxLength={SHORT_TEXT_MAX} data-testid={testId} />;
    case 'long_text':
      return <Input.TextArea {...control} rows={4} maxLength={LONG_TEXT_MAX} showCount data-testid={testId} />;
    case 'integer':
      return <InputNumber {...control} precision={0} style={{ width: 200 }} data-testid={testId} />;
    case 'decimal':
      return <InputNumber {...control} step={0.1} style={{ width: 200 }} data-testid={testId} />;
    case 'yes_no':
      return (
        <Radio.Group {...control} data-testid={testId}>
          <Radio value={true}>{t('reports.yes')}</Radio>
          <Radio value={false}>{t('reports.no')}</Radio>
        </Radio.Group>
      );
    case 'choice':
      return <Select {...control} allowClear options={(field.options ?? []).map((o) => ({ value: o, label: o }))} style={{ maxWidth: 320 }} data-testid={testId} />;
  }
}

/**
 * A unit's submission for a round: the form drawn from the request's field definitions, checked by
 * the same rule the server applies (common/schemas/reports.ts), the server's own errors put back
 * on the fields they name (`answers.<key>`).
 */
export function AnswerForm({ target, onClose, onDone }: { target: AnswerTarget | null; onClose(): void; onDone(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const time = useFormatTime();
  const [form] = Form.useForm<Values>();
  const errorText = (e: string) => (i18n.exists(`reports.answerErrors.${e}`) ? t(`reports.answerErrors.${e}` as 'reports.answerErrors.required') : e);

  const submit = async (v: Values) => {
    if (!target) return;
    try {
      await submitReport(target.roundId, { unitId: target.unitId, answers: v.answers ?? {} });
      void message.success(target.answers ? t('reports.form.corrected') : t('reports.form.submitted'));
      onDone();
    } catch (e) {
      if (e instanceof ApiError) {
        const onForm = Object.entries(e.fields).filter(([k]) => k.startsWith('answers.'));
        form.setFields(onForm.map(([k, msg]) => ({ name: ['answers', k.slice('answers.'.length)], errors: [errorText(msg)] })));
      }
      report(e);
      throw e;
    }
  };

  const late = target !== null && Date.now() > target.deadline;
  return (
    <FormModal<Values>
      title={target ? t('reports.form.title', { title: target.title }) : ''}
      open={target !== null}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={{ answers: target?.answers ?? {} }}
      submitText={t('reports.form.submit')}
      submitTestId="report-answer-submit"
      width={640}
    >
      {target && (
        <>
          <Typography.Paragraph type="secondary">{t('reports.form.unit', { unit: target.unitName, deadline: time(target.deadline) })}</Typography.Paragraph>
          {target.instructions && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{target.instructions}</Typography.Paragraph>}
          {late ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('reports.form.lateWarning')} /> : <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('reports.form.correctHint')} />}
          {target.fields.map((f) => (
            <Form.Item
              key={f.key}
              name={['answers', f.key]}
              label={f.label}
              required={f.required}
              rules={[
                {
                  validator: async (_r, value: unknown) => {
                    const out = checkAnswer(f, value);
                    if ('error' in out) throw new Error(errorText(out.error));
                  },
                },
              ]}
            >
              <FieldInput field={f} />
            </Form.Item>
          ))}
        </>
      )}
    </FormModal>
  );
}
