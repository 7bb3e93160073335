import { useState } from 'react';
import { Alert, Button, DatePicker, Flex, Form, Input, Select, Timeline, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CARE_ACTION_KINDS as ACTION_KINDS, addAction, getCase, type CareActionKind as ActionKind, type CareAction, type CareCaseDetail as CaseDetail } from '../../api/care';
import { ApiError } from '../../api/client';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { emptyToNull } from '../../components/zodRule';
import { instantOf, wallClockOf } from '../directives/assign';
import { useTimeZone } from '../directives/bits';
import { ActionKindTag } from './bits';

interface Values {
  kind: ActionKind;
  at: Dayjs;
  note?: string;
}

/**
 * Record a contact: what was done, when, and a note; a counselling note is encrypted and only its
 * writer and the person read it. The time is typed as a wall-clock time in the deployment's zone,
 * like every other time in the console, whatever the browser's zone.
 */
export function ActionForm({ caseId, onAdded }: { caseId: number; onAdded(d: CaseDetail): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const timeZone = useTimeZone();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const [busy, setBusy] = useState(false);

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const answer = await addAction(caseId, { kind: v.kind, at: instantOf(v.at, timeZone), note: emptyToNull(v.note) ?? undefined });
      // The create's answer is kept for Idempotency-Key replays, so it never carries a counselling note in
      // clear; its writer reads it back from the case itself.
      onAdded(v.kind === 'counselling' ? await getCase(caseId) : answer);
      form.resetFields();
      form.setFieldValue('at', wallClockOf(Date.now(), timeZone));
    } catch (e) {
      report(e, e instanceof ApiError ? { instance: form, fields: ['kind', 'at', 'note'] } : undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ at: wallClockOf(Date.now(), timeZone) }} requiredMark={false} style={{ marginBottom: 16 }} data-testid="care-action-form">
      <Flex gap={8} wrap>
        <Form.Item name="kind" label={t('care.actions.kind')} rules={[{ required: true, message: t('care.actions.kindRequired') }]} style={{ width: 140, marginBottom: 8 }}>
          <Select<ActionKind> options={ACTION_KINDS.map((k) => ({ value: k, label: t(`care.actionKinds.${k}`) }))} data-testid="care-action-kind" />
        </Form.Item>
        <Form.Item
          name="at"
          label={t('care.actions.at')}
          rules={[
            { required: true, message: t('common.required') },
            { validator: async (_r, v: Dayjs | undefined) => { if (v && instantOf(v, timeZone) > Date.now() + 60_000) throw new Error(t('care.actions.future')); } },
          ]}
          style={{ marginBottom: 8 }}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowClear={false} data-testid="care-action-at" />
        </Form.Item>
      </Flex>
      <Form.Item name="note" label={t('care.actions.note')} style={{ marginBottom: 8 }} rules={kind === 'counselling' ? [{ required: true, message: t('care.actions.counsellingNeedsNote') }] : undefined}>
        <Input.TextArea rows={2} maxLength={2000} data-testid="care-action-note" />
      </Form.Item>
      {kind === 'counselling' && <Alert type="info" showIcon icon={<LockOutlined />} message={t('care.actions.encryptedHint')} style={{ marginBottom: 8 }} data-testid="care-action-encrypted-hint" />}
      <Button type="primary" htmlType="submit" loading={busy} data-testid="care-action-submit">
        {t('care.actions.add')}
      </Button>
    </Form>
  );
}

/** Every contact, newest first; a counselling note someone else wrote shows only that the session took place. */
export function ActionsTimeline({ actions }: { actions: CareAction[] }) {
  const { t } = useTranslation();
  const format = useFormatTime();
  const sorted = [...actions].sort((a, b) => b.at - a.at);
  return (
    <Timeline
      items={sorted.map((a) => ({
        key: a.id,
        children: (
          <div data-testid={`care-action-${a.id}`} data-kind={a.kind}>
            <Flex gap={8} align="center" wrap>
              <ActionKindTag kind={a.kind} />
              <Typography.Text type="secondary">{`${format(a.at)} · ${a.userName ?? t('care.actions.unknownUser')}`}</Typography.Text>
            </Flex>
            {a.kind === 'counselling' ? (
              a.noteHidden ? (
                <Typography.Text type="secondary" italic data-testid={`care-action-hidden-${a.id}`}>
                  <LockOutlined /> {t('care.actions.hiddenNote')}
                </Typography.Text>
              ) : (
                <div>
                  <LockOutlined title={t('care.actions.encrypted')} /> <span data-testid={`care-action-note-${a.id}`}>{a.note}</span>
                </div>
              )
            ) : (
              a.note && <div data-testid={`care-action-note-${a.id}`}>{a.note}</div>
            )}
          </div>
        ),
      }))}
    />
  );
}
