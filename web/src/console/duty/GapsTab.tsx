import { useEffect, useState } from 'react';
import { Empty, Result, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { listGaps, type Gap, type GapList } from '../../api/duty';
import { useReportError } from '../../components/apiErrors';
import { useFormatShort } from '../directives/bits';

/** 缺岗预警: every hour of the coming 7 days without a leader on duty or an officer, in the unit's subtree. */
export function GapsTab({ unitId, onOpenUnit }: { unitId: number; onOpenUnit(unitId: number): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const format = useFormatShort();
  const [answer, setAnswer] = useState<GapList | null>(null);
  const gaps = answer?.items ?? null;

  useEffect(() => {
    let live = true;
    setAnswer(null);
    listGaps(unitId).then(
      (r) => live && setAnswer(r),
      (e) => {
        if (live) setAnswer({ from: 0, to: 0, units: 0, items: [] });
        report(e);
      },
    );
    return () => {
      live = false;
    };
  }, [unitId, report]);

  if (answer && answer.units === 0) return <Empty description={t('duty.gaps.noRosters')} data-testid="duty-gaps-no-rosters" />;
  if (gaps !== null && gaps.length === 0) return <Result status="success" title={t('duty.gaps.none')} data-testid="duty-gaps-none" />;
  const columns: TableColumnsType<Gap> = [
    {
      title: t('duty.gaps.unit'),
      dataIndex: 'unitName',
      render: (name: string, g) => (
        <Typography.Link onClick={() => onOpenUnit(g.unitId)} data-testid={`duty-gap-unit-${g.unitId}`}>
          {name}
        </Typography.Link>
      ),
    },
    { title: t('duty.gaps.missing'), dataIndex: 'role', width: 120, render: (r: Gap['role']) => <Tag color="red">{t(`duty.roles.${r}`)}</Tag> },
    { title: t('duty.gaps.from'), dataIndex: 'startsAt', width: 140, render: (ms: number) => format(ms) },
    { title: t('duty.gaps.to'), dataIndex: 'endsAt', width: 140, render: (ms: number) => format(ms) },
    { title: t('duty.gaps.hours'), key: 'hours', width: 100, align: 'right', render: (_, g) => t('duty.gaps.hoursN', { n: Math.round(((g.endsAt - g.startsAt) / 3_600_000) * 10) / 10 }) },
  ];
  return (
    <Table<Gap>
      rowKey={(g) => `${g.unitId}-${g.role}-${g.startsAt}`}
      size="small"
      loading={gaps === null}
      columns={columns}
      dataSource={gaps ?? []}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      locale={{ emptyText: <Empty /> }}
      data-testid="duty-gaps"
    />
  );
}
