import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Card, Empty, Tabs } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { listRegistrations } from '../../api/meetings';
import { PageHeader } from '../../components/PageHeader';
import { UnitPicker } from '../../components/UnitPicker';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { DayTab } from './DayTab';
import { OverLimitTab, PendingTab } from './ListTabs';
import { RegisterModal } from './RegisterModal';
import { useTabParam } from '../../components/useTabParam';

const TABS = ['day', 'pending', 'overLimit'] as const;
type TabKey = (typeof TABS)[number];

/** 会议报备: a day's meetings per unit and building, the ones waiting for approval, the over-limit ones over a period. */
export default function MeetingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { unitId, unit, setUnitId } = useScope();
  const [tab, setTab] = useTabParam(TABS);
  const [registering, setRegistering] = useState(false);
  const [tick, setTick] = useState(0);
  const changed = useCallback(() => setTick((n) => n + 1), []);
  const [pending, setPending] = useState(0);
  // The server decides per unit; the union of grants only says whether to offer the buttons.
  const canRegister = me.permissions.includes('meetings.register');

  useEffect(() => {
    if (unitId === null) return;
    let live = true;
    listRegistrations({ unitId, status: 'pending', pageSize: 1 }).then(
      (r) => live && setPending(r.total),
      () => live && setPending(0),
    );
    return () => {
      live = false;
    };
  }, [unitId, tick]);

  const body = (key: TabKey) => {
    if (unitId === null) return <Empty description={t('meetingRegs.pickUnit')} />;
    if (key === 'day') return <DayTab unitId={unitId} tick={tick} onChanged={changed} />;
    if (key === 'pending') return <PendingTab unitId={unitId} tick={tick} onChanged={changed} />;
    return <OverLimitTab unitId={unitId} tick={tick} onChanged={changed} />;
  };

  return (
    <div data-testid="meetings-page">
      <PageHeader
        title={t('meetingRegs.title')}
        subtitle={unit ? t('meetingRegs.subtitle', { unit: unit.name }) : undefined}
        extra={
          <>
            <UnitPicker value={unitId} onChange={(id) => id && setUnitId(id)} style={{ width: 260 }} data-testid="meetings-unit" />
            {canRegister && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)} data-testid="meeting-new">
                {t('meetingRegs.new')}
              </Button>
            )}
          </>
        }
      />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          destroyOnHidden
          items={TABS.map((k) => ({
            key: k,
            label: (
              <span data-testid={`meetings-tab-${k}`}>
                {t(`meetingRegs.tabs.${k}`)}
                {k === 'pending' && pending > 0 && <Badge count={pending} size="small" style={{ marginInlineStart: 6 }} data-testid="meetings-pending-count" />}
              </span>
            ),
            children: body(k),
          }))}
        />
      </Card>
      {registering && <RegisterModal onClose={() => setRegistering(false)} onDone={changed} />}
    </div>
  );
}
