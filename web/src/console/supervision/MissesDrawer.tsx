import { useEffect, useState } from 'react';
import { Drawer, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { listMisses, type ScorecardMetric, type ScorecardMiss, type ScorecardMissPage } from '../../api/supervision';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { serverPagination } from '../../components/serverPagination';
import { MissPeople } from './bits';

interface Props {
  unitId: number;
  unitName: string;
  metric: ScorecardMetric;
  from: string;
  to: string;
  onClose(): void;
}

/** The misses behind one metric of one unit's subtree: what was missed, when it fell due, and the named people who answer for it. */
export function MissesDrawer({ unitId, unitName, metric, from, to, onClose }: Props) {
  const { t } = useTranslation();
  const report = useReportError();
  const time = useFormatTime();
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<ScorecardMissPage | null>(null);

  useEffect(() => {
    let live = true;
    setData(null);
    listMisses({ unitId, metric, from, to, ...paging }).then((r) => live && setData(r), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [unitId, metric, from, to, paging, report]);

  const columns: TableColumnsType<ScorecardMiss> = [
    { title: t('supervision.unit'), dataIndex: 'unitName', width: 140, ellipsis: true },
    {
      title: t('supervision.misses.what'),
      key: 'what',
      render: (_, m) => {
        const text =
          m.entity === 'checkins'
            ? t('supervision.misses.checkins', { missing: m.missing ?? 0, late: m.late ?? 0 })
            : (m.title ?? t(`supervision.entities.${m.entity}`));
        return m.link ? <Link to={m.link}>{text}</Link> : text;
      },
    },
    {
      title: t('supervision.misses.due'),
      key: 'due',
      width: 170,
      render: (_, m) => (m.endsAt !== null ? `${time(m.dueAt)} – ${time(m.endsAt)}` : time(m.dueAt)),
    },
    {
      title: t('supervision.misses.met'),
      key: 'met',
      width: 150,
      render: (_, m) =>
        m.entity === 'checkins' ? (
          '—'
        ) : m.metAt === null ? (
          <Typography.Text type="danger">{t('supervision.misses.notMet')}</Typography.Text>
        ) : (
          <Typography.Text type="warning">{time(m.metAt)}</Typography.Text>
        ),
    },
    { title: t('supervision.misses.people'), key: 'people', width: 220, render: (_, m) => <MissPeople people={m.people} /> },
  ];

  return (
    <Drawer
      open
      width={960}
      onClose={onClose}
      title={t('supervision.misses.title', { unit: unitName, metric: t(`supervision.metrics.${metric}`) })}
      data-testid="misses-drawer"
    >
      <Typography.Paragraph type="secondary">{t('supervision.misses.period', { from, to })}</Typography.Paragraph>
      <Table<ScorecardMiss>
        rowKey={(m) => `${m.entity}-${m.entityId ?? m.unitId}-${m.dueAt ?? ''}`}
        size="small"
        loading={data === null}
        columns={columns}
        dataSource={data?.items ?? []}
        pagination={serverPagination(paging, setPaging, data?.total ?? 0, t)}
        onRow={(m) => ({ 'data-testid': `miss-row-${m.entity}-${m.entityId ?? m.unitId}` }) as React.HTMLAttributes<HTMLElement>}
      />
    </Drawer>
  );
}
