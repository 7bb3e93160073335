import { useMemo } from 'react';
import { App, DatePicker, Form, Input, Select, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { BUILTIN_TAGS } from '../../../../../common/roles.js';
import { MAX_CAMPAIGN_DAYS } from '../../../../../common/schemas/campaigns.js';
import { createCampaign, type Campaign } from '../../../api/campaigns';
import { useReportError } from '../../../components/apiErrors';
import { FormModal } from '../../../components/FormModal';
import { forestOf, unitOptions } from '../../../components/unitTree';
import { useScope } from '../../../state/scope';
import { GroupSelect, TargetModeChoice, type TargetMode } from '../../places/GroupSelect';
import { useTagName } from './bits';

interface Values {
  name: string;
  days: [Dayjs, Dayjs];
  unitIds?: number[];
  tags?: string[];
  target: TargetMode;
  groupId?: number;
}

/** Start a campaign: name, days, target units (each with its whole subtree) and/or tags. */
export function CampaignCreateModal({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(c: Campaign): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<Values>();
  const { units, unitId } = useScope();
  const tagName = useTagName();
  // The same tree as the header's unit picker, several units at once.
  const treeData = useMemo(() => unitOptions(forestOf(units, null)), [units]);
  const target = Form.useWatch('target', form) ?? 'units';

  const submit = async (v: Values) => {
    try {
      const c = await createCampaign({ name: v.name, startDay: v.days[0].format('YYYY-MM-DD'), endDay: v.days[1].format('YYYY-MM-DD'), ...(v.target === 'group' ? { groupId: v.groupId } : { unitIds: v.unitIds ?? [], tags: v.tags ?? [] }) });
      void message.success(t('campaigns.create.created', { name: c.name }));
      onCreated(c);
    } catch (e) {
      report(e, { instance: form, fields: ['name', 'unitIds', 'tags', 'groupId'] });
      throw e;
    }
  };

  return (
    <FormModal<Values>
      title={t('campaigns.create.title')}
      open={open}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={{ days: [dayjs(), dayjs().add(2, 'day')], unitIds: unitId ? [unitId] : [], tags: [], target: 'units' }}
      submitText={t('campaigns.create.submit')}
      submitTestId="campaign-create-submit"
      width={560}
    >
      <Form.Item name="name" label={t('campaigns.create.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}>
        <Input placeholder={t('campaigns.create.namePlaceholder')} data-testid="campaign-name" />
      </Form.Item>
      <Form.Item
        name="days"
        label={t('campaigns.create.days')}
        rules={[
          { required: true, message: t('common.required') },
          {
            validator: async (_r, v?: [Dayjs, Dayjs]) => {
              if (v && v[1].diff(v[0], 'day') + 1 > MAX_CAMPAIGN_DAYS) throw new Error(t('campaigns.create.tooLong', { days: MAX_CAMPAIGN_DAYS }));
            },
          },
        ]}
      >
        <DatePicker.RangePicker style={{ width: '100%' }} data-testid="campaign-days" />
      </Form.Item>
      <Form.Item name="target" label={t('keyGroups.target')}>
        <TargetModeChoice testId="campaign-target" />
      </Form.Item>
      {target === 'group' ? (
        <Form.Item name="groupId" label={t('keyGroups.fromGroup')} extra={t('keyGroups.groupHint')} rules={[{ required: true, message: t('common.required') }]}>
          <GroupSelect unitId={unitId ?? undefined} data-testid="campaign-group" />
        </Form.Item>
      ) : (
        <>
          <Form.Item name="unitIds" label={t('campaigns.create.units')} extra={t('campaigns.create.unitsHint')}>
            <TreeSelect multiple treeCheckable={false} showSearch={{ treeNodeFilterProp: 'title' }} treeData={treeData} placeholder={t('shell.unitPicker')} data-testid="campaign-units" />
          </Form.Item>
          <Form.Item name="tags" label={t('campaigns.create.tags')} extra={t('campaigns.create.tagsHint')}>
            <Select mode="tags" options={BUILTIN_TAGS.map((tag) => ({ value: tag, label: tagName(tag) }))} data-testid="campaign-tags" />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}
