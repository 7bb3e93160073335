import { useMemo } from 'react';
import { Checkbox, DatePicker, Form, Input, InputNumber, Radio, TreeSelect, Typography, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { EVIDENCE_KINDS } from '../../../../common/schemas/directives.js';
import { PersonSelect } from '../../components/PersonSelect';
import { UnitPicker } from '../../components/UnitPicker';
import { forestOf, unitOptions } from '../../components/unitTree';
import { useScope } from '../../state/scope';
import { useTimeZone } from './bits';
import type { AssignValues } from './assign';

export { ASSIGN_FIELDS, assignBody, instantOf, splitBody, wallClockOf, type AssignValues } from './assign';

/**
 * The fields of an assignment: which units (picked, every child of a unit, or a whole subtree), who
 * answers for each picked unit (else its unit head), the deadline (default the end of today), and
 * what must be shown. `rootId` narrows the units offered (a split offers only the task's subtree).
 */
export function AssignFields({ form, rootId = null, withTitle = false, deadlineHint }: { form: FormInstance; rootId?: number | null; withTitle?: boolean; deadlineHint?: string }) {
  const { t } = useTranslation();
  const timeZone = useTimeZone();
  const { units, byId } = useScope();
  const mode = Form.useWatch('mode', form) as AssignValues['mode'] | undefined;
  const unitIds = (Form.useWatch('unitIds', form) as number[] | undefined) ?? [];
  const treeData = useMemo(() => unitOptions(forestOf(units, rootId)), [units, rootId]);

  return (
    <>
      {withTitle && (
        <Form.Item name="title" label={t('directives.assign.title')} extra={t('directives.assign.titleHint')} rules={[{ max: 200 }]}>
          <Input data-testid="assign-title" />
        </Form.Item>
      )}
      <Form.Item name="mode" label={t('directives.assign.target')}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'units', label: t('directives.assign.modeUnits') },
            { value: 'children', label: <span data-testid="assign-mode-children">{t('directives.assign.modeChildren')}</span> },
            { value: 'subtree', label: t('directives.assign.modeSubtree') },
          ]}
          data-testid="assign-mode"
        />
      </Form.Item>
      {mode === 'units' || mode === undefined ? (
        <>
          <Form.Item name="unitIds" label={t('directives.assign.units')} rules={[{ required: true, message: t('common.required') }]}>
            <TreeSelect multiple showSearch={{ treeNodeFilterProp: 'title' }} treeData={treeData} treeDefaultExpandAll={units.length < 60} placeholder={t('shell.unitPicker')} data-testid="assign-units" />
          </Form.Item>
          {unitIds.length > 0 && unitIds.length <= 30 && (
            <>
              <Typography.Text type="secondary">{t('directives.assign.responsibleHint')}</Typography.Text>
              {unitIds.map((id) => (
                <Form.Item key={id} name={['responsible', String(id)]} label={t('directives.assign.responsibleOf', { unit: byId.get(id)?.name ?? id })} style={{ marginBottom: 8 }}>
                  <PersonSelect unitId={id} placeholder={t('directives.assign.unitHead')} data-testid={`assign-responsible-${id}`} />
                </Form.Item>
              ))}
            </>
          )}
          {unitIds.length > 30 && <Typography.Paragraph type="secondary">{t('directives.assign.manyUnits', { n: unitIds.length })}</Typography.Paragraph>}
        </>
      ) : (
        <>
          <Form.Item name="unitId" label={mode === 'children' ? t('directives.assign.childrenOf') : t('directives.assign.subtreeOf')} rules={[{ required: true, message: t('common.required') }]} extra={t('directives.assign.unitHeadsAnswer')}>
            <UnitPicker rootId={rootId} data-testid="assign-unit" />
          </Form.Item>
          {mode === 'subtree' && (
            <Form.Item name="depth" label={t('directives.assign.depth')} extra={t('directives.assign.depthHint')}>
              <InputNumber min={1} max={20} data-testid="assign-depth" />
            </Form.Item>
          )}
        </>
      )}
      <Form.Item name="deadline" label={t('directives.deadline')} extra={deadlineHint ?? t('directives.assign.deadlineHint', { tz: timeZone })}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 240 }} placeholder={t('directives.assign.endOfToday')} data-testid="assign-deadline" />
      </Form.Item>
      <Form.Item name="evidence" label={t('directives.assign.evidence')}>
        <Checkbox.Group options={EVIDENCE_KINDS.map((k) => ({ value: k, label: t(`directives.evidence.${k}`) }))} data-testid="assign-evidence" />
      </Form.Item>
      <Form.Item name="instructions" label={t('directives.assign.instructions')} rules={[{ max: 5000 }]}>
        <Input.TextArea rows={3} data-testid="assign-instructions" />
      </Form.Item>
    </>
  );
}
