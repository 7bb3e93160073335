import { useEffect, useState } from 'react';
import { Button, Card, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { listCampaigns, type Campaign } from '../../../api/campaigns';
import { useReportError } from '../../../components/apiErrors';
import { PageHeader } from '../../../components/PageHeader';
import { serverPagination } from '../../../components/serverPagination';
import { useMe } from '../../../state/session';
import { CampaignCreateModal } from './CampaignCreateModal';
import { StatusTag, TagNames } from './bits';

/** 核酸检测: the campaigns reaching into the user's scope; the command office starts new ones here. */
export default function CampaignsPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const me = useMe();
  const [status, setStatus] = useState<'open' | 'closed' | 'all'>('open');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<{ items: Campaign[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [status]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listCampaigns({ status: status === 'all' ? undefined : status, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [status, paging, tick, report]);

  const columns: TableColumnsType<Campaign> = [
    { title: t('campaigns.list.name'), dataIndex: 'name', render: (name: string, c) => <Link to={`/health/campaigns/${c.id}`} data-testid={`campaign-link-${c.id}`}>{name}</Link> },
    { title: t('campaigns.list.days'), key: 'days', width: 220, render: (_, c) => `${c.startDay} ~ ${c.endDay}` },
    {
      title: t('campaigns.list.targets'),
      key: 'targets',
      render: (_, c) => (
        <Space size={4} wrap>
          {c.units.map((u) => (
            <Tag key={u.id}>{u.name}</Tag>
          ))}
          <TagNames tags={c.tags} />
        </Space>
      ),
    },
    { title: t('campaigns.list.status'), dataIndex: 'status', width: 100, render: (s: Campaign['status']) => <StatusTag status={s} /> },
  ];

  return (
    <>
      <PageHeader
        title={t('campaigns.list.title')}
        subtitle={t('campaigns.list.subtitle')}
        extra={
          me.permissions.includes('campaigns.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="campaign-new">
              {t('campaigns.list.new')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Segmented
          style={{ marginBottom: 12 }}
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          options={[
            { value: 'open', label: t('campaigns.status.open') },
            { value: 'closed', label: t('campaigns.status.closed') },
            { value: 'all', label: t('common.all') },
          ]}
          data-testid="campaigns-status"
        />
        <Table<Campaign>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          locale={{ emptyText: <Typography.Text type="secondary">{t('campaigns.list.empty')}</Typography.Text> }}
        />
      </Card>
      <CampaignCreateModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          setTick((n) => n + 1);
        }}
      />
    </>
  );
}
