import { useState } from 'react';
import { App, Card, Empty, Flex, Form, Input, Modal, Progress, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { moveUnit, type Meal, type Plan, type PlanMeal, type PlanSlot } from '../../api/dining';
import { serverText, useReportError } from '../../components/apiErrors';

/** A slot this full or fuller is shown in orange; over its seats (a forced move) in red. */
const NEAR_FULL = 0.9;

const loadColour = (load: number, seats: number) => (load > seats ? '#cf1322' : load >= seats * NEAR_FULL ? '#fa8c16' : '#52c41a');

interface Move {
  unitId: number;
  unitName: string;
  meal: Meal;
  slotStart: string;
}

/**
 * A plan's slot grid, one card per meal: each slot's seats used against its seats (coloured as it
 * fills), the units in it, and the units the planner could not place with why. On a draft the
 * planner's user moves a unit by dragging its tag onto another slot or by choosing the slot; a move
 * over the slot's seats is refused by the server and may then be forced with a reason.
 */
export function PlanGrid({ plan, onChanged }: { plan: Plan; onChanged(p: Plan): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const editable = plan.status === 'draft' && plan.abilities.move;
  const [forcing, setForcing] = useState<(Move & { why: string }) | null>(null);
  const [busy, setBusy] = useState(false);

  const move = async (m: Move, reason?: string) => {
    setBusy(true);
    try {
      const next = await moveUnit(plan.canteenId, plan.id, { unitId: m.unitId, meal: m.meal, slotStart: m.slotStart, ...(reason ? { force: true, reason } : {}) });
      onChanged(next);
      void message.success(t('planner.moved', { unit: m.unitName, slot: m.slotStart }));
      setForcing(null);
    } catch (e) {
      // Over the slot's seats: the server names slotStart; the command office may still force it with a reason.
      if (!reason && e instanceof ApiError && e.fields.slotStart) setForcing({ ...m, why: serverText(e.fields.slotStart) });
      else report(e);
    } finally {
      setBusy(false);
    }
  };

  if (plan.meals.length === 0) return <Empty description={t('planner.noMeals')} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="plan-grid">
      {plan.meals.map((meal) => (
        <MealCard key={meal.meal} meal={meal} editable={editable && !busy} onMove={(m) => void move(m)} />
      ))}
      {forcing && <ForceModal move={forcing} onClose={() => setForcing(null)} onForce={(reason) => move(forcing, reason)} />}
    </Space>
  );
}

function MealCard({ meal, editable, onMove }: { meal: PlanMeal; editable: boolean; onMove(m: Move): void }) {
  const { t } = useTranslation();
  const [over, setOver] = useState<string | null>(null);
  const slotOptions = meal.slots.map((s) => ({ value: s.start, label: `${s.start}–${s.end}（${s.load}/${s.seats}）` }));
  const drop = (slot: PlanSlot) => (e: React.DragEvent) => {
    e.preventDefault();
    setOver(null);
    const data = e.dataTransfer.getData('application/x-bulwark-unit');
    if (!data) return;
    const { unitId, unitName, from } = JSON.parse(data) as { unitId: number; unitName: string; from: string | null; meal: Meal };
    if (from !== slot.start) onMove({ unitId, unitName, meal: meal.meal, slotStart: slot.start });
  };
  const unitTag = (u: { unitId: number; unitName: string; headcount: number }, from: string | null, forced: string | null = null) => (
    <Tag
      key={u.unitId}
      color={forced ? 'red' : undefined}
      draggable={editable}
      onDragStart={(e) => e.dataTransfer.setData('application/x-bulwark-unit', JSON.stringify({ unitId: u.unitId, unitName: u.unitName, from, meal: meal.meal }))}
      style={{ cursor: editable ? 'grab' : undefined, marginBottom: 4 }}
      data-testid={`plan-unit-${meal.meal}-${u.unitId}`}
    >
      {forced ? <Tooltip title={t('planner.forced', { reason: forced })}>{`${u.unitName} · ${u.headcount}`}</Tooltip> : `${u.unitName} · ${u.headcount}`}
    </Tag>
  );
  const moveSelect = (unitId: number, unitName: string, current: string | null) =>
    editable && (
      <Select
        size="small"
        style={{ width: 170 }}
        placeholder={current ? t('planner.moveTo') : t('planner.placeIn')}
        value={null}
        options={slotOptions.filter((o) => o.value !== current)}
        onChange={(slotStart: string) => onMove({ unitId, unitName, meal: meal.meal, slotStart })}
        data-testid={`plan-move-${meal.meal}-${unitId}`}
      />
    );

  const columns: TableColumnsType<PlanSlot> = [
    { title: t('planner.slot'), key: 'slot', width: 120, render: (_, s) => `${s.start}–${s.end}` },
    {
      title: t('planner.seatsUsed'),
      key: 'load',
      width: 200,
      render: (_, s) => (
        <Flex vertical gap={0} data-testid={`plan-load-${meal.meal}-${s.start}`}>
          <Typography.Text>{`${s.load} / ${s.seats}`}</Typography.Text>
          <Progress percent={s.seats ? Math.min(100, Math.round((s.load / s.seats) * 100)) : 0} showInfo={false} size="small" strokeColor={loadColour(s.load, s.seats)} />
        </Flex>
      ),
    },
    {
      title: t('planner.units'),
      key: 'units',
      render: (_, s) => (
        <div>
          {s.units.length === 0 && <Typography.Text type="secondary">{editable ? t('planner.dropHere') : '—'}</Typography.Text>}
          {s.units.map((u) =>
            editable ? (
              <Space key={u.unitId} size={4} style={{ marginInlineEnd: 12 }}>
                {unitTag(u, s.start, u.forcedReason)}
                {moveSelect(u.unitId, u.unitName, s.start)}
              </Space>
            ) : (
              unitTag(u, s.start, u.forcedReason)
            ),
          )}
        </div>
      ),
    },
  ];
  const people = meal.slots.reduce((n, s) => n + s.load, 0);
  return (
    <Card size="small" title={`${t(`canteens.meals.${meal.meal}`)} · ${meal.window.from}–${meal.window.to}`} extra={t('planner.mealPeople', { count: people })} data-testid={`plan-meal-${meal.meal}`}>
      <Table<PlanSlot>
        rowKey="start"
        size="small"
        columns={columns}
        dataSource={meal.slots}
        pagination={false}
        onRow={(s) =>
          editable
            ? {
                onDragOver: (e) => {
                  e.preventDefault();
                  setOver(s.start);
                },
                onDragLeave: () => setOver((o) => (o === s.start ? null : o)),
                onDrop: drop(s),
                style: over === s.start ? { background: '#e6f4ff' } : undefined,
              }
            : {}
        }
      />
      {meal.unplaced.length > 0 && (
        <div style={{ marginTop: 12 }} data-testid={`plan-unplaced-${meal.meal}`}>
          <Typography.Text strong type="danger">
            {t('planner.unplaced', { count: meal.unplaced.length })}
          </Typography.Text>
          {meal.unplaced.map((u) => (
            <Flex key={u.unitId} gap={8} align="center" style={{ marginTop: 6 }} wrap>
              {unitTag(u, null)}
              <Tag color="volcano">{t(`planner.reasons.${u.reason}`)}</Tag>
              <Typography.Text type="secondary">{t('planner.window', { from: u.window.from, to: u.window.to })}</Typography.Text>
              {moveSelect(u.unitId, u.unitName, null)}
            </Flex>
          ))}
        </div>
      )}
    </Card>
  );
}

/** A move over the slot's seats: the server refused it; placing it anyway needs a reason the plan keeps. */
function ForceModal({ move, onClose, onForce }: { move: Move & { why: string }; onClose(): void; onForce(reason: string): Promise<void> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t('planner.forceTitle', { unit: move.unitName, slot: move.slotStart })}
      onCancel={onClose}
      okText={t('planner.force')}
      okButtonProps={{ danger: true, loading: busy, 'data-testid': 'plan-force-ok' }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="warning">{t('planner.forceWhy', { why: move.why })}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          setBusy(true);
          await onForce(v.reason.trim());
          setBusy(false);
        }}
      >
        <Form.Item name="reason" label={t('planner.forceReason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={500} data-testid="plan-force-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
