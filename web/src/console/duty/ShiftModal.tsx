import { useEffect, useState } from 'react';
import { App, Button, DatePicker, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { createShift, deleteShift, getHandover, updateShift, type Handover, type Shift } from '../../api/duty';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { FormModal } from '../../components/FormModal';
import { instantOf, wallClockOf } from '../directives/assign';
import { useTimeZone } from '../directives/bits';
import { PeopleList, type PickedPerson } from './PeopleList';

/** The form names the fields as the API does (leaderIds, officerIds), so the server's field errors land on them. */
interface ShiftValues {
  startsAt: Dayjs;
  endsAt: Dayjs;
  leaderIds: PickedPerson[];
  officerIds: PickedPerson[];
  note?: string;
}

const FIELDS = ['startsAt', 'endsAt', 'leaderIds', 'officerIds', 'note'] as const;
const picked = (people: Shift['leaders']) => people.map((p) => ({ id: p.personId, name: p.name }));

interface Props {
  unitId: number;
  /** The shift opened, or null. */
  shift: Shift | null;
  /** A new shift's proposed times, or null. */
  start: { startsAt: number; endsAt: number } | null;
  onClose(): void;
  onDone(): void;
}

/** Add a shift or adjust one (times, leader on duty, officers, note); a shift the user may not change opens read-only. */
export function ShiftModal(props: Props) {
  if (props.shift && !props.shift.abilities.update) return <ShiftView shift={props.shift} onClose={props.onClose} onDone={props.onDone} />;
  return <ShiftForm {...props} />;
}

function useDeleteShift(onDone: () => void) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const report = useReportError();
  const timeZone = useTimeZone();
  return (shift: Shift) =>
    modal.confirm({
      content: t('duty.shift.confirmDelete', { when: wallClockOf(shift.startsAt, timeZone).format('YYYY-MM-DD HH:mm') }),
      okButtonProps: { danger: true, 'data-testid': 'duty-shift-delete-ok' },
      onOk: async () => {
        try {
          await deleteShift(shift.id);
          void message.success(t('duty.shift.deleted'));
          onDone();
        } catch (e) {
          report(e);
        }
      },
    });
}

function ShiftForm({ unitId, shift, start, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const timeZone = useTimeZone();
  const remove = useDeleteShift(onDone);
  const [form] = Form.useForm<ShiftValues>();
  const times = shift ?? start;
  const nonEmpty = { validator: async (_: unknown, v: PickedPerson[] | undefined) => { if (!v || v.length === 0) throw new Error(t('duty.generate.emptyList')); } };

  const submit = async (v: ShiftValues) => {
    const common = {
      startsAt: instantOf(v.startsAt, timeZone),
      endsAt: instantOf(v.endsAt, timeZone),
      leaderIds: v.leaderIds.map((p) => p.id),
      officerIds: v.officerIds.map((p) => p.id),
    };
    const note = v.note?.trim() ? v.note.trim() : null;
    try {
      if (shift) await updateShift(shift.id, { ...common, note });
      else await createShift({ unitId, ...common, ...(note ? { note } : {}) });
      void message.success(shift ? t('duty.shift.saved') : t('duty.shift.created'));
      onDone();
    } catch (e) {
      report(e, { instance: form, fields: FIELDS });
      throw e;
    }
  };

  return (
    <FormModal<ShiftValues>
      title={shift ? t('duty.shift.editTitle') : t('duty.shift.newTitle')}
      open={times !== null}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={
        times
          ? {
              startsAt: wallClockOf(times.startsAt, timeZone),
              endsAt: wallClockOf(times.endsAt, timeZone),
              leaderIds: picked(shift?.leaders ?? []),
              officerIds: picked(shift?.officers ?? []),
              note: shift?.note ?? '',
            }
          : undefined
      }
      submitTestId="duty-shift-submit"
      width={560}
    >
      <div style={{ display: 'flex', gap: 16 }}>
        <Form.Item name="startsAt" label={t('duty.shift.startsAt')} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1 }}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="duty-shift-starts" />
        </Form.Item>
        <Form.Item name="endsAt" label={t('duty.shift.endsAt')} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1 }}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="duty-shift-ends" />
        </Form.Item>
      </div>
      <Form.Item name="leaderIds" label={t('duty.shift.leaders')} required rules={[nonEmpty]}>
        <PeopleList unitId={unitId} data-testid="duty-shift-leaders" />
      </Form.Item>
      <Form.Item name="officerIds" label={t('duty.shift.officers')} required rules={[nonEmpty]}>
        <PeopleList unitId={unitId} data-testid="duty-shift-officers" />
      </Form.Item>
      <Form.Item name="note" label={t('duty.shift.note')} rules={[{ max: 500 }]}>
        <Input placeholder={t('duty.shift.notePlaceholder')} data-testid="duty-shift-note" />
      </Form.Item>
      {shift?.abilities.delete && (
        <Button danger icon={<DeleteOutlined />} onClick={() => remove(shift)} data-testid="duty-shift-delete">
          {t('duty.shift.delete')}
        </Button>
      )}
    </FormModal>
  );
}

/** A shift that has ended (or that the user may only read): who was on it and its handover. */
function ShiftView({ shift, onClose, onDone }: { shift: Shift; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const remove = useDeleteShift(onDone);
  const [handover, setHandover] = useState<Handover | null | undefined>(shift.hasHandover ? undefined : null);
  useEffect(() => {
    if (!shift.hasHandover) return;
    let live = true;
    getHandover(shift.id).then((r) => live && setHandover(r.handover), () => live && setHandover(null));
    return () => {
      live = false;
    };
  }, [shift]);
  const names = (people: Shift['leaders']) => people.map((p) => p.name).join('、') || '—';
  return (
    <Modal open title={t('duty.shift.viewTitle')} onCancel={onClose} footer={null} width={560} data-testid="duty-shift-view">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('duty.shift.startsAt')}>{formatTime(shift.startsAt)}</Descriptions.Item>
        <Descriptions.Item label={t('duty.shift.endsAt')}>{formatTime(shift.endsAt)}</Descriptions.Item>
        <Descriptions.Item label={t('duty.shift.leaders')}>{names(shift.leaders)}</Descriptions.Item>
        <Descriptions.Item label={t('duty.shift.officers')}>{names(shift.officers)}</Descriptions.Item>
        {shift.note && <Descriptions.Item label={t('duty.shift.note')}>{shift.note}</Descriptions.Item>}
        <Descriptions.Item label={t('duty.shift.handover')}>
          {handover === undefined ? t('common.loading') : handover === null ? <Typography.Text type="secondary">{t('duty.shift.noHandover')}</Typography.Text> : <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{handover.body}</Typography.Paragraph>}
        </Descriptions.Item>
      </Descriptions>
      {shift.abilities.delete && (
        <Button danger icon={<DeleteOutlined />} onClick={() => remove(shift)} style={{ marginTop: 16 }} data-testid="duty-shift-delete">
          {t('duty.shift.delete')}
        </Button>
      )}
    </Modal>
  );
}
