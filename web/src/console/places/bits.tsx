import { useMemo } from 'react';
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FindingStatus, ItemResult, PlaceKind, RiskLevel } from '../../api/places';
import { useTimeZone } from '../directives/bits';

const RISK_COLOURS: Record<RiskLevel, string> = { high: 'red', medium: 'orange', low: 'default' };
const RESULT_COLOURS: Record<ItemResult, string> = { passed: 'green', failed: 'red', not_applicable: 'default' };
/** Open red (nothing done yet), fixed blue (awaiting the re-inspection, as a done task), verified green: the tasks' colours. */
const FINDING_COLOURS: Record<FindingStatus, string> = { open: 'red', fixed: 'blue', verified: 'green' };

export function KindTag({ kind }: { kind: PlaceKind }) {
  const { t } = useTranslation();
  return <Tag>{t(`places.kinds.${kind}`)}</Tag>;
}

export function RiskTag({ risk }: { risk: RiskLevel }) {
  const { t } = useTranslation();
  return <Tag color={RISK_COLOURS[risk]}>{t(`places.risks.${risk}`)}</Tag>;
}

export function ResultTag({ result, testId }: { result: ItemResult; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={RESULT_COLOURS[result]} data-testid={testId} data-result={result}>
      {t(`places.results.${result}`)}
    </Tag>
  );
}

export function FindingStatusTag({ status, testId }: { status: FindingStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={FINDING_COLOURS[status]} data-testid={testId} data-status={status}>
      {t(`places.findingStatus.${status}`)}
    </Tag>
  );
}

/** "YYYY-MM-DD" in the deployment's time zone: the day an inspection is next due. */
export function useFormatDay(): (ms: number) => string {
  const timeZone = useTimeZone();
  return useMemo(() => {
    const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    return (ms: number) => f.format(new Date(ms));
  }, [timeZone]);
}

/** The day the next inspection is due: amber on that day, red once it has passed. */
export function NextDue({ at, due }: { at: number | null; due: boolean }) {
  const { t } = useTranslation();
  const day = useFormatDay();
  if (at === null) return <Typography.Text type="secondary">—</Typography.Text>;
  // `at` is the start of the due day: during that day the place is due, after it overdue.
  const overdue = due && Date.now() - at >= 86_400_000;
  return (
    <Typography.Text type={overdue ? 'danger' : due ? 'warning' : undefined}>
      {day(at)}
      {overdue ? ` · ${t('places.list.overdue')}` : due ? ` · ${t('places.list.dueToday')}` : ''}
    </Typography.Text>
  );
}
