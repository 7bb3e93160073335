import { Checkbox, Form, Input, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { LOCATIONS, SYMPTOMS, TEMPERATURE_MAX, TEMPERATURE_MIN } from '../../../../common/schemas/health.js';
import { checkInFor, type NonReporter } from '../../api/dashboard';
import { FormModal } from '../../components/FormModal';
import { useReportError } from '../../components/apiErrors';
import { emptyToNull } from '../../components/zodRule';

interface Values {
  temperature: number;
  symptoms?: string[];
  other?: string;
  location: (typeof LOCATIONS)[number];
  city: string;
  note?: string;
}
const FIELDS = ['temperature', 'symptoms', 'location', 'city', 'note'] as const;

/** A liaison checks in for a person without a phone: recorded on their behalf, by the liaison. */
export function CheckinForModal({ person, onClose, onDone }: { person: NonReporter | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<Values>();
  const submit = async (v: Values) => {
    const other = v.other?.trim();
    try {
      await checkInFor({
        personId: person!.personId,
        // No preset: a typed value is a measured one.
        temperature: v.temperature,
        symptoms: [...(v.symptoms ?? []), ...(other ? [other] : [])],
        location: v.location,
        city: v.city.trim(),
        note: emptyToNull(v.note),
      });
      onDone();
    } catch (e) {
      report(e, { instance: form, fields: FIELDS });
      throw e;
    }
  };
  return (
    <FormModal<Values>
      title={t('health.checkinFor.title', { name: person?.name ?? '' })}
      open={person !== null}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      submitText={t('health.checkinFor.submit')}
      submitTestId="checkin-on-behalf-submit"
    >
      <Form.Item
        name="temperature"
        label={t('health.checkinFor.temperature')}
        rules={[
          { required: true, message: t('common.required') },
          { type: 'number', min: TEMPERATURE_MIN, max: TEMPERATURE_MAX, message: t('health.checkinFor.temperatureRange', { min: TEMPERATURE_MIN.toFixed(1), max: TEMPERATURE_MAX.toFixed(1) }) },
        ]}
      >
        <InputNumber step={0.1} precision={1} addonAfter="°C" style={{ width: 160 }} data-testid="checkin-temperature" />
      </Form.Item>
      <Form.Item name="symptoms" label={t('health.checkinFor.symptoms')}>
        <Checkbox.Group options={SYMPTOMS.map((s) => ({ value: s, label: t(`health.symptoms.${s}`) }))} />
      </Form.Item>
      <Form.Item name="other" label={t('health.checkinFor.other')} rules={[{ max: 40 }]}>
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item name="location" label={t('health.checkinFor.location')} rules={[{ required: true, message: t('common.required') }]}>
        <Select options={LOCATIONS.map((l) => ({ value: l, label: t(`health.locations.${l}`) }))} data-testid="checkin-location" />
      </Form.Item>
      <Form.Item name="city" label={t('health.checkinFor.city')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}>
        <Input maxLength={50} data-testid="checkin-city" />
      </Form.Item>
      <Form.Item name="note" label={t('health.checkinFor.note')} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}
