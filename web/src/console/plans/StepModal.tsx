import { useState } from 'react';
import { Checkbox, Form, Input, InputNumber, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { EVIDENCE_KINDS } from '../../../../common/schemas/directives.js';
import { INVOLVEMENTS } from '../../api/incidents';
import { PLAN_CARE_KINDS, STEP_ACTIONS, STEP_ROLES, type StepActionKind, type StepRole } from '../../api/plans';
import { FormModal } from '../../components/FormModal';
import { PersonSelect } from '../../components/PersonSelect';
import type { EditedStep } from './steps';

type Unit = 'hours' | 'minutes';

interface Values {
  title: string;
  instructions?: string;
  role: StepRole;
  levelsUp?: number;
  personId?: number;
  amount: number;
  unit: Unit;
  evidence: EditedStep['evidence'];
  dependsOn: string[];
  actionKind?: StepActionKind;
  careKind?: (typeof PLAN_CARE_KINDS)[number];
  text?: string;
  involvements?: (typeof INVOLVEMENTS)[number][];
}

/** One step of the plan being edited: what, who, the deadline after the incident's time, the evidence, what it waits on, and its action. */
export function StepModal({ step, others, onClose, onSave }: { step: EditedStep; others: EditedStep[]; onClose(): void; onSave(s: EditedStep): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [personName, setPersonName] = useState<string | null>(step.personName ?? null);
  const role = Form.useWatch('role', form) ?? step.role;
  const actionKind = Form.useWatch('actionKind', form) ?? step.action?.kind;
  const inHours = step.deadlineMinutes % 60 === 0;

  const submit = async (v: Values) => {
    const minutes = v.unit === 'hours' ? Math.round(v.amount * 60) : Math.round(v.amount);
    onSave({
      key: step.key,
      title: v.title.trim(),
      ...(v.instructions?.trim() ? { instructions: v.instructions.trim() } : {}),
      role: v.role,
      levelsUp: v.role === 'person' ? 0 : (v.levelsUp ?? 0),
      ...(v.role === 'person' && v.personId ? { personId: v.personId } : {}),
      personName: v.role === 'person' ? personName : null,
      deadlineMinutes: minutes,
      evidence: v.evidence ?? [],
      dependsOn: v.dependsOn ?? [],
      ...(v.actionKind
        ? {
            action: {
              kind: v.actionKind,
              ...(v.actionKind === 'open_care_cases' && v.careKind ? { careKind: v.careKind } : {}),
              ...(v.actionKind === 'publish_notice' && v.text?.trim() ? { text: v.text.trim() } : {}),
              ...(v.actionKind !== 'publish_notice' && v.involvements?.length ? { involvements: v.involvements } : {}),
            },
          }
        : {}),
    });
  };

  return (
    <FormModal<Values>
      title={step.title ? t('plans.steps.editTitle', { title: step.title }) : t('plans.steps.add')}
      open
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      width={640}
      submitTestId="step-save"
      initialValues={{
        title: step.title,
        instructions: step.instructions ?? '',
        role: step.role,
        levelsUp: step.levelsUp ?? 0,
        personId: typeof step.personId === 'number' ? step.personId : undefined,
        amount: inHours ? step.deadlineMinutes / 60 : step.deadlineMinutes,
        unit: inHours ? 'hours' : 'minutes',
        evidence: step.evidence ?? [],
        dependsOn: step.dependsOn ?? [],
        actionKind: step.action?.kind,
        careKind: step.action?.careKind,
        text: step.action?.text ?? '',
        involvements: step.action?.involvements ?? [],
      }}
    >
      <Form.Item name="title" label={t('plans.steps.what')} rules={[{ required: true, whitespace: true, message: t('plans.steps.whatRequired') }]}>
        <Input maxLength={200} data-testid="step-title" />
      </Form.Item>
      <Form.Item name="instructions" label={t('plans.steps.instructions')}>
        <Input.TextArea rows={2} maxLength={2000} data-testid="step-instructions" />
      </Form.Item>
      <Space align="start" wrap>
        <Form.Item name="role" label={t('plans.steps.who')} rules={[{ required: true }]}>
          <Select<StepRole> style={{ width: 180 }} options={STEP_ROLES.map((r) => ({ value: r, label: t(`plans.roles.${r}`) }))} data-testid="step-role" />
        </Form.Item>
        {role === 'person' ? (
          <Form.Item name="personId" label={t('plans.roles.person')} rules={[{ required: true, message: t('plans.steps.personRequired') }]}>
            <PersonSelect style={{ width: 240 }} onChange={(id, p) => (form.setFieldValue('personId', id), setPersonName(p?.name ?? null))} data-testid="step-person" />
          </Form.Item>
        ) : (
          <Form.Item name="levelsUp" label={t('plans.steps.levelsUp')} extra={t('plans.steps.levelsUpHelp')}>
            <InputNumber min={0} max={10} precision={0} style={{ width: 120 }} data-testid="step-levels-up" />
          </Form.Item>
        )}
      </Space>
      <Form.Item label={t('plans.steps.deadline')} required>
        <Space.Compact>
          <Input disabled value={t('plans.deadline.after')} style={{ width: 90, textAlign: 'center' }} />
          <Form.Item name="amount" noStyle rules={[{ required: true, message: t('plans.steps.deadlineRequired') }]}>
            <InputNumber min={1} max={43200} precision={0} style={{ width: 120 }} data-testid="step-deadline" />
          </Form.Item>
          <Form.Item name="unit" noStyle>
            <Select<Unit>
              style={{ width: 100 }}
              options={[
                { value: 'hours', label: t('plans.deadline.unitHours') },
                { value: 'minutes', label: t('plans.deadline.unitMinutes') },
              ]}
              data-testid="step-deadline-unit"
            />
          </Form.Item>
        </Space.Compact>
      </Form.Item>
      <Form.Item name="evidence" label={t('plans.steps.evidence')} rules={[{ required: true, type: 'array', min: 1, message: t('plans.steps.evidenceRequired') }]}>
        <Checkbox.Group options={EVIDENCE_KINDS.map((k) => ({ value: k, label: t(`directives.evidence.${k}`) }))} data-testid="step-evidence" />
      </Form.Item>
      <Form.Item name="dependsOn" label={t('plans.steps.dependsOn')}>
        <Select mode="multiple" allowClear options={others.map((o) => ({ value: o.key, label: o.title }))} data-testid="step-depends-on" />
      </Form.Item>
      <Form.Item name="actionKind" label={t('plans.steps.action')}>
        <Select<StepActionKind> allowClear placeholder={t('plans.actions.none')} options={STEP_ACTIONS.map((a) => ({ value: a, label: t(`plans.actions.${a}`) }))} data-testid="step-action" />
      </Form.Item>
      {actionKind === 'open_care_cases' && (
        <Form.Item name="careKind" label={t('plans.steps.careKind')}>
          <Select allowClear options={PLAN_CARE_KINDS.map((k) => ({ value: k, label: t(`plans.careKinds.${k}`) }))} />
        </Form.Item>
      )}
      {actionKind === 'publish_notice' && (
        <Form.Item name="text" label={t('plans.steps.noticeText')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
      )}
      {(actionKind === 'open_health_watches' || actionKind === 'open_care_cases') && (
        <Form.Item name="involvements" label={t('plans.steps.involvements')} extra={t('plans.steps.involvementsHelp')}>
          <Checkbox.Group options={INVOLVEMENTS.map((k) => ({ value: k, label: t(`incidents.involvement.${k}`) }))} />
        </Form.Item>
      )}
    </FormModal>
  );
}
