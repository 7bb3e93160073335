import { useCallback, useEffect, useState } from 'react';
import { App, Button, Empty, Input, Segmented, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { approveSwap, listSwaps, refuseSwap, type Swap } from '../../api/duty';
import { useReportError } from '../../components/apiErrors';
import { useFormatShort } from '../directives/bits';

const STATUS_COLOURS: Record<Swap['status'], string> = { asked: 'default', accepted: 'orange', approved: 'green', refused: 'red', declined: 'red', cancelled: 'default' };

/** Swaps in a unit's subtree: those both people agreed, waiting for the unit head to approve or refuse; and the others. */
export function SwapsTab({ unitId, onChanged }: { unitId: number; onChanged(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const { modal, message } = App.useApp();
  const format = useFormatShort();
  const [which, setWhich] = useState<'pending' | 'all'>('pending');
  const [items, setItems] = useState<Swap[] | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setItems(null);
    listSwaps(unitId, which === 'pending' ? 'accepted' : undefined).then(
      (r) => live && setItems(r.items),
      (e) => {
        if (live) setItems([]);
        report(e);
      },
    );
    return () => {
      live = false;
    };
  }, [unitId, which, tick, report]);

  const done = useCallback(() => {
    setTick((n) => n + 1);
    onChanged();
  }, [onChanged]);

  const approve = (s: Swap) =>
    modal.confirm({
      content: `${t('duty.swaps.approve')}: ${s.requester.name} ⇄ ${s.counterpart.name}`,
      okButtonProps: { 'data-testid': 'duty-swap-approve-ok' },
      onOk: async () => {
        try {
          await approveSwap(s.id);
          void message.success(t('duty.swaps.approved'));
          done();
        } catch (e) {
          report(e);
        }
      },
    });

  const refuse = (s: Swap) => {
    let note = '';
    modal.confirm({
      content: (
        <Space direction="vertical" style={{ width: '100%' }}>
          <span>
            {t('duty.swaps.refuse')}: {s.requester.name} ⇄ {s.counterpart.name}
          </span>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('duty.swaps.refuseReason')} onChange={(e) => (note = e.target.value)} data-testid="duty-swap-refuse-note" />
        </Space>
      ),
      okButtonProps: { danger: true, 'data-testid': 'duty-swap-refuse-ok' },
      onOk: async () => {
        try {
          await refuseSwap(s.id, note.trim() || undefined);
          void message.success(t('duty.swaps.refused'));
          done();
        } catch (e) {
          report(e);
        }
      },
    });
  };

  const range = (from: number, to: number) => `${format(from)} – ${format(to)}`;
  const columns: TableColumnsType<Swap> = [
    { title: t('duty.swaps.unit'), dataIndex: 'unitName', width: 140 },
    { title: t('duty.swaps.requester'), key: 'requester', width: 110, render: (_, s) => s.requester.name },
    { title: t('duty.swaps.shift'), key: 'shift', render: (_, s) => `${range(s.shift.startsAt, s.shift.endsAt)} · ${t(`duty.roles.${s.shift.role}`)}` },
    { title: t('duty.swaps.counterpart'), key: 'counterpart', width: 110, render: (_, s) => s.counterpart.name },
    {
      title: t('duty.swaps.counterpartShift'),
      key: 'their',
      render: (_, s) => (s.counterpartShift ? range(s.counterpartShift.startsAt, s.counterpartShift.endsAt) : <Typography.Text type="secondary">{t('duty.swaps.takeOver')}</Typography.Text>),
    },
    { title: t('duty.swaps.reason'), dataIndex: 'reason', ellipsis: true, render: (r: string | null) => r ?? '—' },
    { title: t('duty.swaps.requestedAt'), dataIndex: 'requestedAt', width: 120, render: (ms: number) => format(ms) },
    {
      title: t('duty.swaps.status'),
      dataIndex: 'status',
      width: 130,
      render: (st: Swap['status'], s) => (
        <Tooltip title={s.decisionNote ? `${s.decidedByName ?? ''}: ${s.decisionNote}` : undefined}>
          <Tag color={STATUS_COLOURS[st]}>{t(`duty.swaps.statuses.${st}`)}</Tag>
        </Tooltip>
      ),
    },
    ...(items?.some((s) => s.abilities.approve || s.abilities.refuse)
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 150,
            render: (_: unknown, s: Swap) =>
              (s.abilities.approve || s.abilities.refuse) && (
                <Space>
                  {s.abilities.approve && (
                    <Button size="small" type="primary" onClick={() => approve(s)} data-testid={`duty-swap-approve-${s.id}`}>
                      {t('duty.swaps.approve')}
                    </Button>
                  )}
                  {s.abilities.refuse && (
                    <Button size="small" danger onClick={() => refuse(s)} data-testid={`duty-swap-refuse-${s.id}`}>
                      {t('duty.swaps.refuse')}
                    </Button>
                  )}
                </Space>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Segmented
        value={which}
        onChange={(v) => setWhich(v as 'pending' | 'all')}
        options={[
          { value: 'pending', label: t('duty.swaps.pending') },
          { value: 'all', label: <span data-testid="duty-swaps-all">{t('duty.swaps.all')}</span> },
        ]}
        style={{ marginBottom: 12 }}
      />
      <Table<Swap>
        rowKey="id"
        size="small"
        loading={items === null}
        columns={columns}
        dataSource={items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('duty.swaps.empty')} /> }}
        data-testid="duty-swaps"
      />
    </>
  );
}
