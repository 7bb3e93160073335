import { useEffect, useState } from 'react';
import { Card, Flex, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { UnitPicker } from '../../../components/UnitPicker';
import { useScope } from '../../../state/scope';
import { AwayTab } from './AwayTab';
import { DestinationsTab } from './DestinationsTab';
import { TripListTab } from './TripListTab';

const TABS = ['away', 'list', 'destinations'] as const;
type Tab = (typeof TABS)[number];

/** 出行报备: who of the picked unit is away, its trips, and where its people went. */
export default function TripsPage() {
  const { t } = useTranslation();
  const { unitId: scopeId } = useScope();
  const [unitId, setUnitId] = useState<number | null>(scopeId);
  const [tab, setTab] = useState<Tab>('away');
  useEffect(() => setUnitId(scopeId), [scopeId]);

  return (
    <>
      <PageHeader title={t('trips.title')} subtitle={t('trips.subtitle')} />
      <Card size="small">
        <Flex gap={8} wrap style={{ marginBottom: 8 }}>
          <UnitPicker value={unitId} onChange={(id) => id !== undefined && setUnitId(id)} placeholder={t('trips.unit')} style={{ width: 260 }} data-testid="trips-unit" />
        </Flex>
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as Tab)}
          destroyOnHidden
          items={TABS.map((k) => ({
            key: k,
            label: <span data-testid={`trips-tab-${k}`}>{t(`trips.tabs.${k}`)}</span>,
            children: unitId === null ? null : k === 'away' ? <AwayTab unitId={unitId} /> : k === 'list' ? <TripListTab unitId={unitId} /> : <DestinationsTab unitId={unitId} />,
          }))}
        />
      </Card>
    </>
  );
}
