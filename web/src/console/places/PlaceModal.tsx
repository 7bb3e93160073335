import { Button, Flex, Form, Input, InputNumber, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { addChecklistItem, createPlace, DEFAULT_CHECKLIST, MAX_FREQUENCY_DAYS, MIN_FREQUENCY_DAYS, PLACE_KINDS, RISK_LEVELS, updateChecklistItem, updatePlace, type PlaceDetail, type PlaceKind, type RiskLevel } from '../../api/places';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { PersonSelect } from '../../components/PersonSelect';
import { UnitPicker } from '../../components/UnitPicker';
import { emptyToNull } from '../../components/zodRule';

interface Values {
  unitId: number;
  name: string;
  kind: PlaceKind;
  address?: string;
  risk: RiskLevel;
  responsiblePersonId?: number | null;
  frequencyDays: number;
  /** Current items: `id` for the ones already on the place (renamed in place), none for new ones. */
  checklist: { id?: number; text: string }[];
}

const FIELDS = ['unitId', 'name', 'kind', 'address', 'risk', 'responsiblePersonId', 'frequencyDays', 'checklist'] as const;

/**
 * Register a key place or change one. The checklist is edited as a list: on a new place it is sent
 * whole (the four usual items prefilled); on an existing one a renamed item keeps its history, a
 * removed item is retired (past inspections keep it) and a new one is added at the end.
 */
export function PlaceModal({ open, place, defaultUnitId, onClose, onSaved }: { open: boolean; place: PlaceDetail | null; defaultUnitId: number | null; onClose(): void; onSaved(p: PlaceDetail): void }) {
  const { t, i18n } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<Values>();
  const unitId = Form.useWatch('unitId', form) ?? place?.unitId ?? defaultUnitId ?? undefined;

  const initial: Partial<Values> = place
    ? {
        unitId: place.unitId,
        name: place.name,
        kind: place.kind,
        address: place.address ?? '',
        risk: place.risk,
        responsiblePersonId: place.responsiblePersonId,
        frequencyDays: place.frequencyDays,
        checklist: place.checklist.filter((i) => i.retiredAt === null).map((i) => ({ id: i.id, text: i.text })),
      }
    : {
        unitId: defaultUnitId ?? undefined,
        risk: 'medium',
        frequencyDays: 7,
        checklist: DEFAULT_CHECKLIST.map((i) => ({ text: i18n.language === 'en' ? i.en : i.zh })),
      };

  const submit = async (v: Values) => {
    const texts = v.checklist.map((i) => i.text.trim());
    try {
      if (!place) {
        const created = await createPlace({
          unitId: v.unitId,
          name: v.name.trim(),
          kind: v.kind,
          ...(emptyToNull(v.address) ? { address: emptyToNull(v.address)! } : {}),
          risk: v.risk,
          ...(v.responsiblePersonId ? { responsiblePersonId: v.responsiblePersonId } : {}),
          frequencyDays: v.frequencyDays,
          checklist: texts,
        });
        onSaved(created);
        return;
      }
      let saved = await updatePlace(place.id, {
        name: v.name.trim(),
        kind: v.kind,
        address: emptyToNull(v.address),
        risk: v.risk,
        responsiblePersonId: v.responsiblePersonId ?? null,
        frequencyDays: v.frequencyDays,
      });
      // The checklist's changes one by one: new items first, so the place never has none.
      for (const item of v.checklist) if (item.id === undefined) saved = await addChecklistItem(place.id, { text: item.text.trim() });
      const kept = new Map(v.checklist.flatMap((i) => (i.id === undefined ? [] : [[i.id, i.text.trim()] as const])));
      for (const old of place.checklist.filter((i) => i.retiredAt === null)) {
        const text = kept.get(old.id);
        if (text === undefined) saved = await updateChecklistItem(place.id, old.id, { retired: true });
        else if (text !== old.text) saved = await updateChecklistItem(place.id, old.id, { text });
      }
      onSaved(saved);
    } catch (e) {
      report(e, { instance: form, fields: FIELDS });
      throw e;
    }
  };

  return (
    <FormModal<Values>
      title={place ? t('places.form.editTitle') : t('places.form.createTitle')}
      open={open}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={initial}
      submitTestId="place-submit"
      width={640}
    >
      <Form.Item name="unitId" label={t('places.form.unit')} rules={[{ required: true, message: t('common.required') }]}>
        <UnitPicker disabled={!!place} data-testid="place-unit" />
      </Form.Item>
      <Form.Item name="name" label={t('places.form.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}>
        <Input maxLength={200} data-testid="place-name" />
      </Form.Item>
      <Flex gap={12}>
        <Form.Item name="kind" label={t('places.form.kind')} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1 }}>
          <Select options={PLACE_KINDS.map((k) => ({ value: k, label: t(`places.kinds.${k}`) }))} data-testid="place-kind" />
        </Form.Item>
        <Form.Item name="risk" label={t('places.form.risk')} rules={[{ required: true, message: t('common.required') }]} style={{ width: 140 }}>
          <Select options={RISK_LEVELS.map((r) => ({ value: r, label: t(`places.risks.${r}`) }))} data-testid="place-risk" />
        </Form.Item>
        <Form.Item name="frequencyDays" label={t('places.form.frequency')} tooltip={t('places.form.frequencyHint')} rules={[{ required: true, message: t('common.required') }]} style={{ width: 150 }}>
          <InputNumber min={MIN_FREQUENCY_DAYS} max={MAX_FREQUENCY_DAYS} precision={0} style={{ width: '100%' }} data-testid="place-frequency" />
        </Form.Item>
      </Flex>
      <Form.Item name="address" label={t('places.form.address')} rules={[{ max: 300 }]}>
        <Input maxLength={300} data-testid="place-address" />
      </Form.Item>
      <Form.Item name="responsiblePersonId" label={t('places.form.responsible')} extra={t('places.form.responsibleHint')}>
        <PersonSelect
          unitId={unitId}
          // The current person is not among the search's first answers: show their name, not their id.
          labelRender={(p) => p.label ?? (p.value === place?.responsiblePersonId ? place?.responsibleName : p.value)}
          data-testid="place-responsible"
        />
      </Form.Item>
      <Form.Item label={t('places.form.checklist')} extra={t('places.form.checklistHint')} required>
        <Form.List
          name="checklist"
          rules={[
            {
              validator: async (_, items: unknown[] | undefined) => {
                if (!items || items.length === 0) throw new Error(t('places.form.needItem'));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f, i) => (
                <Flex key={f.key} gap={8} align="baseline">
                  <span style={{ width: 20, textAlign: 'right' }}>{i + 1}.</span>
                  {/* The item's id rides along unseen: a registered field, so the submitted values keep it (a renamed item is not a new one). */}
                  <Form.Item name={[f.name, 'id']} hidden>
                    <Input />
                  </Form.Item>
                  <Form.Item name={[f.name, 'text']} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]} style={{ flex: 1, marginBottom: 8 }}>
                    <Input maxLength={200} placeholder={t('places.form.itemPlaceholder')} data-testid={`place-item-${i}`} />
                  </Form.Item>
                  <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('places.form.retire')} data-testid={`place-item-remove-${i}`} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ text: '' })} data-testid="place-item-add">
                {t('places.form.addItem')}
              </Button>
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>
      </Form.Item>
    </FormModal>
  );
}
