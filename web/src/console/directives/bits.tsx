import { Space, Tag, Tooltip, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { dayOf, endOfDay } from '../../../../common/day.js';
import { attachmentUrl } from '../../api/files';
import type { EvidenceKind, ProgressFigures, Task, TaskStatus } from '../../api/directives';
import { useSession } from '../../state/session';

/** The colours of a task's state, the same on every board: overdue red, done blue, verified green, in time neutral. */
export const STATE_COLOURS = { inTime: 'gold', overdue: 'red', done: 'blue', verified: 'green', late: 'volcano' } as const;

/** A task's status; an open task past its deadline says "overdue" instead. */
export function TaskStatusTag({ task }: { task: Pick<Task, 'status' | 'overdue'> & { late?: boolean | null } }) {
  const { t } = useTranslation();
  if (task.overdue) return <Tag color={STATE_COLOURS.overdue} data-testid="task-overdue">{t('directives.status.overdue')}</Tag>;
  const colour: Record<TaskStatus, string> = { assigned: 'default', acknowledged: 'gold', done: STATE_COLOURS.done, verified: STATE_COLOURS.verified };
  return (
    <Space size={2}>
      <Tag color={colour[task.status]}>{t(`directives.status.${task.status}`)}</Tag>
      {task.late && <Tag color={STATE_COLOURS.late}>{t('directives.status.late')}</Tag>}
    </Space>
  );
}

export function EvidenceTags({ kinds }: { kinds: readonly EvidenceKind[] }) {
  const { t } = useTranslation();
  return (
    <Space size={2} wrap>
      {kinds.map((k) => (
        <Tag key={k}>{t(`directives.evidence.${k}`)}</Tag>
      ))}
    </Space>
  );
}

/** Figures as coloured counts: what a glance at a board needs (in time / overdue / done / verified). */
export function FigureTags({ f, testId }: { f: ProgressFigures; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap data-testid={testId}>
      <Tag color={STATE_COLOURS.inTime}>{t('directives.figures.inTime', { n: f.inTime })}</Tag>
      <Tag color={f.overdue > 0 ? STATE_COLOURS.overdue : 'default'} data-testid={testId && `${testId}-overdue`}>
        {t('directives.figures.overdue', { n: f.overdue })}
      </Tag>
      <Tag color={STATE_COLOURS.done}>{t('directives.figures.done', { n: f.done })}</Tag>
      <Tag color={STATE_COLOURS.verified}>{t('directives.figures.verified', { n: f.verified })}</Tag>
      {f.late > 0 && <Tag color={STATE_COLOURS.late}>{t('directives.figures.late', { n: f.late })}</Tag>}
    </Space>
  );
}

/** Finished (done or verified) out of all: the single rate a directive's row shows. */
export function finishedRate(f: ProgressFigures): number {
  return f.total === 0 ? 0 : Math.round(((f.done + f.verified) / f.total) * 100);
}

/** Links to attachments by id (the download names the file); images shown small and inline. */
export function AttachmentLinks({ ids, images = false }: { ids: readonly number[]; images?: boolean }) {
  const { t } = useTranslation();
  if (ids.length === 0) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <Space wrap>
      {ids.map((id, i) =>
        images ? (
          <a key={id} href={attachmentUrl(id)} target="_blank" rel="noreferrer">
            <img src={attachmentUrl(id)} alt={t('directives.task.photoN', { n: i + 1 })} style={{ height: 96, borderRadius: 4, border: '1px solid #eee' }} data-testid={`task-photo-${id}`} />
          </a>
        ) : (
          <a key={id} href={attachmentUrl(id)} target="_blank" rel="noreferrer">
            <PaperClipOutlined /> {t('directives.attachmentN', { n: i + 1 })}
          </a>
        ),
      )}
    </Space>
  );
}

/** The deployment's time zone: deadlines are typed as wall-clock times there, not the browser's. */
export function useTimeZone(): string {
  return useSession().me?.organisation.timeZone ?? 'Asia/Shanghai';
}

/** The default deadline (落实不过夜): the last millisecond of today in the deployment's time zone. */
export function endOfToday(timeZone: string, now = Date.now()): number {
  return endOfDay(dayOf(now, timeZone), timeZone);
}

/** A deadline with a hint of how near it is. */
export function Deadline({ ms, overdue }: { ms: number; overdue?: boolean }) {
  const { t } = useTranslation();
  const format = useFormatShort();
  return (
    <Tooltip title={t('directives.deadline')}>
      <Typography.Text type={overdue ? 'danger' : undefined}>{format(ms)}</Typography.Text>
    </Tooltip>
  );
}

/** "MM-DD HH:mm" in the deployment's time zone: enough for a deadline in a table. */
export function useFormatShort(): (ms: number) => string {
  const timeZone = useTimeZone();
  const f = new Intl.DateTimeFormat('zh-CN', { timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  return (ms) => f.format(new Date(ms));
}
