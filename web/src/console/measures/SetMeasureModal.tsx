import { useEffect, useState } from 'react';
import { Alert, App, DatePicker, Form, Input, InputNumber } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { compareValues, measureType, type MeasureValue } from '../../../../common/measures.catalogue.js';
import { MeasureSet } from '../../../../common/schemas/measures.js';
import { getRegister, removeMeasure, setMeasure, type RegisterEntry } from '../../api/measures';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { zodRule } from '../../components/zodRule';
import { useMeasureText } from './measureText';

interface Values {
  value?: number | string | null;
  effectiveFrom?: Dayjs | null;
  reason?: string;
}

/**
 * `today` is the deployment's day (the register's, in its time zone), not the browser's: around
 * midnight the two differ, and the server refuses a day before its own today.
 */
const dayText = (d: Dayjs | null | undefined, today: string) => (d ? d.format('YYYY-MM-DD') : today);
/** The past is history: a change takes effect today or later. */
const beforeDay = (today: string) => (d: Dayjs) => d.format('YYYY-MM-DD') < today;

/**
 * Set the unit's own value from a day. Before submitting it says whether the value is stricter than
 * what the level above requires on that day (then a reason is required and the level above must
 * approve), using the catalogue's own comparison — the same code the server decides with.
 */
export function SetMeasureModal({ unitId, unitName, isRoot, today, entry, onClose, onDone }: { unitId: number; unitName: string; isRoot: boolean; today: string; entry: RegisterEntry; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const text = useMeasureText();
  const def = measureType(entry.key)!;
  const [form] = Form.useForm<Values>();
  const value = Form.useWatch('value', form);
  const effectiveFrom = Form.useWatch('effectiveFrom', form);
  const day = dayText(effectiveFrom, today);
  // What the level above requires on the chosen day: today's comes with the register, another day's is asked for.
  const [parent, setParent] = useState<{ day: string; value: MeasureValue } | null>(null);
  useEffect(() => {
    let live = true;
    getRegister(unitId, day).then(
      (r) => live && setParent({ day, value: r.items.find((i) => i.key === entry.key)?.parentValue ?? entry.parentValue }),
      () => live && setParent(null),
    );
    return () => {
      live = false;
    };
  }, [unitId, day, entry.key, entry.parentValue]);

  const filled = value !== undefined && value !== null && value !== '';
  const cmp = filled && parent && !isRoot ? compareValues(def, value, parent.value) : null;
  const stricter = cmp === 'stricter';

  const submit = async (v: Values) => {
    try {
      const reason = v.reason?.trim();
      const out = await setMeasure(unitId, entry.key, { value: v.value as MeasureValue, effectiveFrom: dayText(v.effectiveFrom, today), ...(reason ? { reason } : {}) });
      void message.success(out.needsApproval ? t('measures.submittedForApproval') : t('measures.saved'));
      onDone();
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: ['value', 'effectiveFrom', 'reason'] });
      throw e;
    }
  };

  const bounds = t('measures.bounds', { min: text.value(def.key, def.min), max: text.value(def.key, def.max) });
  return (
    <FormModal<Values>
      title={t('measures.setTitle', { measure: text.name(entry.key), unit: unitName })}
      open
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={{ value: entry.own?.value ?? entry.value, effectiveFrom: dayjs(today) }}
      submitText={stricter ? t('measures.submitForApproval') : t('common.save')}
      submitTestId="measure-set-submit"
    >
      <Form.Item name="value" label={t('measures.newValue')} extra={`${bounds} · ${t(`measures.stricterWay.${def.valueType === 'time' ? 'earlier' : def.stricter}`)}`} rules={[{ required: true, message: t('common.required') }]}>
        {def.valueType === 'time' ? (
          <Input placeholder="HH:MM" maxLength={5} style={{ width: 160 }} data-testid="measure-set-value" />
        ) : (
          <InputNumber
            min={Number(def.min)}
            max={Number(def.max)}
            step={def.valueType === 'decimal' ? 0.05 : 1}
            precision={def.valueType === 'decimal' ? 2 : 0}
            addonAfter={text.unit(def.key)}
            style={{ width: 220 }}
            data-testid="measure-set-value"
          />
        )}
      </Form.Item>
      <Form.Item name="effectiveFrom" label={t('measures.effectiveFrom')} extra={t('measures.effectiveFromHelp')}>
        <DatePicker allowClear={false} disabledDate={beforeDay(today)} data-testid="measure-set-from" />
      </Form.Item>
      {filled && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          type={isRoot ? 'info' : stricter ? 'warning' : 'success'}
          message={
            isRoot
              ? t('measures.preview.root')
              : cmp === null
                ? t('measures.preview.unknown')
                : stricter
                  ? t('measures.preview.stricter', { parent: text.value(def.key, parent!.value), day })
                  : t('measures.preview.atOnce', { parent: text.value(def.key, parent!.value), day })
          }
          data-testid="measure-set-preview"
        />
      )}
      <Form.Item name="reason" label={t('measures.reason')} rules={[...(stricter ? [{ required: true, message: t('measures.reasonRequired') }] : []), zodRule(MeasureSet.shape.reason)]}>
        <Input.TextArea rows={3} maxLength={500} placeholder={t('measures.reasonPlaceholder')} data-testid="measure-set-reason" />
      </Form.Item>
    </FormModal>
  );
}

/** Remove the unit's own value from a day: it inherits again. */
export function RemoveMeasureModal({ unitId, today, entry, onClose, onDone }: { unitId: number; today: string; entry: RegisterEntry; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const text = useMeasureText();
  const [form] = Form.useForm<Values>();
  const submit = async (v: Values) => {
    try {
      const reason = v.reason?.trim();
      await removeMeasure(unitId, entry.key, { effectiveFrom: dayText(v.effectiveFrom, today), ...(reason ? { reason } : {}) });
      void message.success(t('measures.removed'));
      onDone();
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: ['effectiveFrom', 'reason'] });
      throw e;
    }
  };
  return (
    <FormModal<Values> title={t('measures.removeTitle', { measure: text.name(entry.key) })} open form={form} onCancel={onClose} onSubmit={submit} initialValues={{ effectiveFrom: dayjs(today) }} submitText={t('measures.remove')} danger submitTestId="measure-remove-submit">
      <Alert style={{ marginBottom: 16 }} showIcon type="info" message={t('measures.removeHint')} />
      <Form.Item name="effectiveFrom" label={t('measures.effectiveFrom')}>
        <DatePicker allowClear={false} disabledDate={beforeDay(today)} data-testid="measure-remove-from" />
      </Form.Item>
      <Form.Item name="reason" label={t('measures.reason')} rules={[zodRule(MeasureSet.shape.reason)]}>
        <Input.TextArea rows={2} maxLength={500} data-testid="measure-remove-reason" />
      </Form.Item>
    </FormModal>
  );
}
