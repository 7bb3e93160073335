import { useMemo } from 'react';
import { App, Alert, Form, Input, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { UnitCreate } from '../../../../common/schemas/org.js';
import { createUnit, moveUnit, updateUnit, type Unit } from '../../api/org';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { unitKindOptions } from '../../components/labels';
import { UnitPicker } from '../../components/UnitPicker';
import { subtreeIds } from '../../components/unitTree';
import { emptyToNull, zodRule } from '../../components/zodRule';
import { useScope } from '../../state/scope';

interface UnitValues {
  name: string;
  kind: Unit['kind'];
  code?: string | null;
  sortOrder?: number | null;
}
const UNIT_FIELDS = ['name', 'kind', 'code', 'sortOrder', 'parentId'] as const;

/** Add a unit under `unit` (create) or rename/re-kind/reorder `unit` itself (edit). */
export function UnitFormModal({ mode, unit, onClose, onCreated }: { mode: 'create' | 'edit'; unit: Unit; onClose(): void; onCreated?(u: Unit): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<UnitValues>();
  const { reload } = useScope();
  const { message } = App.useApp();
  const report = useReportError();
  const initial: UnitValues = mode === 'edit' ? { name: unit.name, kind: unit.kind, code: unit.code, sortOrder: unit.sortOrder } : { name: '', kind: 'department', code: null, sortOrder: null };

  const submit = async (v: UnitValues) => {
    try {
      const code = emptyToNull(v.code);
      if (mode === 'create') {
        const created = await createUnit({ name: v.name.trim(), parentId: unit.id, kind: v.kind, code, ...(v.sortOrder != null ? { sortOrder: v.sortOrder } : {}) });
        void message.success(t('org.unitCreated'));
        onCreated?.(created);
      } else {
        const patch = {
          ...(v.name.trim() !== unit.name ? { name: v.name.trim() } : {}),
          ...(v.kind !== unit.kind ? { kind: v.kind } : {}),
          ...(code !== unit.code ? { code } : {}),
          ...(v.sortOrder != null && v.sortOrder !== unit.sortOrder ? { sortOrder: v.sortOrder } : {}),
        };
        if (Object.keys(patch).length > 0) await updateUnit(unit.id, patch);
        void message.success(t('org.unitSaved'));
      }
      await reload();
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: UNIT_FIELDS });
      throw e;
    }
  };

  const required = { required: true, message: t('common.required') };
  return (
    <FormModal
      title={mode === 'create' ? t('org.addChildTitle', { name: unit.name }) : t('org.editTitle', { name: unit.name })}
      open
      form={form}
      initialValues={initial}
      onCancel={onClose}
      onSubmit={submit}
      submitTestId="unit-form-submit"
    >
      <Form.Item name="name" label={t('org.name')} rules={[required, zodRule(UnitCreate.shape.name)]}>
        <Input autoFocus maxLength={100} data-testid="unit-form-name" />
      </Form.Item>
      <Form.Item name="kind" label={t('org.kind')} rules={[required]}>
        <Select options={unitKindOptions(t)} />
      </Form.Item>
      <Form.Item name="code" label={t('org.code')} rules={[zodRule(UnitCreate.shape.code)]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="sortOrder" label={t('org.sortOrder')} extra={t('org.sortOrderHelp')}>
        <InputNumber min={0} max={1_000_000} precision={0} style={{ width: '100%' }} />
      </Form.Item>
    </FormModal>
  );
}

/** Move a unit, with its whole branch, under another parent. */
export function MoveUnitModal({ unit, onClose }: { unit: Unit; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ parentId: number }>();
  const { units, reload } = useScope();
  const { message } = App.useApp();
  const report = useReportError();
  // A unit cannot go under itself or anything below it.
  const exclude = useMemo(() => subtreeIds(units, unit.id), [units, unit.id]);

  const submit = async (v: { parentId: number }) => {
    try {
      if (v.parentId !== unit.parentId) await moveUnit(unit.id, v.parentId);
      void message.success(t('org.unitMoved'));
      await reload();
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: ['parentId'] });
      throw e;
    }
  };
  return (
    <FormModal title={t('org.moveTitle', { name: unit.name })} open form={form} initialValues={{ parentId: unit.parentId ?? undefined }} onCancel={onClose} onSubmit={submit}>
      <Alert type="info" showIcon title={t('org.moveHelp')} style={{ marginBottom: 16 }} />
      <Form.Item name="parentId" label={t('org.moveTarget')} rules={[{ required: true, message: t('common.required') }]}>
        <UnitPicker exclude={exclude} data-testid="unit-move-target" />
      </Form.Item>
    </FormModal>
  );
}
