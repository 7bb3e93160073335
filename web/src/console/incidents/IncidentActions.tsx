import { useState } from 'react';
import { App, Button, Form, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { acknowledgeIncident, closeIncident, instructIncident, recordIncidentAction, resolveIncident, type IncidentDetail } from '../../api/incidents';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';

type Dialog = 'acknowledge' | 'instruct' | 'act' | 'resolve' | 'close' | null;

interface TextDialog {
  key: Exclude<Dialog, null>;
  title: string;
  field: string;
  label: string;
  required: boolean;
  max: number;
  submit: string;
  done: string;
  send(text: string | undefined): Promise<IncidentDetail>;
}

/**
 * The buttons an incident offers the user, as the server's abilities say: acknowledge (with notes,
 * passed up), send an instruction down, record an action, resolve, close (with a review when the
 * severity asks for one). Each opens a small form; the answer is the incident as it now is, and a
 * refusal says why beside the field it concerns (a conflict, the incident moved on meanwhile, also
 * reloads it).
 */
export function IncidentActions({ incident, onChanged, onStale }: { incident: IncidentDetail; onChanged(x: IncidentDetail): void; onStale(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm<Record<string, string | undefined>>();
  const a = incident.abilities;
  const waiting = incident.levels.find((l) => l.state === 'waiting' && l.actorActs);

  const dialogs: TextDialog[] = [
    {
      key: 'acknowledge',
      title: waiting?.isTop ? t('incidents.act.acknowledgeTop') : t('incidents.act.acknowledgeTitle'),
      field: 'note',
      label: t('incidents.act.note'),
      required: false,
      max: 2000,
      submit: t('incidents.act.acknowledge'),
      done: t('incidents.act.acknowledged'),
      send: (note) => acknowledgeIncident(incident.id, note),
    },
    {
      key: 'instruct',
      title: t('incidents.act.instructTitle'),
      field: 'text',
      label: t('incidents.act.instruction'),
      required: true,
      max: 2000,
      submit: t('incidents.act.instruct'),
      done: t('incidents.act.instructed'),
      send: (text) => instructIncident(incident.id, { text: text ?? '' }),
    },
    {
      key: 'act',
      title: t('incidents.act.action'),
      field: 'text',
      label: t('incidents.act.actionText'),
      required: true,
      max: 2000,
      submit: t('common.save'),
      done: t('incidents.act.actionRecorded'),
      send: (text) => recordIncidentAction(incident.id, { text: text ?? '' }),
    },
    {
      key: 'resolve',
      title: t('incidents.act.resolve'),
      field: 'resolution',
      label: t('incidents.act.resolution'),
      required: true,
      max: 5000,
      submit: t('incidents.act.resolve'),
      done: t('incidents.act.resolved'),
      send: (resolution) => resolveIncident(incident.id, { resolution: resolution ?? '' }),
    },
    {
      key: 'close',
      title: t('incidents.act.closeTitle'),
      field: 'review',
      label: t('incidents.act.review'),
      required: incident.reviewRequired,
      max: 2000,
      submit: t('incidents.act.close'),
      done: t('incidents.act.closed'),
      send: (review) => closeIncident(incident.id, review ? { review } : {}),
    },
  ];
  const open = dialogs.find((d) => d.key === dialog) ?? null;

  const button = (key: Exclude<Dialog, null>, label: string, primary = false) => (
    <Button type={primary ? 'primary' : 'default'} onClick={() => setDialog(key)} data-testid={`incident-${key}`}>
      {label}
    </Button>
  );

  return (
    <>
      <Space wrap>
        {a.acknowledge && button('acknowledge', t('incidents.act.acknowledge'), true)}
        {a.instruct && button('instruct', t('incidents.act.instruct'))}
        {a.act && button('act', t('incidents.act.action'))}
        {a.resolve && button('resolve', t('incidents.act.resolve'), true)}
        {a.close && button('close', t('incidents.act.close'), true)}
      </Space>
      {open && (
        <FormModal
          title={open.title}
          open
          form={form}
          onCancel={() => setDialog(null)}
          submitText={open.submit}
          submitTestId={`incident-${open.key}-submit`}
          onSubmit={async (v) => {
            const text = v[open.field]?.trim() || undefined;
            try {
              const next = await open.send(text);
              setDialog(null);
              void message.success(open.done);
              onChanged(next);
            } catch (e) {
              report(e, { instance: form, fields: [open.field] });
              // Someone (another officer, the skip job) moved it on meanwhile: show it as it now is.
              if (e instanceof ApiError && e.status === 409) {
                setDialog(null);
                onStale();
                return;
              }
              throw e;
            }
          }}
        >
          <Form.Item
            name={open.field}
            label={open.label}
            extra={open.key === 'close' && incident.reviewRequired ? t('incidents.act.reviewRequired') : undefined}
            rules={[{ required: open.required, whitespace: true, message: t('common.required') }, { max: open.max }]}
          >
            <Input.TextArea rows={4} autoFocus data-testid={`incident-${open.key}-text`} />
          </Form.Item>
        </FormModal>
      )}
    </>
  );
}
