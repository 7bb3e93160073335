import { useEffect, useState } from 'react';
import { App, Alert, Button, DatePicker, Descriptions, Empty, Flex, Popconfirm, Space, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { dayOf } from '../../../../common/day.js';
import { discardPlan, getPlan, listPlans, publishPlan, runPlanner, type CanteenListItem, type Plan, type PlanStatus } from '../../api/dining';
import { useReportError } from '../../components/apiErrors';
import { useTimeZone } from '../directives/bits';
import { PlanGrid } from './PlanGrid';

const STATUS_COLOURS: Record<PlanStatus, string> = { draft: 'gold', published: 'green', superseded: 'default' };

export function PlanStatusTag({ status }: { status: PlanStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOURS[status]}>{t(`planner.statuses.${status}`)}</Tag>;
}

/** What a plan is: for which day, in force when, with what density and seats per slot, how many placed. */
export function PlanFacts({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 4 }} data-testid="plan-facts">
      <Descriptions.Item label={t('planner.status')}>
        <PlanStatusTag status={plan.status} />
      </Descriptions.Item>
      <Descriptions.Item label={t('planner.day')}>{plan.day}</Descriptions.Item>
      <Descriptions.Item label={t('planner.inForce')}>{plan.fromDay ? `${plan.fromDay} ~ ${plan.untilDay ?? ''}` : '—'}</Descriptions.Item>
      <Descriptions.Item label={t('planner.density')}>{`${Math.round(plan.density * 100)}%`}</Descriptions.Item>
      <Descriptions.Item label={t('planner.seatsPerSlot')}>{plan.seatsPerSlot}</Descriptions.Item>
      <Descriptions.Item label={t('planner.placed')}>{plan.placedUnits}</Descriptions.Item>
      <Descriptions.Item label={t('planner.unplacedUnits')}>{plan.unplacedUnits > 0 ? <Typography.Text type="danger">{plan.unplacedUnits}</Typography.Text> : 0}</Descriptions.Item>
      <Descriptions.Item label={t('planner.people')}>{plan.people}</Descriptions.Item>
    </Descriptions>
  );
}

/**
 * 排餐: run the planner for a day (a draft), adjust it on the slot grid, publish it from a day, or
 * discard it. With no draft the plan in force is shown.
 */
export function PlannerTab({ canteen, onChanged }: { canteen: CanteenListItem; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const timeZone = useTimeZone();
  const today = dayOf(Date.now(), timeZone);
  const [day, setDay] = useState(today);
  const [plan, setPlan] = useState<Plan | null | undefined>(undefined);
  const [running, setRunning] = useState(false);
  const [fromDay, setFromDay] = useState(today);

  // The draft being worked on, else the plan in force.
  useEffect(() => {
    let live = true;
    setPlan(undefined);
    listPlans(canteen.id)
      .then((r) => {
        const id = r.items.find((p) => p.status === 'draft')?.id ?? canteen.currentPlanId;
        return id ? getPlan(canteen.id, id) : null;
      })
      .then(
        (p) => live && setPlan(p),
        (e) => {
          if (live) setPlan(null);
          report(e);
        },
      );
    return () => {
      live = false;
    };
  }, [canteen.id, canteen.currentPlanId, report]);
  useEffect(() => {
    if (plan?.status === 'draft') setFromDay(plan.day > today ? plan.day : today);
  }, [plan?.id, plan?.status, plan?.day, today]);

  const run = async () => {
    setRunning(true);
    try {
      const p = await runPlanner(canteen.id, { day });
      setPlan(p);
      void message.success(t('planner.ran', { placed: p.placedUnits, unplaced: p.unplacedUnits }));
      onChanged();
    } catch (e) {
      report(e);
    } finally {
      setRunning(false);
    }
  };
  const publish = async () => {
    if (!plan) return;
    try {
      setPlan(await publishPlan(canteen.id, plan.id, { fromDay }));
      void message.success(t('planner.published', { day: fromDay }));
      onChanged();
    } catch (e) {
      report(e);
    }
  };
  const discard = async () => {
    if (!plan) return;
    try {
      await discardPlan(canteen.id, plan.id);
      void message.success(t('planner.discarded'));
      setPlan(null);
      onChanged();
    } catch (e) {
      report(e);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {canteen.abilities.plan && (
        <Flex gap={8} align="center" wrap>
          <Typography.Text>{t('planner.runFor')}</Typography.Text>
          <DatePicker value={dayjs(day)} allowClear={false} onChange={(d) => d && setDay(d.format('YYYY-MM-DD'))} data-testid="planner-day" />
          <Button type="primary" loading={running} onClick={() => void run()} data-testid="planner-run">
            {t('planner.run')}
          </Button>
          <Typography.Text type="secondary">{t('planner.runHelp')}</Typography.Text>
        </Flex>
      )}
      {plan === undefined ? (
        <Spin />
      ) : plan === null ? (
        <Empty description={t('planner.none')} data-testid="planner-none" />
      ) : (
        <>
          <PlanFacts plan={plan} />
          {plan.status === 'draft' && plan.abilities.publish && (
            <Alert
              type="info"
              showIcon
              title={t('planner.draftHint')}
              action={
                <Space>
                  <Typography.Text>{t('planner.fromDay')}</Typography.Text>
                  <DatePicker size="small" value={dayjs(fromDay)} allowClear={false} disabledDate={(d) => d.format('YYYY-MM-DD') < today} onChange={(d) => d && setFromDay(d.format('YYYY-MM-DD'))} data-testid="planner-from-day" />
                  <Popconfirm title={t('planner.confirmPublish', { day: fromDay })} onConfirm={() => void publish()} okButtonProps={{ 'data-testid': 'planner-publish-ok' }}>
                    <Button size="small" type="primary" data-testid="planner-publish">
                      {t('planner.publish')}
                    </Button>
                  </Popconfirm>
                  {plan.abilities.discard && (
                    <Popconfirm title={t('planner.confirmDiscard')} onConfirm={() => void discard()}>
                      <Button size="small" danger data-testid="planner-discard">
                        {t('planner.discard')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              }
            />
          )}
          <PlanGrid plan={plan} onChanged={setPlan} />
        </>
      )}
    </Space>
  );
}
