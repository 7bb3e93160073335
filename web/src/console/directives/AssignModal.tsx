import { App, Form } from 'antd';
import { useTranslation } from 'react-i18next';
import { assignDecision, assignTasks, splitTask, type TaskAssignResultT } from '../../api/directives';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { AssignFields, ASSIGN_FIELDS, assignBody, splitBody, wallClockOf, type AssignValues } from './AssignFields';
import { useFormatShort, useTimeZone } from './bits';

/** What the modal sends: more tasks of a directive, a meeting decision's tasks, or a received task split down. */
export type AssignTarget =
  | { kind: 'directive'; directiveId: number; title: string }
  | { kind: 'decision'; meetingId: number; decisionId: number; title: string }
  | { kind: 'split'; taskId: number; title: string; unitId: number; deadline: number };

/** Send tasks to one unit or many, or split a task to the units below its own. */
export function AssignModal({ target, onClose, onDone }: { target: AssignTarget | null; onClose(): void; onDone(r: TaskAssignResultT): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const timeZone = useTimeZone();
  const formatShort = useFormatShort();
  const [form] = Form.useForm<AssignValues>();
  const split = target?.kind === 'split';

  const submit = async (v: AssignValues) => {
    if (!target) return;
    try {
      const r =
        target.kind === 'directive'
          ? await assignTasks(target.directiveId, assignBody(v, timeZone))
          : target.kind === 'decision'
            ? await assignDecision(target.meetingId, target.decisionId, assignBody(v, timeZone))
            : await splitTask(target.taskId, splitBody(v, timeZone));
      void message.success(t(split ? 'directives.assign.splitDone' : 'directives.assign.sent', { n: r.created }));
      onDone(r);
    } catch (e) {
      report(e, { instance: form, fields: ASSIGN_FIELDS });
      throw e;
    }
  };

  return (
    <FormModal<AssignValues>
      title={t(split ? 'directives.assign.splitTitle' : 'directives.assign.modalTitle', { title: target?.title ?? '' })}
      open={target !== null}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={split ? { mode: 'units', deadline: wallClockOf(target.deadline, timeZone) } : { mode: 'units', evidence: ['report'] }}
      submitText={t(split ? 'directives.assign.splitSubmit' : 'directives.assign.submit')}
      submitTestId="assign-submit"
      width={640}
    >
      <AssignFields
        form={form}
        rootId={split ? target.unitId : null}
        withTitle={target?.kind !== 'split'}
        deadlineHint={split ? t('directives.assign.splitDeadlineHint', { deadline: formatShort(target.deadline) }) : undefined}
      />
    </FormModal>
  );
}
