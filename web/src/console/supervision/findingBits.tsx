import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FindingDecisionKind, SupervisionFinding, SupervisionFindingStatus } from '../../api/supervision';

const DECISION_COLOURS: Record<FindingDecisionKind, string> = { talk: 'blue', notice: 'orange', accountability: 'red', no_action: 'default' };

export function FindingStatusTag({ status }: { status: SupervisionFindingStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={status === 'open' ? 'red' : 'green'} data-testid="sfinding-status" data-status={status}>
      {t(`supervision.findingStatus.${status}`)}
    </Tag>
  );
}

export function DecisionTag({ decision }: { decision: FindingDecisionKind | null }) {
  const { t } = useTranslation();
  if (decision === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tag color={DECISION_COLOURS[decision]} data-testid="sfinding-decision" data-decision={decision}>
      {t(`supervision.decisions.${decision}`)}
    </Tag>
  );
}

/** What a finding is about: a unit, or a person (and their unit). */
export function SubjectText({ finding: f }: { finding: SupervisionFinding }) {
  const { t } = useTranslation();
  return f.subjectKind === 'person' ? (
    <span>
      {f.personName ?? '—'} <Typography.Text type="secondary">· {f.unitName}</Typography.Text>
    </span>
  ) : (
    <span>
      {f.unitName} <Typography.Text type="secondary">({t('supervision.subjects.unit')})</Typography.Text>
    </span>
  );
}
