import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Empty, Flex, Select, Tabs, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { getCanteen, listCanteens, type Canteen, type CanteenListItem } from '../../api/dining';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { UnitPicker } from '../../components/UnitPicker';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { CanteenModal } from './CanteenModal';
import { CanteensTab } from './CanteensTab';
import { HistoryTab } from './HistoryTab';
import { PlannerTab } from './PlannerTab';

const TABS = ['canteens', 'planner', 'history'] as const;
type TabKey = (typeof TABS)[number];

/** 错峰就餐: the canteens of a subtree; for one canteen the planner's slot grid and the plans' history. */
export default function DiningPage() {
  const { t } = useTranslation();
  const me = useMe();
  const report = useReportError();
  const { unitId, unit, setUnitId } = useScope();
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab') as TabKey | null;
  const tab: TabKey = asked && TABS.includes(asked) ? asked : 'canteens';
  const canteenId = Number(params.get('canteen')) || null;
  const [items, setItems] = useState<CanteenListItem[] | null>(null);
  const [editing, setEditing] = useState<Canteen | 'new' | null>(null);
  const [tick, setTick] = useState(0);
  const changed = useCallback(() => setTick((n) => n + 1), []);
  const canWrite = me.permissions.includes('places.write');

  useEffect(() => {
    if (unitId === null) return;
    let live = true;
    listCanteens(unitId).then(
      (r) => live && setItems(r.items),
      (e) => {
        if (live) setItems([]);
        report(e);
      },
    );
    return () => {
      live = false;
    };
  }, [unitId, tick, report]);

  const go = (next: { tab?: TabKey; canteen?: number | null }) => {
    const q = new URLSearchParams(params);
    const k = next.tab ?? tab;
    if (k === 'canteens') q.delete('tab');
    else q.set('tab', k);
    if (next.canteen !== undefined) {
      if (next.canteen === null) q.delete('canteen');
      else q.set('canteen', String(next.canteen));
    }
    setParams(q, { replace: true });
  };
  // The list omits the diners; the form needs them.
  const edit = async (c: CanteenListItem) => {
    try {
      setEditing(await getCanteen(c.id));
    } catch (e) {
      report(e);
    }
  };

  const canteen = items?.find((c) => c.id === canteenId) ?? (items?.length === 1 ? items[0] : undefined);
  const picker = (
    <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
      <Typography.Text>{t('canteens.canteen')}</Typography.Text>
      <Select
        style={{ width: 280 }}
        value={canteen?.id}
        placeholder={t('canteens.pick')}
        options={(items ?? []).map((c) => ({ value: c.id, label: `${c.name} · ${c.unitName}` }))}
        onChange={(id: number) => go({ canteen: id })}
        data-testid="dining-canteen"
      />
    </Flex>
  );
  const body = (key: TabKey) => {
    if (unitId === null) return <Empty description={t('meetingRegs.pickUnit')} />;
    if (key === 'canteens') return <CanteensTab items={items ?? []} loading={items === null} onEdit={(c) => void edit(c)} onOpen={(c, k) => go({ tab: k, canteen: c.id })} onChanged={changed} />;
    return (
      <>
        {picker}
        {!canteen ? <Empty description={t('canteens.pick')} /> : key === 'planner' ? <PlannerTab key={canteen.id} canteen={canteen} onChanged={changed} /> : <HistoryTab canteen={canteen} tick={tick} />}
      </>
    );
  };

  return (
    <div data-testid="dining-page">
      <PageHeader
        title={t('canteens.title')}
        subtitle={unit ? t('canteens.subtitle', { unit: unit.name }) : undefined}
        extra={
          <>
            <UnitPicker value={unitId} onChange={(id) => id && setUnitId(id)} style={{ width: 260 }} data-testid="dining-unit" />
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="canteen-new">
                {t('canteens.new')}
              </Button>
            )}
          </>
        }
      />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => go({ tab: k as TabKey })}
          destroyOnHidden
          items={TABS.map((k) => ({ key: k, label: <span data-testid={`dining-tab-${k}`}>{t(`canteens.tabs.${k}`)}</span>, children: body(k) }))}
        />
      </Card>
      {editing !== null && <CanteenModal canteen={editing === 'new' ? null : editing} unitId={unitId} onClose={() => setEditing(null)} onDone={changed} />}
    </div>
  );
}
