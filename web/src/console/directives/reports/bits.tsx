import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AnswerValue, ReportField, SubmissionState } from '../../../../../common/schemas/reports.js';
import type { ReportRequest } from '../../../api/reports';
import { useFormatTime } from '../../../components/format';

const STATE_COLORS: Record<SubmissionState, string> = { on_time: 'green', late: 'orange', pending: 'blue', missing: 'red' };

export function StateTag({ state }: { state: SubmissionState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid={`report-state-${state}`}>
      {t(`reports.states.${state}`)}
    </Tag>
  );
}

export function RequestStatusTag({ status }: { status: ReportRequest['status'] }) {
  const { t } = useTranslation();
  return <Tag color={status === 'open' ? 'green' : 'default'}>{t(`reports.status.${status}`)}</Tag>;
}

/** "Once, due …", "Daily by 16:00" or "Daily by 16:00, until 2026-12-31". */
export function useScheduleText() {
  const { t } = useTranslation();
  const time = useFormatTime();
  return (s: ReportRequest['schedule']) =>
    s.kind === 'once' ? t('reports.list.once', { deadline: time(s.deadline) }) : s.until ? t('reports.list.dailyUntil', { time: s.dueAt, until: s.until }) : t('reports.list.daily', { time: s.dueAt });
}

/** An answer as the round table shows it. */
export function useAnswerText() {
  const { t } = useTranslation();
  return (f: ReportField, v: AnswerValue | undefined) => {
    if (v === undefined || v === null) return '';
    if (f.type === 'yes_no') return v ? t('reports.yes') : t('reports.no');
    return String(v);
  };
}
