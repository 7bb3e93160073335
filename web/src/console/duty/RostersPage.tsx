import { useCallback, useEffect, useState } from 'react';
import { Badge, Card, Empty, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { listSwaps } from '../../api/duty';
import { PageHeader } from '../../components/PageHeader';
import { UnitPicker } from '../../components/UnitPicker';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { GapsTab } from './GapsTab';
import { LogTab } from './LogTab';
import { MonthTab } from './MonthTab';
import { NowTab } from './NowTab';
import { SwapsTab } from './SwapsTab';
import { useTabParam } from '../../components/useTabParam';

const TABS = ['month', 'swaps', 'gaps', 'now', 'log'] as const;
type TabKey = (typeof TABS)[number];

/** 值班表: a unit's duty roster — the month, swaps to approve, the coming week's gaps below it, who is on duty now, the duty log. */
export default function RostersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { unitId, unit, setUnitId } = useScope();
  const [tab, setTab] = useTabParam(TABS);
  const [tick, setTick] = useState(0);
  const changed = useCallback(() => setTick((n) => n + 1), []);
  // The server decides per unit; the menu's union of grants only says whether to offer the buttons.
  const canWrite = me.permissions.includes('duty.write');
  // Swaps both people agreed, waiting for a decision in the subtree: counted on the tab.
  const [pending, setPending] = useState(0);
  useEffect(() => {
    if (unitId === null) return;
    let live = true;
    listSwaps(unitId, 'accepted').then(
      (r) => live && setPending(r.items.length),
      () => live && setPending(0),
    );
    return () => {
      live = false;
    };
  }, [unitId, tick, tab]);

  const body = (key: TabKey) => {
    if (unitId === null) return <Empty description={t('duty.rosters.pickUnit')} />;
    switch (key) {
      case 'month':
        return <MonthTab unitId={unitId} canWrite={canWrite} tick={tick} onChanged={changed} onOpenUnit={setUnitId} />;
      case 'swaps':
        return <SwapsTab unitId={unitId} onChanged={changed} />;
      case 'gaps':
        return <GapsTab unitId={unitId} onOpenUnit={(id) => (setUnitId(id), setTab('month'))} />;
      case 'now':
        return <NowTab unitId={unitId} />;
      case 'log':
        return <LogTab unitId={unitId} />;
    }
  };

  return (
    <div data-testid="duty-rosters">
      <PageHeader
        title={t('duty.rosters.title')}
        subtitle={unit ? t('duty.rosters.subtitle', { unit: unit.name }) : undefined}
        extra={<UnitPicker value={unitId} onChange={(id) => id && setUnitId(id)} style={{ width: 260 }} data-testid="duty-unit" />}
      />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          destroyOnHidden
          items={TABS.map((k) => ({
            key: k,
            label: (
              <span data-testid={`duty-tab-${k}`}>
                {t(`duty.rosters.tabs.${k}`)}
                {k === 'swaps' && pending > 0 && <Badge count={pending} size="small" style={{ marginInlineStart: 6 }} data-testid="duty-swaps-pending" />}
              </span>
            ),
            children: body(k),
          }))}
        />
      </Card>
    </div>
  );
}
