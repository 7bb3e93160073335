import { Button, Empty, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { MEALS } from '../../../../common/schemas/dining.js';
import { archiveCanteen, type CanteenListItem } from '../../api/dining';
import { useConfirmAction } from '../../components/useConfirmAction';

/** 食堂: the canteens of the subtree, their seats, slot length, serving windows and diners. */
export function CanteensTab({ items, loading, onEdit, onOpen, onChanged }: { items: CanteenListItem[]; loading: boolean; onEdit(c: CanteenListItem): void; onOpen(c: CanteenListItem, tab: 'planner' | 'history'): void; onChanged(): void }) {
  const { t } = useTranslation();
  const confirm = useConfirmAction(onChanged);
  const columns: TableColumnsType<CanteenListItem> = [
    { title: t('canteens.name'), dataIndex: 'name', render: (n: string, c) => <Typography.Link onClick={() => onOpen(c, 'planner')} data-testid={`canteen-${c.id}`}>{n}</Typography.Link> },
    { title: t('canteens.unit'), dataIndex: 'unitName', ellipsis: true },
    { title: t('canteens.capacity'), dataIndex: 'capacity', width: 90, align: 'right' },
    { title: t('canteens.slotMinutes'), dataIndex: 'slotMinutes', width: 100, render: (m: number) => t('canteens.minutes', { n: m }) },
    {
      title: t('canteens.windows'),
      key: 'windows',
      render: (_, c) => (
        <Space size={[4, 4]} wrap>
          {MEALS.flatMap((m) => {
            const w = c.windows[m];
            return w ? [<Tag key={m}>{`${t(`canteens.meals.${m}`)} ${w.from}–${w.to}`}</Tag>] : [];
          })}
        </Space>
      ),
    },
    { title: t('canteens.diners'), key: 'diners', width: 160, render: (_, c) => t('canteens.dinersLine', { units: c.dinerUnits, people: c.headcount }) },
    { title: t('canteens.plan'), key: 'plan', width: 100, render: (_, c) => (c.currentPlanId ? <Tag color="green">{t('canteens.planInForce')}</Tag> : <Tag>{t('canteens.noPlan')}</Tag>) },
    {
      title: '',
      key: 'actions',
      width: 220,
      render: (_, c) => (
        <Space size={0}>
          <Button size="small" type="link" onClick={() => onOpen(c, 'history')} data-testid={`canteen-history-${c.id}`}>
            {t('canteens.history')}
          </Button>
          {c.abilities.write && (
            <Button size="small" type="link" onClick={() => onEdit(c)} data-testid={`canteen-edit-${c.id}`}>
              {t('common.edit')}
            </Button>
          )}
          {c.abilities.write && (
            <Button size="small" type="link" danger onClick={() => confirm(t('canteens.confirmArchive', { name: c.name }), true, () => archiveCanteen(c.id), t('canteens.archived'))} data-testid={`canteen-archive-${c.id}`}>
              {t('canteens.archive')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <Table<CanteenListItem>
      rowKey="id"
      size="middle"
      loading={loading}
      columns={columns}
      dataSource={items}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('canteens.empty')} /> }}
      data-testid="canteens-table"
    />
  );
}
