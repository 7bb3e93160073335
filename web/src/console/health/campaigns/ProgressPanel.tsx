import { useEffect, useRef, useState } from 'react';
import { App, Breadcrumb, Button, Card, Flex, Input, Progress, Table, Typography, type InputRef, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { campaignProgress, pendingPeople, recordSample, type Campaign, type CampaignProgress, type PendingPerson } from '../../../api/campaigns';
import { ApiError } from '../../../api/client';
import { serverText, useReportError } from '../../../components/apiErrors';
import { UnitPicker } from '../../../components/UnitPicker';
import { serverPagination } from '../../../components/serverPagination';
import { useScope } from '../../../state/scope';

type Row = CampaignProgress['children'][number] & { own?: boolean };

const rate = (sampled: number, due: number) => (due === 0 ? 0 : Math.round((sampled / due) * 100));

/** Progress by unit with drill-down, the people not yet sampled under the unit, and the tick and scan field. */
export function ProgressPanel({ campaign, tick, onChanged }: { campaign: Campaign; tick: number; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const { unitId: scopeId } = useScope();
  // The units drilled through, from where the user started down to the one shown.
  const [trail, setTrail] = useState<{ id: number; name: string }[]>([]);
  const [startId, setStartId] = useState<number | null>(scopeId);
  const [progress, setProgress] = useState<CampaignProgress | null>(null);
  const [pending, setPending] = useState<{ items: PendingPerson[]; total: number }>({ items: [], total: 0 });
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [loading, setLoading] = useState(false);
  const [scan, setScan] = useState('');
  const [scanning, setScanning] = useState(false);
  const scanRef = useRef<InputRef>(null);
  const unitId = trail.length ? trail[trail.length - 1]!.id : startId;

  useEffect(() => {
    setStartId(scopeId);
    setTrail([]);
  }, [scopeId]);
  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [unitId]);
  useEffect(() => {
    if (unitId === null) return;
    let live = true;
    setLoading(true);
    Promise.all([campaignProgress(campaign.id, unitId), pendingPeople(campaign.id, { unitId, ...paging })])
      .then(([p, list]) => {
        if (!live) return;
        setProgress(p);
        setPending(list);
      }, (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [campaign.id, unitId, paging, tick, report]);

  const sampled = (name: string) => {
    void message.success(t('campaigns.detail.ticked', { name }));
    onChanged();
  };
  const tickPerson = async (p: PendingPerson) => {
    try {
      await recordSample(campaign.id, { personId: p.personId });
      sampled(p.name);
    } catch (e) {
      report(e);
    }
  };
  const submitScan = async () => {
    const code = scan.trim();
    if (!code) return;
    setScanning(true);
    try {
      const s = await recordSample(campaign.id, { code });
      sampled(s.personName);
      setScan('');
    } catch (e) {
      // A wrong code is the common case at a sampling point: say it plainly, keep the text to check.
      if (e instanceof ApiError && e.fields.code) void message.error(serverText(e.fields.code));
      else report(e);
    } finally {
      setScanning(false);
      scanRef.current?.focus();
    }
  };

  const rows: Row[] = progress ? [...(progress.unit.due > 0 && progress.children.length > 0 ? [{ ...progress.unit, own: true, hasChildren: false }] : []), ...progress.children] : [];
  const columns: TableColumnsType<Row> = [
    {
      title: t('campaigns.detail.unit'),
      key: 'unit',
      render: (_, r) =>
        r.own ? (
          <Typography.Text type="secondary">{t('campaigns.detail.own', { name: r.name })}</Typography.Text>
        ) : (
          <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setTrail((x) => [...x, { id: r.id, name: r.name }])} data-testid={`campaign-drill-${r.id}`}>
            {r.name}
          </Button>
        ),
    },
    { title: t('campaigns.detail.due'), dataIndex: 'due', width: 90, align: 'right' },
    { title: t('campaigns.detail.sampled'), dataIndex: 'sampled', width: 90, align: 'right' },
    { title: t('campaigns.detail.rate'), key: 'rate', width: 160, render: (_, r) => <Progress percent={rate(r.sampled, r.due)} size="small" /> },
    { title: t('campaigns.detail.resulted'), dataIndex: 'resulted', width: 90, align: 'right' },
    { title: t('campaigns.detail.positive'), dataIndex: 'positive', width: 90, align: 'right', render: (n: number) => (n > 0 ? <Typography.Text type="danger" strong>{n}</Typography.Text> : n) },
    { title: t('campaigns.detail.pending'), dataIndex: 'pending', width: 90, align: 'right' },
  ];
  const pendingColumns: TableColumnsType<PendingPerson> = [
    { title: t('campaigns.detail.name'), dataIndex: 'name', width: 140 },
    { title: t('campaigns.detail.employeeNo'), dataIndex: 'employeeNo', width: 130 },
    { title: t('campaigns.detail.unit'), dataIndex: 'unitName', ellipsis: true },
    { title: t('campaigns.detail.phone'), dataIndex: 'phone', width: 150, render: (p: string | null) => p ?? '—' },
    ...(campaign.abilities.recordSamples
      ? [
          {
            title: t('common.actions'),
            key: 'tick',
            width: 110,
            render: (_: unknown, p: PendingPerson) => (
              <Button size="small" onClick={() => void tickPerson(p)} data-testid={`campaign-tick-${p.personId}`}>
                {t('campaigns.detail.tick')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  const total = progress?.total;

  return (
    <Flex vertical gap={16}>
      <Card size="small">
        <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
          <UnitPicker
            value={startId}
            onChange={(id) => {
              if (!id) return;
              setStartId(id);
              setTrail([]);
            }}
            style={{ width: 240 }}
            data-testid="campaign-unit"
          />
          {trail.length > 0 && (
            <Breadcrumb
              items={[
                { title: <a onClick={() => setTrail([])}>{t('campaigns.detail.start')}</a> },
                ...trail.map((u, i) => ({ title: i === trail.length - 1 ? u.name : <a onClick={() => setTrail(trail.slice(0, i + 1))}>{u.name}</a> })),
              ]}
            />
          )}
        </Flex>
        {total && (
          <Typography.Paragraph data-testid="campaign-total">
            {t('campaigns.detail.totalLine', { due: total.due, sampled: total.sampled, rate: rate(total.sampled, total.due), resulted: total.resulted, positive: total.positive, pending: total.pending })}
          </Typography.Paragraph>
        )}
        {rows.length > 0 && <Table<Row> rowKey={(r) => (r.own ? `own-${r.id}` : r.id)} size="small" loading={loading} columns={columns} dataSource={rows} pagination={false} />}
      </Card>
      <Card
        size="small"
        title={t('campaigns.detail.pendingTitle', { total: pending.total })}
        extra={
          campaign.abilities.recordSamples && (
            <Input.Search
              ref={scanRef}
              value={scan}
              onChange={(e) => setScan(e.target.value)}
              onSearch={() => void submitScan()}
              loading={scanning}
              enterButton={t('campaigns.detail.scanSubmit')}
              placeholder={t('campaigns.detail.scanPlaceholder')}
              style={{ width: 380 }}
              autoComplete="off"
              data-testid="campaign-scan"
            />
          )
        }
      >
        <Table<PendingPerson>
          rowKey="personId"
          size="small"
          loading={loading}
          columns={pendingColumns}
          dataSource={pending.items}
          pagination={serverPagination(paging, setPaging, pending.total, t)}
          onRow={(r) => ({ 'data-testid': `campaign-pending-${r.personId}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: t('campaigns.detail.pendingEmpty') }}
        />
      </Card>
    </Flex>
  );
}
