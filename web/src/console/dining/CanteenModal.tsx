import { Button, Checkbox, Flex, Form, Input, InputNumber, Select, TimePicker, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { MAX_CAPACITY, MEALS, SLOT_MINUTES } from '../../../../common/schemas/dining.js';
import { ApiError } from '../../api/client';
import { createCanteen, updateCanteen, type Canteen, type Meal, type MealWindows } from '../../api/dining';
import { serverText, useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { UnitPicker } from '../../components/UnitPicker';

type Range = [Dayjs, Dayjs] | null | undefined;
type Ranges = Partial<Record<Meal, Range>>;
interface DinerValues {
  unitId?: number;
  meals?: Meal[];
  windows?: Ranges;
}
interface Values {
  unitId: number;
  name: string;
  capacity: number;
  slotMinutes: number;
  note?: string;
  windows: Ranges;
  diners?: DinerValues[];
}

const toRange = (w: { from: string; to: string } | undefined): Range => (w ? [dayjs(`2000-01-01T${w.from}`), dayjs(`2000-01-01T${w.to}`)] : undefined);
const toRanges = (ws: MealWindows): Ranges => Object.fromEntries(MEALS.map((m) => [m, toRange(ws[m])]));
const toWindows = (rs: Ranges | undefined): MealWindows => Object.fromEntries(MEALS.flatMap((m) => (rs?.[m] ? [[m, { from: rs[m][0].format('HH:mm'), to: rs[m][1].format('HH:mm') }]] : [])));

/**
 * Add a canteen or change one: seats, slot length, a window per meal it serves, and its diner units
 * (which meals each eats here and, per meal, its own narrower window).
 */
export function CanteenModal({ canteen, unitId, onClose, onDone }: { canteen: Canteen | null; unitId: number | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<Values>();
  const canteenUnit = Form.useWatch('unitId', form) ?? canteen?.unitId ?? unitId;

  const submit = async (v: Values) => {
    const fields = {
      name: v.name.trim(),
      capacity: v.capacity,
      slotMinutes: v.slotMinutes,
      windows: toWindows(v.windows),
      note: v.note?.trim() ? v.note.trim() : null,
      diners: (v.diners ?? []).filter((d) => d.unitId).map((d) => ({ unitId: d.unitId!, ...(d.meals?.length ? { meals: d.meals } : {}), windows: toWindows(d.windows) })),
    };
    try {
      if (canteen) await updateCanteen(canteen.id, fields);
      else await createCanteen({ unitId: v.unitId, ...fields });
      onDone();
      onClose();
    } catch (e) {
      // The server names nested fields (windows.lunch, diners.2.unitId): put each on its own item.
      if (e instanceof ApiError) {
        const named = Object.entries(e.fields).map(([path, msg]) => ({ name: path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [serverText(msg)] }));
        // A nested path is a NamePath antd accepts; its typing knows only the top-level keys.
        form.setFields(named as Parameters<typeof form.setFields>[0]);
      }
      report(e);
      throw e;
    }
  };

  const mealLabel = (m: Meal) => t(`canteens.meals.${m}`);
  return (
    <FormModal<Values>
      title={canteen ? t('canteens.editTitle') : t('canteens.newTitle')}
      open
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      width={820}
      submitTestId="canteen-submit"
      initialValues={
        canteen
          ? {
              unitId: canteen.unitId,
              name: canteen.name,
              capacity: canteen.capacity,
              slotMinutes: canteen.slotMinutes,
              note: canteen.note ?? '',
              windows: toRanges(canteen.windows),
              diners: canteen.diners.map((d) => ({ unitId: d.unitId, meals: d.meals, windows: toRanges(d.windows) })),
            }
          : { unitId: unitId ?? undefined, slotMinutes: 20, windows: {}, diners: [] }
      }
    >
      <Flex gap={16} wrap>
        <Form.Item name="unitId" label={t('canteens.unit')} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1, minWidth: 220 }}>
          <UnitPicker disabled={canteen !== null} data-testid="canteen-form-unit" />
        </Form.Item>
        <Form.Item name="name" label={t('canteens.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]} style={{ flex: 1, minWidth: 220 }}>
          <Input maxLength={100} data-testid="canteen-form-name" />
        </Form.Item>
      </Flex>
      <Flex gap={16} wrap>
        <Form.Item name="capacity" label={t('canteens.capacity')} rules={[{ required: true, message: t('common.required') }]}>
          <InputNumber min={1} max={MAX_CAPACITY} precision={0} style={{ width: 160 }} data-testid="canteen-form-capacity" />
        </Form.Item>
        <Form.Item name="slotMinutes" label={t('canteens.slotMinutes')} rules={[{ required: true, message: t('common.required') }]} extra={t('canteens.slotHelp')}>
          <Select style={{ width: 140 }} options={SLOT_MINUTES.map((m) => ({ value: m, label: t('canteens.minutes', { n: m }) }))} data-testid="canteen-form-slot" />
        </Form.Item>
      </Flex>
      <Typography.Text strong>{t('canteens.windows')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('canteens.windowsHelp')}
      </Typography.Paragraph>
      <Flex gap={16} wrap>
        {MEALS.map((m) => (
          <Form.Item key={m} name={['windows', m]} label={mealLabel(m)}>
            <TimePicker.RangePicker format="HH:mm" minuteStep={5} order data-testid={`canteen-form-window-${m}`} />
          </Form.Item>
        ))}
      </Flex>
      <Typography.Text strong>{t('canteens.diners')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('canteens.dinersHelp')}
      </Typography.Paragraph>
      <Form.List name="diners">
        {(rows, { add, remove }) => (
          <>
            {rows.map((row) => (
              <div key={row.key} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px', marginBottom: 8 }} data-testid={`canteen-diner-${row.name}`}>
                <Flex gap={12} wrap align="flex-start">
                  <Form.Item name={[row.name, 'unitId']} label={t('canteens.dinerUnit')} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1, minWidth: 220, marginBottom: 8 }}>
                    <UnitPicker rootId={canteenUnit ?? null} data-testid={`canteen-diner-unit-${row.name}`} />
                  </Form.Item>
                  <Form.Item name={[row.name, 'meals']} label={t('canteens.dinerMeals')} extra={t('canteens.dinerMealsHelp')} style={{ marginBottom: 8 }}>
                    <Checkbox.Group options={MEALS.map((m) => ({ value: m, label: mealLabel(m) }))} />
                  </Form.Item>
                  <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(row.name)} aria-label={t('common.delete')} style={{ marginTop: 30 }} />
                </Flex>
                <Flex gap={12} wrap>
                  {MEALS.map((m) => (
                    <Form.Item key={m} name={[row.name, 'windows', m]} label={t('canteens.ownWindow', { meal: mealLabel(m) })} style={{ marginBottom: 0 }}>
                      <TimePicker.RangePicker size="small" format="HH:mm" minuteStep={5} order />
                    </Form.Item>
                  ))}
                </Flex>
              </div>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ windows: {} })} block data-testid="canteen-diner-add">
              {t('canteens.addDiner')}
            </Button>
          </>
        )}
      </Form.List>
      <Form.Item name="note" label={t('canteens.note')} style={{ marginTop: 16 }}>
        <Input maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}
