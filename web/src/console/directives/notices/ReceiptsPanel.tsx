import { useEffect, useState } from 'react';
import { App, Breadcrumb, Button, Card, Flex, Progress, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { noticeReceipts, remindUnread, unreadPeople, type Notice, type NoticeReceipts, type UnreadPerson } from '../../../api/notices';
import { useReportError } from '../../../components/apiErrors';
import { useFormatTime } from '../../../components/format';
import { serverPagination } from '../../../components/serverPagination';

type Row = NoticeReceipts['children'][number] & { own?: boolean };

const rate = (read: number, audience: number) => (audience === 0 ? 0 : Math.round((read / audience) * 100));

/** Read receipts by unit with drill-down, who has not read it under the unit shown, and the reminder. */
export function ReceiptsPanel({ notice, onChanged }: { notice: Notice; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const time = useFormatTime();
  // The units drilled through, from the user's own top unit (the server's default) down to the one shown.
  const [trail, setTrail] = useState<{ id: number; name: string }[]>([]);
  const [receipts, setReceipts] = useState<NoticeReceipts | null>(null);
  const [unread, setUnread] = useState<{ items: UnreadPerson[]; total: number }>({ items: [], total: 0 });
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [loading, setLoading] = useState(false);
  const [reminding, setReminding] = useState(false);
  const [tick, setTick] = useState(0);
  const unitId = trail.length ? trail[trail.length - 1]!.id : null;

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    Promise.all([noticeReceipts(notice.id, unitId), unreadPeople(notice.id, { unitId, ...paging })])
      .then(([r, list]) => {
        if (!live) return;
        setReceipts(r);
        setUnread(list);
      }, (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [notice.id, unitId, paging, tick, report]);

  const remind = async () => {
    setReminding(true);
    try {
      const r = await remindUnread(notice.id, receipts?.unit.id ?? unitId);
      void message.success(t('notices.receipts.reminded', { reminded: r.reminded, skipped: r.skipped }));
      setTick((n) => n + 1);
      onChanged();
    } catch (e) {
      report(e);
    } finally {
      setReminding(false);
    }
  };

  const rows: Row[] = receipts ? [...(receipts.unit.audience > 0 && receipts.children.length > 0 ? [{ ...receipts.unit, own: true, hasChildren: false }] : []), ...receipts.children] : [];
  const columns: TableColumnsType<Row> = [
    {
      title: t('notices.receipts.unit'),
      key: 'unit',
      render: (_, r) =>
        r.own ? (
          <Typography.Text type="secondary">{t('notices.receipts.own', { name: r.name })}</Typography.Text>
        ) : (
          <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setTrail((x) => [...x, { id: r.id, name: r.name }])} data-testid={`notice-drill-${r.id}`}>
            {r.name}
          </Button>
        ),
    },
    { title: t('notices.receipts.audience'), dataIndex: 'audience', width: 100, align: 'right' },
    { title: t('notices.receipts.read'), dataIndex: 'read', width: 100, align: 'right' },
    { title: t('notices.receipts.unread'), dataIndex: 'unread', width: 100, align: 'right', render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n) },
    { title: t('notices.receipts.rate'), key: 'rate', width: 180, render: (_, r) => <Progress percent={rate(r.read, r.audience)} size="small" /> },
  ];
  const unreadColumns: TableColumnsType<UnreadPerson> = [
    { title: t('notices.receipts.name'), dataIndex: 'name', width: 140 },
    { title: t('notices.receipts.employeeNo'), dataIndex: 'employeeNo', width: 130 },
    { title: t('notices.receipts.unit'), dataIndex: 'unitName', ellipsis: true },
    { title: t('notices.receipts.phone'), dataIndex: 'phone', width: 150, render: (p: string | null) => p ?? '—' },
    { title: t('notices.receipts.remindedAt'), dataIndex: 'remindedAt', width: 180, render: (ms: number | null) => (ms ? time(ms) : '—') },
  ];
  const total = receipts?.total;

  return (
    <Flex vertical gap={16}>
      <Card size="small">
        {trail.length > 0 && (
          <Breadcrumb
            style={{ marginBottom: 12 }}
            items={[
              { title: <a onClick={() => setTrail([])}>{receipts && trail.length === 0 ? receipts.unit.name : t('notices.receipts.start')}</a> },
              ...trail.map((u, i) => ({ title: i === trail.length - 1 ? u.name : <a onClick={() => setTrail(trail.slice(0, i + 1))}>{u.name}</a> })),
            ]}
          />
        )}
        {total && (
          <Typography.Paragraph data-testid="notice-receipts-total">
            {t('notices.receipts.totalLine', { unit: receipts.unit.name, audience: total.audience, read: total.read, unread: total.unread, rate: rate(total.read, total.audience) })}
          </Typography.Paragraph>
        )}
        {rows.length > 0 && <Table<Row> rowKey={(r) => (r.own ? `own-${r.id}` : r.id)} size="small" loading={loading} columns={columns} dataSource={rows} pagination={false} />}
      </Card>
      <Card
        size="small"
        title={t('notices.receipts.unreadTitle', { total: unread.total })}
        extra={
          notice.abilities.remind &&
          unread.total > 0 && (
            <Button type="primary" loading={reminding} onClick={() => void remind()} data-testid="notice-remind">
              {t('notices.receipts.remind')}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('notices.receipts.remindHint')}
        </Typography.Paragraph>
        <Table<UnreadPerson>
          rowKey="personId"
          size="small"
          loading={loading}
          columns={unreadColumns}
          dataSource={unread.items}
          pagination={serverPagination(paging, setPaging, unread.total, t)}
          onRow={(r) => ({ 'data-testid': `notice-unread-${r.personId}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: t('notices.receipts.unreadEmpty') }}
        />
      </Card>
    </Flex>
  );
}
