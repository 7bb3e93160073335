import { useCallback, useEffect, useState } from 'react';
import { Button, Descriptions, Drawer, Empty, Flex, Modal, Select, Table, Tag, Timeline, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { DELIVERY_STATES } from '../../../../common/schemas/notify.js';
import { getOutboxMessage, listDeliveries, type DeliveryLogItem, type OutboxMessageDetail } from '../../api/notify';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';

type State = (typeof DELIVERY_STATES)[number];
const STATE_COLOR: Record<State, string> = { pending: 'blue', sent: 'green', failed: 'orange', given_up: 'red', cancelled: 'default' };
const PAGE_SIZE = 20;

/** A delivery's state as a coloured tag. */
function StateTag({ state }: { state: State }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOR[state]} data-testid={`delivery-state-${state}`}>
      {t(`channels.states.${state}`)}
    </Tag>
  );
}

/**
 * The delivery log of a unit's channels (投递记录): each message sent to its robots, webhooks and
 * e-mail lists, with its state, attempts and last error; a message opens with every attempt.
 */
export function DeliveryLogDrawer({ unitId, unitName, open, onClose }: { unitId: number; unitName: string; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const fmt = useFormatTime();
  const [state, setState] = useState<State | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: DeliveryLogItem[]; total: number } | null>(null);
  const [loading, setLoading] = useState(false);
  const [messageId, setMessageId] = useState<number | null>(null);
  const closeMessage = useCallback(() => setMessageId(null), []);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await listDeliveries(unitId, { page, pageSize: PAGE_SIZE, ...(state && { state }) }));
    } catch (e) {
      report(e);
    } finally {
      setLoading(false);
    }
  }, [unitId, page, state, report]);
  useEffect(() => {
    if (open) void load();
  }, [open, load]);

  const columns: TableColumnsType<DeliveryLogItem> = [
    { title: t('channels.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: number) => fmt(v) },
    {
      title: t('channels.message'),
      dataIndex: 'messageTitle',
      ellipsis: true,
      render: (title: string, d) => (
        <Typography.Link onClick={() => setMessageId(d.messageId)} data-testid={`delivery-message-${d.id}`}>
          {title}
        </Typography.Link>
      ),
    },
    { title: t('channels.channel'), key: 'channel', width: 150, ellipsis: true, render: (_: unknown, d) => `${d.channelName ?? ''}${d.channelKind ? ` · ${t(`channels.kinds.${d.channelKind}`)}` : ''}` },
    { title: t('channels.state'), dataIndex: 'state', width: 110, render: (s: State) => <StateTag state={s} /> },
    { title: t('channels.attempts'), dataIndex: 'attempts', width: 60 },
    {
      title: t('channels.lastError'),
      key: 'error',
      ellipsis: true,
      render: (_: unknown, d) =>
        d.lastError ? (
          <Typography.Text type="danger" ellipsis={{ tooltip: d.lastError }}>
            {d.lastError}
          </Typography.Text>
        ) : d.state === 'sent' ? (
          <Typography.Text type="secondary">{fmt(d.sentAt)}</Typography.Text>
        ) : null,
    },
    { title: t('channels.nextAttempt'), dataIndex: 'nextAttemptAt', width: 150, render: (v: number | null) => (v === null ? '' : fmt(v)) },
  ];

  return (
    <Drawer open={open} width={1000} title={t('channels.logTitle', { unit: unitName })} onClose={onClose} data-testid="delivery-log">
      <Typography.Paragraph type="secondary">{t('channels.logHint')}</Typography.Paragraph>
      <Flex gap={8} style={{ marginBottom: 12 }}>
        <Select<State | 'all'>
          value={state ?? 'all'}
          style={{ width: 160 }}
          onChange={(v) => {
            setPage(1);
            setState(v === 'all' ? undefined : v);
          }}
          options={[{ value: 'all', label: t('channels.allStates') }, ...DELIVERY_STATES.map((s) => ({ value: s, label: t(`channels.states.${s}`) }))]}
          data-testid="delivery-state-filter"
        />
        <Button onClick={() => void load()}>{t('common.refresh')}</Button>
      </Flex>
      <Table<DeliveryLogItem>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('channels.logEmpty')} /> }}
        data-testid="delivery-table"
      />
      <MessageModal id={messageId} onClose={closeMessage} />
    </Drawer>
  );
}

/** One message with every delivery (the live push, each channel) and each attempt. */
function MessageModal({ id, onClose }: { id: number | null; onClose(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const fmt = useFormatTime();
  const [m, setM] = useState<OutboxMessageDetail | null>(null);
  useEffect(() => {
    setM(null);
    if (id === null) return;
    getOutboxMessage(id).then(setM, (e: unknown) => {
      report(e);
      onClose();
    });
  }, [id, report, onClose]);
  return (
    <Modal open={id !== null} title={t('channels.detail')} footer={null} width={720} onCancel={onClose} data-testid="delivery-detail">
      {m && (
        <>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('channels.message')}>
              <Typography.Text strong>{m.title}</Typography.Text>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>{m.text}</Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label={t('channels.createdAt')}>
              {fmt(m.createdAt)} · {t('channels.recipients', { count: m.recipients })}
            </Descriptions.Item>
          </Descriptions>
          {m.deliveries.map((d) => (
            <div key={d.id} style={{ marginTop: 16 }} data-testid={`delivery-${d.id}`}>
              <Flex gap={8} align="center" style={{ marginBottom: 8 }}>
                <Typography.Text strong>{d.route === 'live' ? t('channels.routes.live') : `${d.channelName ?? ''} · ${d.channelKind ? t(`channels.kinds.${d.channelKind}`) : ''}`}</Typography.Text>
                <StateTag state={d.state} />
              </Flex>
              <Timeline
                items={d.attemptLog.map((a) => ({
                  color: a.ok ? 'green' : 'red',
                  children: (
                    <>
                      {t('channels.attemptLog', { attempt: a.attempt, at: fmt(a.at) })} · {a.ok ? t('channels.ok') : <Typography.Text type="danger">{a.error}</Typography.Text>}
                    </>
                  ),
                }))}
              />
            </div>
          ))}
        </>
      )}
    </Modal>
  );
}
