import { Space, Tag, Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { PlanRunStep, PlanStep, PlanVersionState } from '../../api/plans';
import { STATE_COLOURS } from '../directives/bits';

/** 【演练】: the mark a drill carries wherever an incident or a run is listed or shown. */
export function DrillTag({ testId }: { testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color="purple" data-testid={testId ?? 'drill-tag'}>
      {t('plans.drillTag')}
    </Tag>
  );
}

/** "发生后 2 小时" / "发生后 1 小时 30 分钟" / "发生后 45 分钟": a step's deadline relative to the incident's time. */
export function relativeDeadline(t: TFunction, minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return t('plans.deadline.minutes', { m });
  if (m === 0) return t('plans.deadline.hours', { h });
  return t('plans.deadline.hoursMinutes', { h, m });
}

/** Who does a step: "第一责任人（事发单位）", "防控办（上 1 级）", or the named person. */
export function whoLabel(t: TFunction, s: Pick<PlanStep, 'role' | 'levelsUp'> & { personName?: string | null }): string {
  if (s.role === 'person') return s.personName ?? t('plans.roles.person');
  const at = s.levelsUp === 0 ? t('plans.levels.own') : t('plans.levels.up', { n: s.levelsUp });
  return `${t(`plans.roles.${s.role}`)}（${at}）`;
}

/** A run step as the incident page shows it: waiting (on another step), assigned, done, or overdue in red. */
export type ShownStepState = 'waiting' | 'assigned' | 'done' | 'overdue' | 'unassigned';

export function shownState(s: PlanRunStep): ShownStepState {
  if (s.state === 'waiting') return 'waiting';
  if (s.state === 'unassigned') return 'unassigned';
  if (s.state === 'done') return 'done';
  return s.task?.overdue ? 'overdue' : 'assigned';
}

const SHOWN_COLOURS: Record<ShownStepState, string> = { waiting: 'default', assigned: STATE_COLOURS.inTime, done: STATE_COLOURS.done, overdue: STATE_COLOURS.overdue, unassigned: 'volcano' };

export function StepStateTag({ step, testId }: { step: PlanRunStep; testId?: string }) {
  const { t } = useTranslation();
  const shown = shownState(step);
  return (
    <Space size={2} data-testid={testId} data-state={shown}>
      <Tag color={SHOWN_COLOURS[shown]}>{t(`plans.stepStates.${shown}`)}</Tag>
      {shown === 'done' && step.late && <Tag color={STATE_COLOURS.late}>{t('plans.runs.late')}</Tag>}
    </Space>
  );
}

const VERSION_COLOURS: Record<PlanVersionState, string> = { draft: 'gold', current: 'green', superseded: 'default' };

export function VersionStateTag({ state }: { state: PlanVersionState }) {
  const { t } = useTranslation();
  return <Tag color={VERSION_COLOURS[state]}>{t(`plans.versionStates.${state}`)}</Tag>;
}

/** The keys a step waits on, shown by their titles when the version has them. */
export function DependsOn({ keys, titles }: { keys: readonly string[]; titles: ReadonlyMap<string, string> }) {
  if (keys.length === 0) return <span>—</span>;
  return (
    <Space size={2} wrap>
      {keys.map((k) => (
        <Tooltip key={k} title={k}>
          <Tag>{titles.get(k) ?? k}</Tag>
        </Tooltip>
      ))}
    </Space>
  );
}
