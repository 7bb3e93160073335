import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, DatePicker, Descriptions, Flex, Form, Input, InputNumber, Radio, Select, Spin, Switch, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { checkRegistration, listRooms, register, updateRegistration, type MeetingCheck, type MeetingRegistration, type Room } from '../../api/meetings';
import { ApiError } from '../../api/client';
import { describeError, serverText, useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { UnitPicker } from '../../components/UnitPicker';
import { useScope } from '../../state/scope';
import { instantOf, wallClockOf } from '../directives/assign';
import { useFormatShort, useTimeZone } from '../directives/bits';
import { PeopleList, type PickedPerson } from '../duty/PeopleList';
import { breachText } from './bits';

interface Values {
  title?: string;
  unitId?: number;
  where: 'room' | 'place';
  roomId?: number;
  place?: string;
  startAt?: Dayjs;
  minutes?: number;
  attendees?: number;
  ventilated?: boolean;
  attendeeIds?: PickedPerson[];
  note?: string;
  reason?: string;
}
/** The form names its fields as the API does, so the server's field errors land on them. */
const FIELDS = ['title', 'unitId', 'roomId', 'place', 'startAt', 'minutes', 'attendees', 'ventilated', 'attendeeIds', 'note', 'reason'] as const;

/** The body for the check and the registration; null while a field the check needs is still empty. */
function bodyOf(v: Partial<Values>, timeZone: string, forCheck: boolean) {
  if (!v.unitId || !v.startAt || !v.minutes || !v.attendees) return null;
  if (v.where === 'room' ? !v.roomId : !v.place?.trim()) return null;
  const ids = (v.attendeeIds ?? []).map((p) => p.id);
  return {
    // The dry run checks the limits, not the title: a form half filled in is still checked.
    title: v.title?.trim() || (forCheck ? '—' : ''),
    unitId: v.unitId,
    ...(v.where === 'room' ? { roomId: v.roomId! } : { roomId: null, place: v.place!.trim(), ventilated: v.ventilated ?? false }),
    startAt: instantOf(v.startAt, timeZone),
    minutes: v.minutes,
    attendees: v.attendees,
    ...(ids.length ? { attendeeIds: ids } : {}),
    ...(v.note?.trim() ? { note: v.note.trim() } : {}),
    ...(!forCheck && v.reason?.trim() ? { reason: v.reason.trim() } : {}),
  };
}

type Body = NonNullable<ReturnType<typeof bodyOf>>;

/**
 * The change of a registration: every field as the form holds it (the unit stays). The attendee
 * list is sent only when the user touched it: the form shows only the listed people in their scope,
 * and sending that back would drop the others.
 */
function patchOf(b: Body, m: MeetingRegistration, listTouched: boolean) {
  const sendList = listTouched || m.attendeeListSize === m.attendeeList.length;
  return {
    title: b.title,
    ...(b.roomId !== null ? { roomId: b.roomId, place: null } : { roomId: null, place: b.place!, ventilated: b.ventilated! }),
    startAt: b.startAt,
    minutes: b.minutes,
    attendees: b.attendees,
    ...(sendList ? { attendeeIds: b.attendeeIds ?? [] } : {}),
    note: b.note ?? null,
    ...(b.reason ? { reason: b.reason } : {}),
  };
}

/** A registration as the form's values, to change it. */
function valuesOf(m: MeetingRegistration, timeZone: string): Values {
  return {
    title: m.title,
    unitId: m.unitId,
    where: m.room ? 'room' : 'place',
    roomId: m.room?.id,
    place: m.place ?? undefined,
    startAt: wallClockOf(m.startAt, timeZone),
    minutes: m.minutes,
    attendees: m.attendees,
    ventilated: m.ventilated,
    attendeeIds: m.attendeeList.map((p) => ({ id: p.personId, name: p.name })),
    note: m.note ?? undefined,
  };
}

/**
 * 会议报备: register a meeting (or change one: `meeting`, re-checked the same way). As the fields change the server's dry run says the limits in force for
 * the unit that day and each one the meeting goes over; only then is a reason asked for, and the
 * meeting goes to the unit head for approval instead of being registered at once.
 */
export function RegisterModal({ meeting = null, onClose, onDone }: { meeting?: MeetingRegistration | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const timeZone = useTimeZone();
  const short = useFormatShort();
  const { unitId: scopeId } = useScope();
  const [form] = Form.useForm<Values>();
  const values = Form.useWatch([], form) as Partial<Values> | undefined;
  const unitId = values?.unitId;
  const [rooms, setRooms] = useState<Room[]>([]);
  const [check, setCheck] = useState<MeetingCheck | null>(null);
  const [checking, setChecking] = useState(false);
  // Why the dry run refused the fields as they stand (a length over a day, say): said under the form.
  const [checkError, setCheckError] = useState<string | null>(null);
  const asked = useRef(0);

  // The rooms a meeting of this unit may use: its own and its ancestors'.
  useEffect(() => {
    if (!unitId) return setRooms([]);
    let live = true;
    listRooms({ forUnitId: unitId, pageSize: 200 }).then((r) => live && setRooms(r.items), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [unitId, report]);

  // The dry run, a moment after the last keystroke; only the latest answer counts.
  const checkBody = useMemo(() => (values ? bodyOf(values, timeZone, true) : null), [values, timeZone]);
  const checkKey = JSON.stringify(checkBody);
  useEffect(() => {
    if (!checkBody) return setCheck(null);
    const n = ++asked.current;
    const timer = setTimeout(() => {
      setChecking(true);
      checkRegistration(checkBody)
        .then(
          (c) => {
            if (n !== asked.current) return;
            setCheck(c);
            setCheckError(null);
          },
          (e: unknown) => {
            if (n !== asked.current) return;
            setCheck(null);
            setCheckError(e instanceof ApiError && Object.keys(e.fields).length > 0 ? Object.entries(e.fields).map(([f, m]) => `${f}: ${serverText(m)}`).join('; ') : describeError(t, e));
          },
        )
        .finally(() => n === asked.current && setChecking(false));
    }, 350);
    return () => clearTimeout(timer);
    // checkKey stands for checkBody: a new object each render with the same content must not re-ask.
  }, [checkKey]);

  const submit = async (v: Values) => {
    const body = bodyOf(v, timeZone, false);
    if (!body) return;
    try {
      const m = meeting ? await updateRegistration(meeting.id, patchOf(body, meeting, form.isFieldTouched('attendeeIds'))) : await register(body);
      void message.success(m.status === 'pending' ? t('meetingRegs.form.sentForApproval') : meeting ? t('meetingRegs.form.saved') : t('meetingRegs.form.registered'));
      onDone();
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: FIELDS });
      throw e;
    }
  };

  const where = values?.where ?? 'room';
  const room = rooms.find((r) => r.id === values?.roomId);
  const limits = check?.limits;
  // Changing a meeting, the room's other booking the dry run finds may be the meeting itself.
  const conflict = check?.conflict && check.conflict.id !== meeting?.id ? check.conflict : null;
  return (
    <FormModal<Values>
      title={meeting ? t('meetingRegs.form.editTitle') : t('meetingRegs.form.title')}
      open
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={meeting ? valuesOf(meeting, timeZone) : { unitId: scopeId ?? undefined, where: 'room', minutes: 60 }}
      submitText={check?.needsApproval ? t('meetingRegs.form.submitForApproval') : t('meetingRegs.form.submit')}
      submitTestId="meeting-submit"
      width={640}
    >
      <Form.Item name="title" label={t('meetingRegs.form.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={200} data-testid="meeting-title" />
      </Form.Item>
      <Form.Item name="unitId" label={t('meetingRegs.unit')} rules={[{ required: true, message: t('common.required') }]}>
        <UnitPicker disabled={meeting !== null} onChange={(id) => form.setFieldsValue({ unitId: id, roomId: undefined })} data-testid="meeting-unit" />
      </Form.Item>
      <Form.Item name="where" label={t('meetingRegs.form.where')}>
        <Radio.Group
          options={[
            { value: 'room', label: t('meetingRegs.form.inRoom') },
            { value: 'place', label: t('meetingRegs.form.elsewhere') },
          ]}
          data-testid="meeting-where"
        />
      </Form.Item>
      {where === 'room' ? (
        <Form.Item name="roomId" label={t('meetingRegs.room')} rules={[{ required: true, message: t('common.required') }]} extra={room && t('meetingRegs.form.roomLine', { capacity: room.capacity, ventilated: room.ventilated ? t('rooms.yes') : t('rooms.no') })}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={rooms.length ? undefined : t('meetingRegs.form.noRooms')}
            options={rooms.map((r) => ({ value: r.id, label: `${r.building ? `${r.building} · ` : ''}${r.name}（${r.capacity}）` }))}
            data-testid="meeting-room"
          />
        </Form.Item>
      ) : (
        <Flex gap={16}>
          <Form.Item name="place" label={t('meetingRegs.place')} rules={[{ required: true, whitespace: true, message: t('common.required') }]} style={{ flex: 1 }}>
            <Input maxLength={200} data-testid="meeting-place" />
          </Form.Item>
          <Form.Item name="ventilated" label={t('rooms.ventilated')} valuePropName="checked">
            <Switch data-testid="meeting-ventilated" />
          </Form.Item>
        </Flex>
      )}
      <Flex gap={16} wrap>
        <Form.Item name="startAt" label={t('meetingRegs.form.startAt')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" data-testid="meeting-start" />
        </Form.Item>
        <Form.Item name="minutes" label={t('meetingRegs.form.minutes')} rules={[{ required: true, message: t('common.required') }]}>
          <InputNumber min={1} max={1440} precision={0} addonAfter={t('meetingRegs.form.min')} style={{ width: 150 }} data-testid="meeting-minutes" />
        </Form.Item>
        <Form.Item name="attendees" label={t('meetingRegs.form.attendees')} rules={[{ required: true, message: t('common.required') }]}>
          <InputNumber min={1} max={100_000} precision={0} style={{ width: 130 }} data-testid="meeting-attendees" />
        </Form.Item>
      </Flex>
      <Form.Item name="attendeeIds" label={t('meetingRegs.form.attendeeList')} extra={t('meetingRegs.form.attendeeListHelp')}>
        <PeopleList data-testid="meeting-attendee-list" />
      </Form.Item>
      <Form.Item name="note" label={t('meetingRegs.note')}>
        <Input.TextArea rows={2} maxLength={2000} data-testid="meeting-note" />
      </Form.Item>

      <div data-testid="meeting-check" style={{ marginBottom: 16 }}>
        {!checkBody ? (
          <Typography.Text type="secondary">{t('meetingRegs.form.checkHint')}</Typography.Text>
        ) : !check && checkError ? (
          <Alert type="error" showIcon data-testid="meeting-check-error" title={checkError} />
        ) : !check ? (
          <Spin size="small" spinning={checking}>
            <Typography.Text type="secondary">{t('meetingRegs.form.checking')}</Typography.Text>
          </Spin>
        ) : (
          <Spin size="small" spinning={checking}>
            {limits && (
              <Descriptions size="small" column={3} style={{ marginBottom: 8 }} title={t('meetingRegs.form.limitsTitle', { day: limits.day })}>
                <Descriptions.Item label={t('meetingRegs.form.maxSize')}>{limits.maxSize}</Descriptions.Item>
                <Descriptions.Item label={t('meetingRegs.form.maxMinutes')}>{limits.maxMinutes}</Descriptions.Item>
                <Descriptions.Item label={t('meetingRegs.form.roomLimit')}>{limits.roomLimit ?? '—'}</Descriptions.Item>
              </Descriptions>
            )}
            {conflict && (
              <Alert type="error" showIcon style={{ marginBottom: 8 }} data-testid="meeting-conflict" title={t('meetingRegs.form.conflict', { title: conflict.title, from: short(conflict.startAt), to: short(conflict.endAt) })} />
            )}
            {check.breaches.length === 0 ? (
              <Alert type="success" showIcon data-testid="meeting-within" title={t('meetingRegs.form.within')} />
            ) : (
              <Alert
                type="warning"
                showIcon
                data-testid="meeting-breaches"
                title={t('meetingRegs.form.over')}
                description={
                  <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                    {check.breaches.map((b) => (
                      <li key={b.kind} data-testid={`meeting-breach-${b.kind}`}>
                        {breachText(t, b)}
                      </li>
                    ))}
                  </ul>
                }
              />
            )}
          </Spin>
        )}
      </div>
      {check?.needsApproval && (
        <Form.Item name="reason" label={t('meetingRegs.form.reason')} extra={t('meetingRegs.form.reasonHelp')} rules={[{ required: true, whitespace: true, message: t('meetingRegs.form.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="meeting-reason" />
        </Form.Item>
      )}
    </FormModal>
  );
}
