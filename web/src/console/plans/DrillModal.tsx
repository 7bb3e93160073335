import { App, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { IncidentSeverity } from '../../api/incidents';
import { startDrill, type Plan } from '../../api/plans';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { UnitPicker } from '../../components/UnitPicker';

interface Values {
  unitId: number;
  severity: IncidentSeverity;
  title?: string;
}

/** 按预案演练: a drill incident at a unit of the plan's subtree, at one of its severities; opens the drill's incident page. */
export function DrillModal({ plan, onClose }: { plan: Pick<Plan, 'id' | 'title' | 'unitId' | 'severities'>; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const report = useReportError();
  const [form] = Form.useForm<Values>();
  const submit = async (v: Values) => {
    try {
      const started = await startDrill(plan.id, { unitId: v.unitId, severity: v.severity, ...(v.title?.trim() ? { title: v.title.trim() } : {}) });
      void message.success(t('plans.drill.started'));
      onClose();
      navigate(`/duty/incidents/${started.incidentId}`);
    } catch (e) {
      report(e, { instance: form, fields: ['unitId', 'severity', 'title'] });
      throw e;
    }
  };
  return (
    <FormModal<Values>
      title={t('plans.drill.title', { title: plan.title })}
      open
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={{ unitId: plan.unitId, severity: plan.severities[0] }}
      submitText={t('plans.drill.start')}
      submitTestId="drill-start"
    >
      <Form.Item name="unitId" label={t('plans.drill.unit')} rules={[{ required: true }]} extra={t('plans.drill.unitHelp')}>
        <UnitPicker rootId={plan.unitId} data-testid="drill-unit" />
      </Form.Item>
      <Form.Item name="severity" label={t('plans.drill.severity')} rules={[{ required: true }]}>
        <Select options={plan.severities.map((s) => ({ value: s, label: t(`incidents.severities.${s}`) }))} data-testid="drill-severity" />
      </Form.Item>
      <Form.Item name="title" label={t('plans.drill.incidentTitle')}>
        <Input maxLength={180} placeholder={plan.title} data-testid="drill-title" />
      </Form.Item>
    </FormModal>
  );
}
