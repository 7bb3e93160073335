import { useEffect, useState } from 'react';
import { Button, Card, Flex, Input, Progress, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { listNotices, type NoticeSummary } from '../../../api/notices';
import { useReportError } from '../../../components/apiErrors';
import { useFormatTime } from '../../../components/format';
import { PageHeader } from '../../../components/PageHeader';
import { serverPagination } from '../../../components/serverPagination';
import { TagNames } from '../../health/campaigns/bits';
import { KindTag, NoticeStatusTag } from './bits';

const rate = (read: number, audience: number) => (audience === 0 ? 0 : Math.round((read / audience) * 100));

/** 通知公告: the notices reaching into the user's scope, newest first, each with its read rate. */
export default function NoticesPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const navigate = useNavigate();
  const time = useFormatTime();
  const [status, setStatus] = useState<'published' | 'withdrawn' | 'all'>('published');
  const [q, setQ] = useState('');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<{ items: NoticeSummary[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [status, q]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listNotices({ status: status === 'all' ? undefined : status, q: q || undefined, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [status, q, paging, report]);

  const columns: TableColumnsType<NoticeSummary> = [
    {
      title: t('notices.list.title'),
      dataIndex: 'title',
      render: (title: string, n) => (
        <Space size={6}>
          <KindTag kind={n.kind} />
          <Link to={`/directives/notices/${n.id}`} data-testid={`notice-link-${n.id}`}>
            {title}
          </Link>
        </Space>
      ),
    },
    {
      title: t('notices.list.audience'),
      key: 'targets',
      render: (_, n) => (
        <Space size={4} wrap>
          {n.units.map((u) => (
            <Tag key={u.id}>{u.name}</Tag>
          ))}
          <TagNames tags={n.tags} />
        </Space>
      ),
    },
    {
      title: t('notices.list.read'),
      key: 'read',
      width: 200,
      render: (_, n) => (
        <Flex vertical gap={0}>
          <Progress percent={rate(n.read, n.audience)} size="small" />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('notices.list.readOf', { read: n.read, audience: n.audience })}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('notices.list.publishedAt'), dataIndex: 'publishedAt', width: 180, render: (ms: number) => time(ms) },
    { title: t('notices.list.status'), dataIndex: 'status', width: 90, render: (s: NoticeSummary['status']) => <NoticeStatusTag status={s} /> },
  ];

  return (
    <>
      <PageHeader
        title={t('notices.list.heading')}
        subtitle={t('notices.list.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/directives/notices/new')} data-testid="notice-new">
            {t('notices.list.new')}
          </Button>
        }
      />
      <Card size="small">
        <Flex gap={12} wrap style={{ marginBottom: 12 }}>
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as typeof status)}
            options={[
              { value: 'published', label: t('notices.status.published') },
              { value: 'withdrawn', label: t('notices.status.withdrawn') },
              { value: 'all', label: t('common.all') },
            ]}
            data-testid="notices-status"
          />
          <Input.Search allowClear placeholder={t('notices.list.search')} onSearch={(v) => setQ(v.trim())} style={{ width: 260 }} data-testid="notices-search" />
        </Flex>
        <Table<NoticeSummary>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          locale={{ emptyText: <Typography.Text type="secondary">{t('notices.list.empty')}</Typography.Text> }}
        />
      </Card>
    </>
  );
}
