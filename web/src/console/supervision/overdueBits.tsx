import type { ReactNode } from 'react';
import { Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OverdueItem, OverdueKind, Responsible } from '../../api/supervision';
import { useFormatTime } from '../../components/format';

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

/** An overdue item's key in a table: its kind and id. */
export const overdueKey = (r: { kind: string; id: number | string }) => `${r.kind}|${r.id}`;

/**
 * The columns every list of overdue items shows (逾期事项, and the picker that links more evidence
 * to a finding): kind, what (with `before` in front of it, if given), unit, who answers, since when.
 */
export function useOverdueColumns(before?: (i: OverdueItem) => ReactNode): TableColumnsType<OverdueItem> {
  const { t } = useTranslation();
  const time = useFormatTime();
  return [
    { title: t('supervision.overdue.kind'), key: 'kind', width: 150, render: (_, i) => <OverdueKindTag kind={i.kind} /> },
    {
      title: t('supervision.overdue.what'),
      key: 'title',
      ellipsis: true,
      render: (_, i) => (
        <>
          {before?.(i)}
          {i.title}
        </>
      ),
    },
    { title: t('supervision.unit'), dataIndex: 'unitName', width: 160, ellipsis: true },
    { title: t('supervision.responsible'), key: 'responsible', width: 200, render: (_, i) => <ResponsibleList people={i.responsible} /> },
    {
      title: t('supervision.overdue.since'),
      key: 'since',
      width: 230,
      render: (_, i) => (
        <Space size={4} wrap>
          <span>{i.until !== null ? `${time(i.since)} – ${time(i.until)}` : time(i.since)}</span>
          <Overdue since={i.since} />
        </Space>
      ),
    },
  ];
}

/**
 * The items picked after a change of a table's selection: antd hands back the rows of the current
 * page only for keys it has not seen, so the ones picked on other pages come from the old map.
 */
export function pickedAfter(old: Map<string, OverdueItem>, keys: React.Key[], rows: (OverdueItem | undefined)[]): Map<string, OverdueItem> {
  const next = new Map<string, OverdueItem>();
  for (const k of keys) {
    const key = String(k);
    const row = rows.find((r) => r && overdueKey(r.ref) === key) ?? old.get(key);
    if (row) next.set(key, row);
  }
  return next;
}
