import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Drawer, Flex, Form, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { BUILTIN_TAGS } from '../../../../common/roles.js';
import { archiveGroup, createGroup, groupMembers, listGroups, updateGroup, type Group, type GroupMember } from '../../api/groups';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { UnitPicker } from '../../components/UnitPicker';
import { useConfirmAction } from '../../components/useConfirmAction';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { TagNames, useTagName } from '../health/campaigns/bits';

/** 重点人群: the saved selections of people usable as a campaign's or a notice's target; their members now, counted. */
export default function GroupsPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const me = useMe();
  const { unitId, unit } = useScope();
  const [q, setQ] = useState('');
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: Group[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const [editing, setEditing] = useState<Group | 'new' | null>(null);
  const [members, setMembers] = useState<Group | null>(null);
  const confirm = useConfirmAction(refresh);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [q, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listGroups({ unitId: unitId ?? undefined, q: q || undefined, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, q, paging, tick, report]);

  const columns: TableColumnsType<Group> = [
    {
      title: t('keyGroups.name'),
      key: 'name',
      render: (_, g) => (
        <div>
          <Typography.Text strong>{g.name}</Typography.Text>
          {g.description && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {g.description}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    { title: t('keyGroups.ownerUnit'), key: 'owner', width: 170, render: (_, g) => g.ownerUnit.name },
    {
      title: t('keyGroups.units'),
      key: 'units',
      width: 220,
      render: (_, g) =>
        g.units.length === 0 ? (
          <Typography.Text type="secondary">{t('keyGroups.wholeOwner')}</Typography.Text>
        ) : (
          <Space size={2} wrap>
            {g.units.map((u) => (
              <Tag key={u.id}>{u.name}</Tag>
            ))}
          </Space>
        ),
    },
    { title: t('keyGroups.tags'), key: 'tags', width: 180, render: (_, g) => (g.tags.length === 0 ? <Typography.Text type="secondary">{t('keyGroups.anyTag')}</Typography.Text> : <TagNames tags={g.tags} />) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 190,
      render: (_, g) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setMembers(g)} data-testid={`group-members-${g.id}`}>
            {t('keyGroups.members')}
          </Button>
          {g.abilities.edit && (
            <Button type="link" size="small" onClick={() => setEditing(g)} data-testid={`group-edit-${g.id}`}>
              {t('common.edit')}
            </Button>
          )}
          {g.abilities.archive && (
            <Button type="link" size="small" danger onClick={() => confirm(t('keyGroups.archiveConfirm', { name: g.name }), true, () => archiveGroup(g.id), t('keyGroups.archived'))} data-testid={`group-archive-${g.id}`}>
              {t('keyGroups.archive')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('keyGroups.title')}
        subtitle={unit ? t('keyGroups.subtitle', { unit: unit.name }) : undefined}
        extra={
          me.permissions.includes('groups.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="group-new">
              {t('keyGroups.new')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Flex gap={12} style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t('keyGroups.search')} style={{ width: 240 }} onSearch={(v) => setQ(v.trim())} data-testid="groups-q" />
        </Flex>
        <Table<Group>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          onRow={(g) => ({ 'data-testid': `group-row-${g.id}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Typography.Text type="secondary">{t('keyGroups.empty')}</Typography.Text> }}
        />
      </Card>
      {editing && (
        <GroupModal
          group={editing === 'new' ? null : editing}
          defaultUnitId={unitId}
          onClose={() => setEditing(null)}
          onSaved={(g) => {
            setEditing(null);
            refresh();
            setMembers(g);
          }}
        />
      )}
      <MembersDrawer group={members} onClose={() => setMembers(null)} />
    </>
  );
}

interface Values {
  name: string;
  description?: string;
  ownerUnitId: number;
  unitIds: number[];
  tags: string[];
}

/** Keep a group: its owner unit, the units (each with its subtree, all under the owner) and/or tags. */
function GroupModal({ group, defaultUnitId, onClose, onSaved }: { group: Group | null; defaultUnitId: number | null; onClose(): void; onSaved(g: Group): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const tagName = useTagName();
  const [form] = Form.useForm<Values>();
  const owner = Form.useWatch('ownerUnitId', form) ?? group?.ownerUnit.id ?? defaultUnitId;
  const submit = async (v: Values) => {
    try {
      const description = v.description?.trim() ?? '';
      const saved = group
        ? await updateGroup(group.id, { name: v.name.trim(), description: description || null, unitIds: v.unitIds, tags: v.tags })
        : await createGroup({ name: v.name.trim(), ...(description ? { description } : {}), ownerUnitId: v.ownerUnitId, unitIds: v.unitIds, tags: v.tags });
      onSaved(saved);
    } catch (e) {
      report(e, { instance: form, fields: ['name', 'description', 'ownerUnitId', 'unitIds', 'tags'] });
      throw e;
    }
  };
  return (
    <FormModal<Values>
      title={group ? t('keyGroups.editTitle') : t('keyGroups.createTitle')}
      open
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      initialValues={
        group
          ? { name: group.name, description: group.description ?? '', ownerUnitId: group.ownerUnit.id, unitIds: group.units.map((u) => u.id), tags: group.tags }
          : { ownerUnitId: defaultUnitId ?? undefined, unitIds: [], tags: [] }
      }
      submitTestId="group-submit"
      width={600}
    >
      <Form.Item name="name" label={t('keyGroups.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]} extra={!group && t('keyGroups.suggestions')}>
        <Input maxLength={100} data-testid="group-name" />
      </Form.Item>
      <Form.Item name="description" label={t('keyGroups.description')} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={2} maxLength={2000} data-testid="group-description" />
      </Form.Item>
      <Form.Item name="ownerUnitId" label={t('keyGroups.ownerUnit')} extra={t('keyGroups.ownerHint')} rules={[{ required: true, message: t('common.required') }]}>
        <UnitPicker disabled={!!group} onChange={() => form.setFieldValue('unitIds', [])} data-testid="group-owner" />
      </Form.Item>
      <Form.Item name="unitIds" label={t('keyGroups.units')} extra={t('keyGroups.unitsHint')}>
        <UnitPicker multiple rootId={owner ?? null} data-testid="group-units" />
      </Form.Item>
      <Form.Item name="tags" label={t('keyGroups.tags')} extra={t('keyGroups.tagsHint')}>
        <Select mode="tags" options={BUILTIN_TAGS.map((tag) => ({ value: tag, label: tagName(tag) }))} data-testid="group-tags" />
      </Form.Item>
    </FormModal>
  );
}

/** Who is in the group now (only the people the reader may see), with the count. */
function MembersDrawer({ group, onClose }: { group: Group | null; onClose(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<{ items: GroupMember[]; total: number } | null>(null);
  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [group]);
  useEffect(() => {
    if (!group) return;
    let live = true;
    setData(null);
    groupMembers(group.id, paging.page, paging.pageSize).then(
      (r) => live && setData(r),
      (e) => live && report(e),
    );
    return () => {
      live = false;
    };
  }, [group, paging, report]);
  return (
    <Drawer open={group !== null} onClose={onClose} width={560} title={group ? t('keyGroups.membersOf', { name: group.name }) : ''} destroyOnHidden>
      <Typography.Paragraph data-testid="group-member-count">{data ? t('keyGroups.count', { n: data.total }) : t('common.loading')}</Typography.Paragraph>
      <Table<GroupMember>
        rowKey="personId"
        size="small"
        loading={data === null}
        dataSource={data?.items ?? []}
        pagination={serverPagination(paging, setPaging, data?.total ?? 0, t)}
        columns={[
          { title: t('keyGroups.person'), dataIndex: 'name' },
          { title: t('keyGroups.employeeNo'), dataIndex: 'employeeNo', width: 120 },
          { title: t('places.list.unit'), dataIndex: 'unitName', width: 180, ellipsis: true },
        ]}
      />
    </Drawer>
  );
}
