import { useEffect, useState } from 'react';
import { App, Button, Card, Empty, Flex, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { listPeople, peopleExportUrl, updatePerson, type Person, type PersonStatusFilter, type Unit } from '../../api/org';
import { useReportError } from '../../components/apiErrors';
import { builtinTagOptions, tagLabel } from '../../components/labels';
import { TagList } from '../../components/TagList';
import { useScope } from '../../state/scope';
import { PersonModal, TransferModal } from './PersonModal';
import { serverPagination } from '../../components/serverPagination';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'transfer'; person: Person } | null;
interface Filters {
  q: string;
  tag: string | undefined;
  status: PersonStatusFilter;
}

/** People of the focused unit's whole subtree: search, filters, server-side paging, row actions by ability. */
export function PeoplePanel({ unit }: { unit: Unit | null }) {
  const { t } = useTranslation();
  const { unitId: scopeId, reload: reloadUnits } = useScope();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Filters>({ q: '', tag: undefined, status: 'active' });
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<{ items: Person[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [tagSearch, setTagSearch] = useState('');
  const unitKey = unit?.id;

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [unitKey, filters]);
  useEffect(() => {
    if (unitKey === undefined) return;
    let live = true;
    setLoading(true);
    listPeople({ unitId: unitKey, q: filters.q || undefined, tag: filters.tag, status: filters.status, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitKey, filters, paging, version, report]);

  const changed = async () => {
    setVersion((v) => v + 1);
    await reloadUnits(); // headcounts move with people
  };
  const markLeft = (p: Person) =>
    modal.confirm({
      content: t('people.confirmLeft', { name: p.name }),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await updatePerson(p.id, { status: 'left' });
          void message.success(t('people.markedLeft'));
          await changed();
        } catch (e) {
          report(e);
        }
      },
    });

  if (!unit) return <Card><Empty description={t('people.selectUnit')} /></Card>;

  const anyActions = data.items.some((p) => p.abilities.update || (p.status === 'active' && (p.abilities.transfer || p.abilities.markLeft)));
  const columns: TableColumnsType<Person> = [
    {
      title: t('people.name'),
      dataIndex: 'name',
      width: 130,
      fixed: 'left',
      render: (v: string, p) => (
        <Flex vertical>
          <Typography.Text strong>{v}</Typography.Text>
          {p.title && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{p.title}</Typography.Text>}
        </Flex>
      ),
    },
    { title: t('people.employeeNo'), dataIndex: 'employeeNo', width: 110 },
    { title: t('people.phone'), dataIndex: 'phone', width: 130, render: (v: string | null) => v ?? '—' },
    { title: t('people.unit'), dataIndex: 'unitName', width: 140, ellipsis: true },
    { title: t('people.tags'), dataIndex: 'tags', width: 150, render: (tags: string[]) => <TagList tags={tags} /> },
    {
      title: t('people.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: Person['status'], p) =>
        s === 'active' ? <Tag color="green">{t('personStatus.active')}</Tag> : <Tag>{t('personStatus.left')}{p.leftOn ? ` ${p.leftOn}` : ''}</Tag>,
    },
    ...(anyActions
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 180,
            fixed: 'right' as const,
            render: (_: unknown, p: Person) => (
              <Space size={0}>
                {p.abilities.update && <Button type="link" size="small" onClick={() => setDialog({ kind: 'edit', person: p })}>{t('people.edit')}</Button>}
                {p.abilities.transfer && p.status === 'active' && <Button type="link" size="small" onClick={() => setDialog({ kind: 'transfer', person: p })}>{t('people.transfer')}</Button>}
                {p.abilities.markLeft && p.status === 'active' && <Button type="link" size="small" danger onClick={() => markLeft(p)}>{t('people.markLeft')}</Button>}
              </Space>
            ),
          },
        ]
      : []),
  ];
  const tagOptions = [...builtinTagOptions(t), ...(tagSearch.trim() && !builtinTagOptions(t).some((o) => o.value === tagSearch.trim()) ? [{ value: tagSearch.trim(), label: tagLabel(t, tagSearch.trim()) }] : [])];
  const filtered = filters.q !== '' || filters.tag !== undefined || filters.status !== 'active';

  return (
    <Card
      size="small"
      title={
        <Flex vertical style={{ padding: '8px 0' }}>
          <span>{t('people.title', { unit: unit.name })}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>{t('people.subtitle')}</Typography.Text>
        </Flex>
      }
      extra={
        <Space>
          {unit.abilities.import && <Button icon={<UploadOutlined />} onClick={() => navigate(`/org/import?unit=${scopeId ?? unit.id}&target=${unit.id}`)} data-testid="people-import">{t('people.import')}</Button>}
          {unit.abilities.export && <Button icon={<DownloadOutlined />} href={peopleExportUrl(unit.id)} data-testid="people-export">{t('people.export')}</Button>}
          {unit.abilities.addPerson && !unit.archived && <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })} data-testid="people-add">{t('people.add')}</Button>}
        </Space>
      }
    >
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('people.search')} style={{ width: 280 }} onSearch={(q) => setFilters((f) => ({ ...f, q: q.trim() }))} data-testid="people-search" />
        <Select
          allowClear
          showSearch={{ onSearch: setTagSearch }}
          placeholder={t('people.tagFilter')}
          style={{ width: 160 }}
          value={filters.tag}
          options={tagOptions}
          onChange={(tag: string | undefined) => setFilters((f) => ({ ...f, tag }))}
          data-testid="people-tag-filter"
        />
        <Select<PersonStatusFilter>
          style={{ width: 120 }}
          value={filters.status}
          onChange={(status) => setFilters((f) => ({ ...f, status }))}
          options={(['active', 'left', 'all'] as const).map((s) => ({ value: s, label: t(`personStatus.${s}`) }))}
          data-testid="people-status-filter"
        />
      </Flex>
      <div data-testid="people-table">
        <Table<Person>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          scroll={{ x: anyActions ? 940 : 760 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? t('people.emptyFiltered') : t('people.empty')} /> }}
          pagination={serverPagination(paging, setPaging, data.total, t)}
        />
      </div>
      {dialog?.kind === 'create' && <PersonModal unit={unit} onClose={() => setDialog(null)} onSaved={changed} />}
      {dialog?.kind === 'edit' && <PersonModal unit={unit} person={dialog.person} onClose={() => setDialog(null)} onSaved={changed} />}
      {dialog?.kind === 'transfer' && <TransferModal person={dialog.person} onClose={() => setDialog(null)} onSaved={changed} />}
    </Card>
  );
}
