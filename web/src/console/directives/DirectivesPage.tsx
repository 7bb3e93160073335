import { useEffect, useState } from 'react';
import { Button, Card, Flex, Input, Progress, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { DIRECTIVE_SOURCES } from '../../../../common/schemas/directives.js';
import { listDirectives, type Directive, type DirectiveSource } from '../../api/directives';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useMe } from '../../state/session';
import { useScope } from '../../state/scope';
import { DirectiveCreateModal } from './DirectiveCreateModal';
import { FigureTags, finishedRate } from './bits';

/** 部署任务: the directives reaching the selected unit, each with how far its tasks are; the command office records new ones. */
export default function DirectivesPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const me = useMe();
  const navigate = useNavigate();
  const formatTime = useFormatTime();
  const { unitId } = useScope();
  const [source, setSource] = useState<DirectiveSource | undefined>();
  const [q, setQ] = useState('');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<{ items: Directive[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [source, q, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listDirectives({ unitId: unitId ?? undefined, source, q: q || undefined, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, source, q, paging, report]);

  const columns: TableColumnsType<Directive> = [
    {
      title: t('directives.titleLabel'),
      dataIndex: 'title',
      render: (title: string, d) => (
        <Flex vertical gap={2}>
          <Link to={`/directives/${d.id}`} data-testid={`directive-link-${d.id}`}>
            {title}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[d.documentNo, d.unitName].filter(Boolean).join(' · ')}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('directives.source.label'), dataIndex: 'source', width: 110, render: (s: DirectiveSource) => <Tag>{t(`directives.source.${s}`)}</Tag> },
    { title: t('directives.receivedAt'), dataIndex: 'receivedAt', width: 180, render: (ms: number) => formatTime(ms) },
    { title: t('directives.list.tasks'), key: 'tasks', width: 90, align: 'right', render: (_, d) => d.progress.total },
    { title: t('directives.list.finished'), key: 'rate', width: 150, render: (_, d) => <Progress percent={finishedRate(d.progress)} size="small" status={d.progress.overdue > 0 ? 'exception' : undefined} /> },
    { title: t('directives.list.state'), key: 'figures', width: 320, render: (_, d) => <FigureTags f={d.progress} /> },
  ];

  return (
    <>
      <PageHeader
        title={t('directives.list.title')}
        subtitle={t('directives.list.subtitle')}
        extra={
          me.permissions.includes('directives.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="directive-new">
              {t('directives.list.new')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Flex gap={12} wrap style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder={t('directives.source.label')}
            value={source}
            onChange={setSource}
            style={{ width: 160 }}
            options={DIRECTIVE_SOURCES.map((s) => ({ value: s, label: t(`directives.source.${s}`) }))}
            data-testid="directives-source"
          />
          <Input.Search allowClear placeholder={t('directives.list.search')} onSearch={(v) => setQ(v.trim())} style={{ width: 280 }} data-testid="directives-search" />
        </Flex>
        <Table<Directive>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          locale={{ emptyText: <Typography.Text type="secondary">{t('directives.list.empty')}</Typography.Text> }}
        />
      </Card>
      <DirectiveCreateModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(d) => {
          setCreating(false);
          navigate(`/directives/${d.id}${unitId ? `?unit=${unitId}` : ''}`);
        }}
      />
    </>
  );
}
