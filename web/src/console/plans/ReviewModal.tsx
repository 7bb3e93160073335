import { Button, Form, Input, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { writeReview, type PlanReview } from '../../api/plans';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';

interface Values {
  planId?: number;
  wentWell: string;
  late: string;
  changes: { stepKey?: string; text: string }[];
}

/**
 * 复盘: after a drill or a real incident, what went well, what was late, and which steps to change
 * (each change may name a step of the plan's version). The server checks who may write it.
 */
export function ReviewModal({
  incidentId,
  plans,
  steps,
  open,
  onClose,
  onSaved,
}: {
  incidentId: number;
  /** The plans the incident ran (the review is about one of them). */
  plans: { id: number; title: string }[];
  /** The steps that a change may name: key → title. */
  steps: { key: string; title: string }[];
  open: boolean;
  onClose(): void;
  onSaved(r: PlanReview): void;
}) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<Values>();
  const submit = async (v: Values) => {
    try {
      const r = await writeReview(incidentId, {
        planId: v.planId,
        wentWell: v.wentWell ?? '',
        late: v.late ?? '',
        changes: (v.changes ?? []).filter((c) => c?.text?.trim()).map((c) => ({ text: c.text, ...(c.stepKey ? { stepKey: c.stepKey } : {}) })),
      });
      onSaved(r);
    } catch (e) {
      report(e, { instance: form, fields: ['planId', 'wentWell', 'late', 'changes'] });
      throw e;
    }
  };
  return (
    <FormModal<Values>
      title={t('plans.review.title')}
      open={open}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={{ planId: plans[0]?.id, wentWell: '', late: '', changes: [] }}
      submitTestId="review-submit"
      width={640}
    >
      {plans.length > 1 && (
        <Form.Item name="planId" label={t('plans.review.plan')}>
          <Select options={plans.map((p) => ({ value: p.id, label: p.title }))} />
        </Form.Item>
      )}
      <Form.Item name="wentWell" label={t('plans.review.wentWell')}>
        <Input.TextArea rows={3} maxLength={5000} data-testid="review-went-well" />
      </Form.Item>
      <Form.Item name="late" label={t('plans.review.late')}>
        <Input.TextArea rows={3} maxLength={5000} data-testid="review-late" />
      </Form.Item>
      <Typography.Text strong>{t('plans.review.changes')}</Typography.Text>
      <Form.List name="changes">
        {(fields, { add, remove }) => (
          <div style={{ marginTop: 8 }}>
            {fields.map((f, i) => (
              <Space key={f.key} align="start" style={{ display: 'flex' }}>
                <Form.Item name={[f.name, 'stepKey']} style={{ width: 180 }}>
                  <Select allowClear placeholder={t('plans.review.anyStep')} options={steps.map((s) => ({ value: s.key, label: s.title }))} data-testid={`review-change-step-${i}`} />
                </Form.Item>
                <Form.Item name={[f.name, 'text']} rules={[{ required: true, message: t('plans.review.changeRequired') }]} style={{ width: 340 }}>
                  <Input maxLength={1000} data-testid={`review-change-text-${i}`} />
                </Form.Item>
                <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
              </Space>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ text: '' })} data-testid="review-add-change">
              {t('plans.review.addChange')}
            </Button>
          </div>
        )}
      </Form.List>
    </FormModal>
  );
}
