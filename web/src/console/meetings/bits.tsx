import { useState } from 'react';
import { App, Button, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { approveRegistration, cancelRegistration, refuseRegistration, type MeetingBreach, type MeetingRegistration, type MeetingStatus } from '../../api/meetings';
import { useReportError } from '../../components/apiErrors';
import { clockOf } from '../duty/time';
import { useTimeZone } from '../directives/bits';

const STATUS_COLOURS: Record<MeetingStatus, string> = { registered: 'blue', pending: 'gold', approved: 'green', refused: 'red', cancelled: 'default' };

export function MeetingStatusTag({ status }: { status: MeetingStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOURS[status]}>{t(`meetingRegs.statuses.${status}`)}</Tag>;
}

/** One breach in words: "人数 60 超过上限 50（集团 的措施）". */
export function breachText(t: TFunction, b: MeetingBreach): string {
  if (b.kind === 'unventilated') return t('meetingRegs.breach.unventilated');
  const from = b.fromUnitName ? t('meetingRegs.breach.fromUnit', { unit: b.fromUnitName }) : t('meetingRegs.breach.fromDefault');
  return t(`meetingRegs.breach.${b.kind}`, { value: b.value, limit: b.limit, from });
}

/** The breaches of a meeting, one red tag each (the full sentence in the tooltip-free text of the tag). */
export function BreachTags({ breaches }: { breaches: readonly MeetingBreach[] }) {
  const { t } = useTranslation();
  if (breaches.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {breaches.map((b) => (
        <Tag key={b.kind} color="red" data-testid={`breach-${b.kind}`}>
          {breachText(t, b)}
        </Tag>
      ))}
    </Space>
  );
}

/** "09:00–10:30" of a meeting in the deployment's zone. */
export function useMeetingClock(): (m: Pick<MeetingRegistration, 'startAt' | 'endAt'>) => string {
  const timeZone = useTimeZone();
  return (m) => `${clockOf(m.startAt, timeZone)}–${clockOf(m.endAt, timeZone)}`;
}

type Act = 'approve' | 'refuse' | 'cancel';

/** Approve, refuse (a note says why) or cancel one meeting; the buttons its abilities allow. */
export function MeetingActions({ meeting, onDone }: { meeting: MeetingRegistration; onDone(): void }) {
  const { t } = useTranslation();
  const [act, setAct] = useState<Act | null>(null);
  const a = meeting.abilities;
  if (!a.decide && !a.cancel) return null;
  return (
    <>
      <Space size={0}>
        {a.decide && (
          <Button size="small" type="link" onClick={() => setAct('approve')} data-testid={`meeting-approve-${meeting.id}`}>
            {t('meetingRegs.approve')}
          </Button>
        )}
        {a.decide && (
          <Button size="small" type="link" danger onClick={() => setAct('refuse')} data-testid={`meeting-refuse-${meeting.id}`}>
            {t('meetingRegs.refuse')}
          </Button>
        )}
        {a.cancel && (
          <Button size="small" type="link" danger onClick={() => setAct('cancel')} data-testid={`meeting-cancel-${meeting.id}`}>
            {t('meetingRegs.cancel')}
          </Button>
        )}
      </Space>
      {act && <DecisionModal meeting={meeting} act={act} onClose={() => setAct(null)} onDone={onDone} />}
    </>
  );
}

/** The note of a decision: required to refuse, optional otherwise. */
function DecisionModal({ meeting, act, onClose, onDone }: { meeting: MeetingRegistration; act: Act; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<{ note?: string }>();
  const [busy, setBusy] = useState(false);
  const run = async ({ note }: { note?: string }) => {
    const text = note?.trim() || undefined;
    setBusy(true);
    try {
      if (act === 'approve') await approveRegistration(meeting.id, text);
      else if (act === 'refuse') await refuseRegistration(meeting.id, text ?? '');
      else await cancelRegistration(meeting.id, text);
      void message.success(t(`meetingRegs.done.${act}`));
      onDone();
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: ['note'] });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t(`meetingRegs.actTitle.${act}`, { title: meeting.title })}
      onCancel={onClose}
      okText={t(`meetingRegs.${act}`)}
      okButtonProps={{ danger: act !== 'approve', loading: busy, 'data-testid': 'meeting-decision-ok' }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {meeting.breaches.length > 0 && (
        <div style={{ marginBottom: 12 }}>
          <BreachTags breaches={meeting.breaches} />
          {meeting.reason && <Typography.Paragraph style={{ marginTop: 8 }}>{t('meetingRegs.reasonLine', { reason: meeting.reason })}</Typography.Paragraph>}
        </div>
      )}
      <Form form={form} layout="vertical" onFinish={run} preserve={false}>
        <Form.Item name="note" label={t('meetingRegs.note')} rules={act === 'refuse' ? [{ required: true, whitespace: true, message: t('meetingRegs.refuseNoteRequired') }] : []}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="meeting-decision-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
