import { useState } from 'react';
import { App, Button, DatePicker, Form, Input, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { acknowledgeTask, completeTask, returnTask, updateTask, verifyTask, type TaskDetail } from '../../api/directives';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { PersonSelect } from '../../components/PersonSelect';
import { AssignModal, type AssignTarget } from './AssignModal';
import { instantOf, wallClockOf } from './AssignFields';
import { AttachmentUpload } from './AttachmentUpload';
import { useTimeZone } from './bits';

type Dialog = 'complete' | 'return' | 'verify' | 'update' | null;

/**
 * The buttons a task offers the user, as the server's abilities say: acknowledge, complete (report,
 * photos, files), split to own units, verify or return (for the unit that assigned it), change the
 * deadline or the responsible person. Each answer is the task as it now is.
 */
export function TaskActions({ task, onChanged }: { task: TaskDetail; onChanged(t: TaskDetail | null): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const timeZone = useTimeZone();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [splitting, setSplitting] = useState<AssignTarget | null>(null);
  const [busy, setBusy] = useState(false);
  const [completeForm] = Form.useForm<{ report?: string; photoIds?: number[]; fileIds?: number[] }>();
  const [returnForm] = Form.useForm<{ reason: string }>();
  const [verifyForm] = Form.useForm<{ note?: string }>();
  const [updateForm] = Form.useForm<{ deadline?: Dayjs | null; responsiblePersonId?: number }>();
  const a = task.abilities;
  const needs = (k: 'report' | 'photo' | 'file') => task.evidence.includes(k);

  const done = (next: TaskDetail, text: string) => {
    setDialog(null);
    void message.success(text);
    onChanged(next);
  };
  const acknowledge = async () => {
    setBusy(true);
    try {
      done(await acknowledgeTask(task.id), t('directives.task.acknowledged'));
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Space wrap>
        {a.acknowledge && (
          <Button type="primary" loading={busy} onClick={() => void acknowledge()} data-testid="task-acknowledge">
            {t('directives.task.acknowledge')}
          </Button>
        )}
        {a.complete && (
          <Button type="primary" onClick={() => setDialog('complete')} data-testid="task-complete">
            {t('directives.task.complete')}
          </Button>
        )}
        {a.split && (
          <Button onClick={() => setSplitting({ kind: 'split', taskId: task.id, title: task.title, unitId: task.unitId, deadline: task.deadline })} data-testid="task-split">
            {t('directives.task.split')}
          </Button>
        )}
        {a.verify && (
          <Button type="primary" onClick={() => setDialog('verify')} data-testid="task-verify">
            {t('directives.task.verify')}
          </Button>
        )}
        {a.return && (
          <Button danger onClick={() => setDialog('return')} data-testid="task-return">
            {t('directives.task.return')}
          </Button>
        )}
        {a.update && (
          <Button onClick={() => setDialog('update')} data-testid="task-update">
            {t('directives.task.update')}
          </Button>
        )}
      </Space>

      <FormModal
        title={t('directives.task.completeTitle', { title: task.title })}
        open={dialog === 'complete'}
        form={completeForm}
        onCancel={() => setDialog(null)}
        submitText={t('directives.task.complete')}
        submitTestId="task-complete-submit"
        width={600}
        onSubmit={async (v) => {
          try {
            done(await completeTask(task.id, { ...(v.report?.trim() ? { report: v.report.trim() } : {}), photoIds: v.photoIds ?? [], fileIds: v.fileIds ?? [] }), t('directives.task.completed'));
          } catch (e) {
            report(e, { instance: completeForm, fields: ['report', 'photoIds', 'fileIds'] });
            throw e;
          }
        }}
      >
        <Form.Item name="report" label={t('directives.evidence.report')} rules={[{ required: needs('report'), whitespace: true, message: t('directives.task.evidenceRequired') }, { max: 10000 }]}>
          <Input.TextArea rows={5} data-testid="task-report" />
        </Form.Item>
        <Form.Item name="photoIds" label={t('directives.evidence.photo')} rules={[{ required: needs('photo'), message: t('directives.task.evidenceRequired') }]}>
          <AttachmentUpload accept="image/*" testId="task-photos" label={t('directives.upload.photo')} />
        </Form.Item>
        <Form.Item name="fileIds" label={t('directives.evidence.file')} rules={[{ required: needs('file'), message: t('directives.task.evidenceRequired') }]}>
          <AttachmentUpload testId="task-files" />
        </Form.Item>
      </FormModal>

      <FormModal
        title={t('directives.task.returnTitle', { title: task.title })}
        open={dialog === 'return'}
        form={returnForm}
        onCancel={() => setDialog(null)}
        submitText={t('directives.task.return')}
        submitTestId="task-return-submit"
        danger
        onSubmit={async (v) => {
          try {
            done(await returnTask(task.id, v.reason.trim()), t('directives.task.returned'));
          } catch (e) {
            report(e, { instance: returnForm, fields: ['reason'] });
            throw e;
          }
        }}
      >
        <Form.Item name="reason" label={t('directives.task.reason')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 1000 }]}>
          <Input.TextArea rows={3} data-testid="task-return-reason" />
        </Form.Item>
      </FormModal>

      <FormModal
        title={t('directives.task.verifyTitle', { title: task.title })}
        open={dialog === 'verify'}
        form={verifyForm}
        onCancel={() => setDialog(null)}
        submitText={t('directives.task.verify')}
        submitTestId="task-verify-submit"
        onSubmit={async (v) => {
          try {
            done(await verifyTask(task.id, v.note?.trim() || undefined), t('directives.task.verified'));
          } catch (e) {
            report(e, { instance: verifyForm, fields: ['note'] });
            throw e;
          }
        }}
      >
        <Form.Item name="note" label={t('directives.task.note')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} data-testid="task-verify-note" />
        </Form.Item>
      </FormModal>

      <FormModal
        title={t('directives.task.updateTitle', { title: task.title })}
        open={dialog === 'update'}
        form={updateForm}
        onCancel={() => setDialog(null)}
        initialValues={{ deadline: wallClockOf(task.deadline, timeZone) }}
        submitTestId="task-update-submit"
        onSubmit={async (v) => {
          const deadline = v.deadline ? instantOf(v.deadline, timeZone) : undefined;
          try {
            done(
              await updateTask(task.id, {
                ...(deadline !== undefined && Math.abs(deadline - task.deadline) >= 60_000 ? { deadline } : {}),
                ...(v.responsiblePersonId && v.responsiblePersonId !== task.responsiblePersonId ? { responsiblePersonId: v.responsiblePersonId } : {}),
              }),
              t('directives.task.updated'),
            );
          } catch (e) {
            report(e, { instance: updateForm, fields: ['deadline', 'responsiblePersonId'] });
            throw e;
          }
        }}
      >
        <Form.Item name="deadline" label={t('directives.deadline')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 240 }} data-testid="task-update-deadline" />
        </Form.Item>
        <Form.Item name="responsiblePersonId" label={t('directives.task.responsible')} extra={t('directives.task.currently', { name: task.responsibleName })}>
          <PersonSelect unitId={task.unitId} data-testid="task-update-responsible" />
        </Form.Item>
      </FormModal>

      <AssignModal
        target={splitting}
        onClose={() => setSplitting(null)}
        onDone={() => {
          setSplitting(null);
          onChanged(null);
        }}
      />
    </>
  );
}
