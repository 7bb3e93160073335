import { Alert, App, DatePicker, Form, InputNumber, Radio, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { SHIFT_HOURS } from '../../../../common/schemas/duty.js';
import { ApiError } from '../../api/client';
import { generateShifts, putRoster, type Pattern } from '../../api/duty';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { PeopleList, type PickedPerson } from './PeopleList';

/** The form names its fields as the pattern does, so the server's field errors (pattern.leaderIds) land on them. */
interface GenerateValues {
  range: [Dayjs, Dayjs];
  rotation: Pattern['rotation'];
  shiftHours: number;
  handoverHour: number;
  officersPerShift: number;
  leaderIds: PickedPerson[];
  officerIds: PickedPerson[];
  /** 1-based in the form: "start with the 3rd person of the list" (the API's offsets are 0-based). */
  leaderStart: number;
  officerStart: number;
}

const FIELDS = ['range', 'rotation', 'shiftHours', 'handoverHour', 'officersPerShift', 'leaderIds', 'officerIds', 'leaderOffset', 'officerOffset'] as const;

/** The server's field paths as the form's: `pattern.leaderIds.2` is the leaders list, `from`/`to` the range. */
function onFormFields(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  const fields = Object.fromEntries(
    Object.entries(err.fields).map(([k, v]) => [
      k
        .replace(/^pattern\./, '')
        .replace(/^(from|to)$/, 'range')
        .replace(/^(leader|officer)Offset$/, '$1Start'),
      v,
    ]),
  );
  return new ApiError(err.status, err.code, err.message, fields, err.retryAfter);
}

interface Props {
  unitId: number;
  hasRoster: boolean;
  open: boolean;
  /** The unit's last pattern, offered again. */
  pattern: Pattern | null;
  /** Names of people the page already knows (from the month's shifts), to show the last pattern's lists. */
  names: ReadonlyMap<number, string>;
  defaultRange: [Dayjs, Dayjs];
  onClose(): void;
  onDone(): void;
}

function known(ids: readonly number[], names: ReadonlyMap<number, string>): PickedPerson[] {
  return ids.flatMap((id) => {
    const name = names.get(id);
    return name === undefined ? [] : [{ id, name }];
  });
}

/** 按规则生成: a period of shifts from rotation lists (also how holidays get their own pattern); a dry run says what it will do first. */
export function GenerateModal({ unitId, hasRoster, open, pattern, names, defaultRange, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<GenerateValues>();

  const submit = async (v: GenerateValues) => {
    const body = {
      from: v.range[0].format('YYYY-MM-DD'),
      to: v.range[1].format('YYYY-MM-DD'),
      pattern: {
        leaderIds: v.leaderIds.map((p) => p.id),
        officerIds: v.officerIds.map((p) => p.id),
        officersPerShift: v.officersPerShift,
        rotation: v.rotation,
        shiftHours: v.shiftHours,
        handoverHour: v.handoverHour,
        leaderOffset: Math.max(0, (v.leaderStart ?? 1) - 1),
        officerOffset: Math.max(0, (v.officerStart ?? 1) - 1),
      },
    };
    try {
      // A unit keeps duty once it has a roster: the first generation makes it.
      if (!hasRoster) await putRoster(unitId);
      const preview = await generateShifts(unitId, { ...body, dryRun: true });
      const go = await modal.confirm({
        content: t('duty.generate.preview', { created: preview.created, replaced: preview.replaced, kept: preview.kept }),
        okText: t('duty.generate.submit'),
        okButtonProps: { 'data-testid': 'duty-generate-ok' },
      });
      if (!go) throw new Error('not confirmed');
      const r = await generateShifts(unitId, body);
      void message.success(t('duty.generate.done', { created: r.created, replaced: r.replaced }));
      onDone();
    } catch (e) {
      if (e instanceof ApiError) report(onFormFields(e), { instance: form, fields: FIELDS });
      throw e;
    }
  };
  const nonEmpty = { validator: async (_: unknown, v: PickedPerson[] | undefined) => { if (!v || v.length === 0) throw new Error(t('duty.generate.emptyList')); } };
  return (
    <FormModal<GenerateValues>
      title={t('duty.generate.title')}
      open={open}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={{
        range: defaultRange,
        rotation: pattern?.rotation ?? 'daily',
        shiftHours: pattern?.shiftHours ?? 24,
        handoverHour: pattern?.handoverHour ?? 8,
        officersPerShift: pattern?.officersPerShift ?? 1,
        // The last pattern's people whose names are known here; the others are picked again.
        leaderIds: known(pattern?.leaderIds ?? [], names),
        officerIds: known(pattern?.officerIds ?? [], names),
        leaderStart: 1,
        officerStart: 1,
      }}
      submitText={t('duty.generate.submit')}
      submitTestId="duty-generate-submit"
      width={640}
    >
      <Alert type="info" showIcon title={t('duty.generate.hint')} style={{ marginBottom: 16 }} />
      <Form.Item name="range" label={t('duty.generate.range')} rules={[{ required: true, message: t('common.required') }]}>
        <DatePicker.RangePicker style={{ width: '100%' }} data-testid="duty-generate-range" />
      </Form.Item>
      <Form.Item name="rotation" label={t('duty.generate.rotation')}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'daily', label: t('duty.generate.daily') },
            { value: 'weekly', label: <span data-testid="duty-generate-weekly">{t('duty.generate.weekly')}</span> },
          ]}
        />
      </Form.Item>
      <div style={{ display: 'flex', gap: 16 }}>
        <Form.Item name="shiftHours" label={t('duty.generate.shiftHours')} style={{ flex: 1 }}>
          <Select options={[...SHIFT_HOURS].reverse().map((n) => ({ value: n, label: t('duty.generate.hours', { n }) }))} data-testid="duty-generate-hours" />
        </Form.Item>
        <Form.Item name="handoverHour" label={t('duty.generate.handoverHour')} tooltip={t('duty.generate.handoverHint')} style={{ flex: 1 }}>
          <Select options={Array.from({ length: 24 }, (_, h) => ({ value: h, label: `${String(h).padStart(2, '0')}:00` }))} data-testid="duty-generate-handover" />
        </Form.Item>
        <Form.Item name="officersPerShift" label={t('duty.generate.officersPerShift')} style={{ flex: 1 }}>
          <InputNumber min={1} max={20} style={{ width: '100%' }} data-testid="duty-generate-per-shift" />
        </Form.Item>
      </div>
      <Form.Item name="leaderIds" label={t('duty.generate.leaders')} extra={t('duty.generate.listHint')} required rules={[nonEmpty]}>
        <PeopleList unitId={unitId} ordered data-testid="duty-generate-leaders" />
      </Form.Item>
      <Form.Item name="officerIds" label={t('duty.generate.officers')} extra={t('duty.generate.listHint')} required rules={[nonEmpty]}>
        <PeopleList unitId={unitId} ordered data-testid="duty-generate-officers" />
      </Form.Item>
      <div style={{ display: 'flex', gap: 16 }}>
        <Form.Item name="leaderStart" label={t('duty.generate.leaderStart')} tooltip={t('duty.generate.startHint')} style={{ flex: 1 }}>
          <InputNumber min={1} max={10_001} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="officerStart" label={t('duty.generate.officerStart')} tooltip={t('duty.generate.startHint')} style={{ flex: 1 }}>
          <InputNumber min={1} max={10_001} style={{ width: '100%' }} />
        </Form.Item>
      </div>
    </FormModal>
  );
}
