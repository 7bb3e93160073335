import { useMemo } from 'react';
import { App, Button, Card, DatePicker, Flex, Form, Input, InputNumber, Radio, Select, Switch, TimePicker, TreeSelect, type FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { startOfDay } from '../../../../../common/day.js';
import { MAX_REPORT_FIELDS, REPORT_FIELD_TYPES, type ReportFieldType } from '../../../../../common/schemas/reports.js';
import { ApiError } from '../../../api/client';
import { createReportRequest, type ReportRequest } from '../../../api/reports';
import { useReportError } from '../../../components/apiErrors';
import { FormModal } from '../../../components/FormModal';
import { forestOf, unitOptions } from '../../../components/unitTree';
import { useScope } from '../../../state/scope';
import { useMe } from '../../../state/session';

interface FieldValues {
  label: string;
  type: ReportFieldType;
  required?: boolean;
  options?: string[];
}

interface Values {
  title: string;
  instructions?: string;
  targetKind: 'units' | 'children' | 'depth';
  unitIds?: number[];
  unitId?: number;
  depth?: number;
  scheduleKind: 'once' | 'daily';
  deadline?: Dayjs;
  dueAt?: Dayjs;
  until?: Dayjs | null;
  remindBeforeMinutes: number;
  fields: FieldValues[];
}

/**
 * A picked date and time read as the deployment's wall time, like every time the console shows,
 * not the browser's: a deadline of 18:00 is 18:00 in the deployment's zone wherever the browser is.
 */
const wallTimeIn = (d: Dayjs, timeZone: string) => startOfDay(d.format('YYYY-MM-DD'), timeZone) + (d.hour() * 60 + d.minute()) * 60_000;

/**
 * Ask units for a report: title, the units asked, once or daily, and the form built field by field.
 * Field keys are made here (f1, f2, …): the answers are filed under them, the labels may be anything.
 */
export function ReportCreateModal({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(r: ReportRequest): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<Values>();
  const { units, unitId } = useScope();
  const treeData = useMemo(() => unitOptions(forestOf(units, null)), [units]);
  const timeZone = useMe().organisation.timeZone;
  const targetKind = Form.useWatch('targetKind', form);
  const scheduleKind = Form.useWatch('scheduleKind', form);

  const submit = async (v: Values) => {
    const target =
      v.targetKind === 'units'
        ? { kind: 'units' as const, unitIds: v.unitIds ?? [] }
        : v.targetKind === 'children'
          ? { kind: 'children' as const, unitId: v.unitId! }
          : { kind: 'depth' as const, unitId: v.unitId!, depth: v.depth ?? 1 };
    const schedule =
      v.scheduleKind === 'once'
        ? { kind: 'once' as const, deadline: wallTimeIn(v.deadline!, timeZone) }
        : { kind: 'daily' as const, dueAt: v.dueAt!.format('HH:mm'), ...(v.until ? { until: v.until.format('YYYY-MM-DD') } : {}) };
    try {
      const r = await createReportRequest({
        title: v.title,
        ...(v.instructions?.trim() ? { instructions: v.instructions.trim() } : {}),
        fields: v.fields.map((f, i) => ({ key: `f${i + 1}`, label: f.label, type: f.type, required: f.required ?? false, ...(f.type === 'choice' ? { options: f.options ?? [] } : {}) })),
        target,
        schedule,
        remindBeforeMinutes: v.remindBeforeMinutes,
      });
      void message.success(t('reports.create.created', { title: r.title }));
      onCreated(r);
    } catch (e) {
      // The server names nested fields (target.unitIds, schedule.deadline, fields.0.options): put each on its item.
      if (e instanceof ApiError) {
        const names: Record<string, (string | number)[]> = { 'target.unitIds': ['unitIds'], 'target.unitId': ['unitId'], 'target.depth': ['depth'], 'schedule.deadline': ['deadline'], 'schedule.dueAt': ['dueAt'], 'schedule.until': ['until'] };
        // Names built at run time: set through the untyped form instance.
        (form as FormInstance).setFields(
          Object.entries(e.fields).flatMap(([k, msg]) => {
            const m = /^fields\.(\d+)\.(label|type|options)/.exec(k);
            const name = names[k] ?? (m ? ['fields', Number(m[1]), m[2]!] : k === 'title' || k === 'instructions' || k === 'remindBeforeMinutes' ? [k] : null);
            return name ? [{ name, errors: [msg] }] : [];
          }),
        );
      }
      report(e);
      throw e;
    }
  };

  return (
    <FormModal<Values>
      title={t('reports.create.title')}
      open={open}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={{
        targetKind: 'children',
        unitId: unitId ?? undefined,
        depth: 1,
        scheduleKind: 'daily',
        dueAt: dayjs('16:00', 'HH:mm'),
        deadline: dayjs().endOf('day').second(0).millisecond(0),
        remindBeforeMinutes: 60,
        fields: [{ label: '', type: 'integer', required: true }],
      }}
      submitText={t('reports.create.submit')}
      submitTestId="report-create-submit"
      width={760}
    >
      <Form.Item name="title" label={t('reports.create.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}>
        <Input placeholder={t('reports.create.namePlaceholder')} data-testid="report-title" />
      </Form.Item>
      <Form.Item name="instructions" label={t('reports.create.instructions')} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={2} data-testid="report-instructions" />
      </Form.Item>

      <Form.Item name="targetKind" label={t('reports.create.target')}>
        <Radio.Group
          optionType="button"
          options={(['children', 'depth', 'units'] as const).map((k) => ({ value: k, label: t(`reports.create.targetKinds.${k}`) }))}
          data-testid="report-target-kind"
        />
      </Form.Item>
      {targetKind === 'units' ? (
        <Form.Item name="unitIds" label={t('reports.create.units')} rules={[{ required: true, message: t('common.required') }]}>
          <TreeSelect multiple showSearch={{ treeNodeFilterProp: 'title' }} treeData={treeData} placeholder={t('shell.unitPicker')} data-testid="report-units" />
        </Form.Item>
      ) : (
        <Flex gap={16}>
          <Form.Item name="unitId" label={t('reports.create.unit')} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1 }}>
            <TreeSelect showSearch={{ treeNodeFilterProp: 'title' }} treeData={treeData} placeholder={t('shell.unitPicker')} data-testid="report-unit" />
          </Form.Item>
          {targetKind === 'depth' && (
            <Form.Item name="depth" label={t('reports.create.depth')} rules={[{ required: true, message: t('common.required') }]}>
              <InputNumber min={1} max={10} precision={0} data-testid="report-depth" />
            </Form.Item>
          )}
        </Flex>
      )}

      <Flex gap={16} wrap>
        <Form.Item name="scheduleKind" label={t('reports.create.schedule')}>
          <Radio.Group optionType="button" options={(['daily', 'once'] as const).map((k) => ({ value: k, label: t(`reports.create.scheduleKinds.${k}`) }))} data-testid="report-schedule-kind" />
        </Form.Item>
        {scheduleKind === 'once' ? (
          <Form.Item
            name="deadline"
            label={t('reports.create.deadline')}
            rules={[
              { required: true, message: t('common.required') },
              {
                validator: async (_r, v?: Dayjs) => {
                  if (v && wallTimeIn(v, timeZone) <= Date.now()) throw new Error(t('reports.create.mustBeFuture'));
                },
              },
            ]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="report-deadline" />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="dueAt" label={t('reports.create.dueAt')} extra={t('reports.create.dueAtHint')} rules={[{ required: true, message: t('common.required') }]}>
              <TimePicker format="HH:mm" minuteStep={5} data-testid="report-due-at" />
            </Form.Item>
            <Form.Item name="until" label={t('reports.create.until')} extra={t('reports.create.untilHint')}>
              <DatePicker format="YYYY-MM-DD" allowClear data-testid="report-until" />
            </Form.Item>
          </>
        )}
        <Form.Item name="remindBeforeMinutes" label={t('reports.create.remind')} extra={t('reports.create.remindHint')} rules={[{ required: true, message: t('common.required') }]}>
          <InputNumber min={0} max={1440} precision={0} data-testid="report-remind" />
        </Form.Item>
      </Flex>

      <Form.List
        name="fields"
        rules={[
          {
            validator: async (_r, v?: unknown[]) => {
              if (!v || v.length === 0) throw new Error(t('reports.create.noFields'));
            },
          },
        ]}
      >
        {(items, { add, remove }, { errors }) => (
          <Card size="small" title={t('reports.create.fields')} style={{ marginBottom: 8 }}>
            {items.map((item, i) => (
              <FieldRow key={item.key} index={i} name={item.name} onRemove={() => remove(item.name)} canRemove={items.length > 1} />
            ))}
            <Button type="dashed" icon={<PlusOutlined />} disabled={items.length >= MAX_REPORT_FIELDS} onClick={() => add({ label: '', type: 'short_text', required: false })} data-testid="report-add-field">
              {t('reports.create.addField')}
            </Button>
            <Form.ErrorList errors={errors} />
          </Card>
        )}
      </Form.List>
    </FormModal>
  );
}

/** One field of the form being built: its label, type, whether required, and a choice's options. */
function FieldRow({ index, name, onRemove, canRemove }: { index: number; name: number; onRemove(): void; canRemove: boolean }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<Values>();
  const type = Form.useWatch(['fields', name, 'type'], form);
  return (
    <Flex gap={8} align="flex-start" wrap data-testid={`report-field-${index}`}>
      <Form.Item name={[name, 'label']} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]} style={{ flex: '1 1 200px', marginBottom: 8 }}>
        <Input placeholder={t('reports.create.fieldLabel')} data-testid={`report-field-${index}-label`} />
      </Form.Item>
      <Form.Item name={[name, 'type']} style={{ width: 130, marginBottom: 8 }}>
        <Select options={REPORT_FIELD_TYPES.map((k) => ({ value: k, label: t(`reports.fieldTypes.${k}`) }))} data-testid={`report-field-${index}-type`} />
      </Form.Item>
      <Form.Item name={[name, 'required']} valuePropName="checked" style={{ marginBottom: 8 }}>
        <Switch checkedChildren={t('reports.create.fieldRequired')} unCheckedChildren={t('reports.create.fieldRequired')} data-testid={`report-field-${index}-required`} />
      </Form.Item>
      {type === 'choice' && (
        <Form.Item
          name={[name, 'options']}
          rules={[
            {
              validator: async (_r, v?: string[]) => {
                if ((v?.length ?? 0) < 2) throw new Error(t('reports.create.twoOptions'));
              },
            },
          ]}
          style={{ flex: '1 1 100%', marginBottom: 8 }}
        >
          <Select mode="tags" open={false} placeholder={t('reports.create.fieldOptions')} tokenSeparators={[',', '，']} data-testid={`report-field-${index}-options`} />
        </Form.Item>
      )}
      <Button type="text" icon={<DeleteOutlined />} disabled={!canRemove} onClick={onRemove} aria-label={t('common.delete')} />
    </Flex>
  );
}
