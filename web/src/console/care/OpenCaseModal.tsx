import { DatePicker, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CARE_KINDS, CARE_NEED_KINDS, openCase, TimeZone, type CareCaseDetail as CaseDetail, type CareKind, type CareNeedKind } from '../../api/care';
import { ApiError } from '../../api/client';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { PersonSelect } from '../../components/PersonSelect';
import { emptyToNull, zodRule } from '../../components/zodRule';

interface Values {
  personId: number;
  kind: CareKind;
  startsOn: Dayjs;
  expectedEnd?: Dayjs | null;
  timeZone?: string;
  needs?: CareNeedKind[];
  note?: string;
}
const FIELDS = ['personId', 'kind', 'startsOn', 'expectedEnd', 'timeZone', 'needs', 'note'] as const;
/** A few zones staff are posted to, offered first; any IANA name may be typed. */
const ZONES = ['Europe/London', 'Europe/Berlin', 'Europe/Moscow', 'Asia/Dubai', 'Asia/Singapore', 'Asia/Tokyo', 'Africa/Nairobi', 'Africa/Lagos', 'America/New_York', 'America/Sao_Paulo', 'Australia/Sydney'];

/** 新建关爱对象: open a case by hand for a person of the scope. */
export function OpenCaseModal({ open, unitId, onClose, onOpened }: { open: boolean; unitId: number | null; onClose(): void; onOpened(c: CaseDetail): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);

  const submit = async (v: Values) => {
    try {
      const created = await openCase({
        personId: v.personId,
        kind: v.kind,
        startsOn: v.startsOn.format('YYYY-MM-DD'),
        expectedEnd: v.expectedEnd ? v.expectedEnd.format('YYYY-MM-DD') : null,
        timeZone: v.kind === 'overseas_post' ? emptyToNull(v.timeZone) : null,
        needs: v.needs && v.needs.length > 0 ? v.needs : undefined,
        note: emptyToNull(v.note) ?? undefined,
      });
      onOpened(created);
    } catch (e) {
      report(e, e instanceof ApiError ? { instance: form, fields: FIELDS } : undefined);
      throw e;
    }
  };

  return (
    <FormModal<Values> title={t('care.open.title')} open={open} form={form} onCancel={onClose} onSubmit={submit} initialValues={{ startsOn: dayjs() }} submitText={t('care.open.submit')} submitTestId="care-open-submit">
      <Form.Item name="personId" label={t('care.open.person')} rules={[{ required: true, message: t('common.required') }]}>
        <PersonSelect unitId={unitId ?? undefined} placeholder={t('care.open.personPlaceholder')} data-testid="care-open-person" />
      </Form.Item>
      <Form.Item name="kind" label={t('care.open.kind')} rules={[{ required: true, message: t('common.required') }]}>
        <Select<CareKind> options={CARE_KINDS.map((k) => ({ value: k, label: t(`care.kinds.${k}`) }))} data-testid="care-open-kind" />
      </Form.Item>
      <Form.Item name="startsOn" label={t('care.open.startsOn')} rules={[{ required: true, message: t('common.required') }]}>
        <DatePicker allowClear={false} data-testid="care-open-starts" />
      </Form.Item>
      <Form.Item
        name="expectedEnd"
        label={t('care.open.expectedEnd')}
        dependencies={['startsOn']}
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_r, value: Dayjs | null | undefined) => {
              const start = getFieldValue('startsOn') as Dayjs | undefined;
              if (value && start && value.isBefore(start, 'day')) throw new Error(t('care.open.endBeforeStart'));
            },
          }),
        ]}
      >
        <DatePicker data-testid="care-open-end" />
      </Form.Item>
      {kind === 'overseas_post' && (
        <Form.Item name="timeZone" label={t('care.open.timeZone')} extra={t('care.open.timeZoneHelp')} rules={[{ required: true, message: t('common.required') }, zodRule(TimeZone, t('care.open.badZone'))]}>
          <Select showSearch allowClear options={ZONES.map((z) => ({ value: z, label: z }))} data-testid="care-open-zone" />
        </Form.Item>
      )}
      <Form.Item name="needs" label={t('care.open.needs')}>
        <Select<CareNeedKind[]> mode="multiple" allowClear options={CARE_NEED_KINDS.map((k) => ({ value: k, label: t(`care.needKinds.${k}`) }))} data-testid="care-open-needs" />
      </Form.Item>
      <Form.Item name="note" label={t('care.open.note')}>
        <Input.TextArea rows={2} maxLength={2000} data-testid="care-open-note" />
      </Form.Item>
    </FormModal>
  );
}
