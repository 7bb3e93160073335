import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OverdueKind, Responsible } from '../../api/supervision';

const KIND_COLOURS: Record<OverdueKind, string> = { task: 'red', skipped_level: 'volcano', duty_gap: 'orange', uninspected_place: 'gold', uncontacted_care: 'purple' };

export function OverdueKindTag({ kind }: { kind: OverdueKind }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLOURS[kind]}>{t(`supervision.overdueKinds.${kind}`)}</Tag>;
}

/** The named people, or a red word that nobody is named (itself an empty post). */
export function ResponsibleList({ people }: { people: Responsible[] }) {
  const { t } = useTranslation();
  if (people.length === 0) return <Typography.Text type="danger">{t('supervision.nobody')}</Typography.Text>;
  return (
    <Space size={4} wrap>
      {people.map((p, i) => (
        <span key={`${p.personId ?? 'u'}-${p.userId ?? 'p'}-${i}`}>{p.name}</span>
      ))}
    </Space>
  );
}

/** How long overdue: days, or hours within the first day. */
export function Overdue({ since, now = Date.now() }: { since: number; now?: number }) {
  const { t } = useTranslation();
  const ms = Math.max(0, now - since);
  const days = Math.floor(ms / 86_400_000);
  const text = days >= 1 ? t('supervision.overdue.days', { n: days }) : t('supervision.overdue.hours', { n: Math.max(1, Math.round(ms / 3_600_000)) });
  return <Typography.Text type="danger">{text}</Typography.Text>;
}
