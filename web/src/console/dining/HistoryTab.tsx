import { useEffect, useState } from 'react';
import { Drawer, Empty, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { getPlan, listPlans, type CanteenListItem, type Plan, type PlanSummary } from '../../api/dining';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { PlanGrid } from './PlanGrid';
import { PlanFacts, PlanStatusTag } from './PlannerTab';

/** 排餐记录: every plan of the canteen, newest first, each opening on its slot grid. */
export function HistoryTab({ canteen, tick }: { canteen: CanteenListItem; tick: number }) {
  const { t } = useTranslation();
  const report = useReportError();
  const formatTime = useFormatTime();
  const [items, setItems] = useState<PlanSummary[] | null>(null);
  const [open, setOpen] = useState<Plan | null>(null);

  useEffect(() => {
    let live = true;
    setItems(null);
    listPlans(canteen.id).then(
      (r) => live && setItems(r.items),
      (e) => {
        if (live) setItems([]);
        report(e);
      },
    );
    return () => {
      live = false;
    };
  }, [canteen.id, tick, report]);

  const show = async (id: number) => {
    try {
      setOpen(await getPlan(canteen.id, id));
    } catch (e) {
      report(e);
    }
  };
  const columns: TableColumnsType<PlanSummary> = [
    { title: t('planner.day'), dataIndex: 'day', width: 120, render: (d: string, p) => <Typography.Link onClick={() => void show(p.id)} data-testid={`plan-row-${p.id}`}>{d}</Typography.Link> },
    { title: t('planner.status'), dataIndex: 'status', width: 90, render: (s: PlanSummary['status']) => <PlanStatusTag status={s} /> },
    { title: t('planner.inForce'), key: 'force', width: 220, render: (_, p) => (p.fromDay ? `${p.fromDay} ~ ${p.untilDay ?? ''}` : '—') },
    { title: t('planner.placed'), dataIndex: 'placedUnits', width: 80, align: 'right' },
    { title: t('planner.unplacedUnits'), dataIndex: 'unplacedUnits', width: 90, align: 'right', render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : 0) },
    { title: t('planner.people'), dataIndex: 'people', width: 90, align: 'right' },
    { title: t('planner.createdBy'), key: 'created', render: (_, p) => `${p.createdByName ?? t('planner.system')} · ${formatTime(p.createdAt)}` },
    { title: t('planner.publishedBy'), key: 'published', render: (_, p) => (p.publishedAt ? `${p.publishedByName ?? ''} · ${formatTime(p.publishedAt)}` : '—') },
  ];
  return (
    <>
      <Table<PlanSummary>
        rowKey="id"
        size="small"
        loading={items === null}
        columns={columns}
        dataSource={items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('planner.noHistory')} /> }}
        data-testid="plan-history"
      />
      <Drawer open={open !== null} width={960} title={open ? t('planner.planTitle', { canteen: open.canteenName, day: open.day }) : ''} onClose={() => setOpen(null)} destroyOnHidden data-testid="plan-drawer">
        {open && (
          <>
            <PlanFacts plan={open} />
            {open.note && <Typography.Paragraph type="secondary">{open.note}</Typography.Paragraph>}
            <PlanGrid plan={open} onChanged={setOpen} />
          </>
        )}
      </Drawer>
    </>
  );
}
