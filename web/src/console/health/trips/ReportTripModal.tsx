import { DatePicker, Flex, Form, Input } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { reportTrip, returnFromTrip, updateTrip, type Trip } from '../../../api/trips';
import { useReportError } from '../../../components/apiErrors';
import { FormModal } from '../../../components/FormModal';
import { PersonSelect } from '../../../components/PersonSelect';
import { emptyToNull } from '../../../components/zodRule';

const DAY = 'YYYY-MM-DD';
interface Values {
  personId: number;
  city: string;
  district?: string;
  startOn: Dayjs;
  endOn: Dayjs;
  purpose: string;
}
const FIELDS = ['personId', 'city', 'district', 'startOn', 'endOn', 'purpose'] as const;

/**
 * A liaison reports a trip for an employee without a phone, or changes one that has not started
 * (`editing`); the server checks they may (health.write over the person).
 */
export function ReportTripModal({ open, editing = null, onClose, onDone }: { open: boolean; editing?: Trip | null; onClose(): void; onDone(trip: Trip): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<Values>();
  const required = { required: true, message: t('common.required') };

  async function submit(v: Values) {
    const fields = { city: v.city, district: emptyToNull(v.district), startOn: v.startOn.format(DAY), endOn: v.endOn.format(DAY), purpose: v.purpose };
    try {
      onDone(editing ? await updateTrip(editing.id, fields) : await reportTrip({ personId: v.personId, ...fields }));
    } catch (e) {
      report(e, { instance: form, fields: FIELDS });
      throw e;
    }
  }
  const initial: Partial<Values> = editing
    ? { city: editing.city, district: editing.district ?? '', startOn: dayjs(editing.startOn), endOn: dayjs(editing.endOn), purpose: editing.purpose }
    : { startOn: dayjs(), endOn: dayjs() };
  return (
    <FormModal<Values> title={t(editing ? 'trips.editTitle' : 'trips.reportForTitle')} open={open} form={form} initialValues={initial} onCancel={onClose} onSubmit={submit} submitTestId="trip-report-submit">
      {!editing && (
        <Form.Item name="personId" label={t('trips.personPick')} rules={[required]}>
          <PersonSelect data-testid="trip-report-person" />
        </Form.Item>
      )}
      <Flex gap={12}>
        <Form.Item name="city" label={t('trips.city')} extra={t('trips.cityHint')} rules={[{ ...required, whitespace: true }]} style={{ flex: 1 }}>
          <Input maxLength={50} data-testid="trip-report-city" />
        </Form.Item>
        <Form.Item name="district" label={t('trips.district')} style={{ flex: 1 }}>
          <Input maxLength={50} />
        </Form.Item>
      </Flex>
      <Flex gap={12}>
        <Form.Item name="startOn" label={t('trips.startOn')} rules={[required]}>
          <DatePicker data-testid="trip-report-start" />
        </Form.Item>
        <Form.Item
          name="endOn"
          label={t('trips.endOn')}
          dependencies={['startOn']}
          rules={[
            required,
            ({ getFieldValue }) => ({
              validator: async (_r, v: Dayjs | undefined) => {
                const start = getFieldValue('startOn') as Dayjs | undefined;
                if (v && start && v.isBefore(start, 'day')) throw new Error(t('riskAreas.untilBeforeFrom'));
              },
            }),
          ]}
        >
          <DatePicker data-testid="trip-report-end" />
        </Form.Item>
      </Flex>
      <Form.Item name="purpose" label={t('trips.purpose')} rules={[{ ...required, whitespace: true }]}>
        <Input maxLength={200} data-testid="trip-report-purpose" />
      </Form.Item>
    </FormModal>
  );
}

/** The return day of one trip (from its start to today). */
export function ReturnModal({ trip, onClose, onDone }: { trip: Trip | null; onClose(): void; onDone(trip: Trip): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<{ day: Dayjs }>();
  return (
    <FormModal<{ day: Dayjs }>
      title={t('trips.returnTitle')}
      open={trip !== null}
      form={form}
      initialValues={{ day: dayjs() }}
      onCancel={onClose}
      onSubmit={async (v) => {
        try {
          onDone(await returnFromTrip(trip!.id, v.day.format(DAY)));
        } catch (e) {
          report(e, { instance: form, fields: ['day'] });
          throw e;
        }
      }}
      submitTestId="trip-return-submit"
    >
      <Form.Item name="day" label={t('trips.returnDay')} rules={[{ required: true, message: t('common.required') }]}>
        <DatePicker disabledDate={(d) => (trip ? d.isBefore(dayjs(trip.startOn), 'day') : false) || d.isAfter(dayjs(), 'day')} data-testid="trip-return-day" />
      </Form.Item>
    </FormModal>
  );
}
