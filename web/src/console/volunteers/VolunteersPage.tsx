import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Flex, Form, Input, Select, Space, Switch, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { addVolunteer, listVolunteers, removeVolunteer, SUGGESTED_SKILLS, type Volunteer, type VolunteerTag } from '../../api/volunteers';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { PersonSelect } from '../../components/PersonSelect';
import { serverPagination } from '../../components/serverPagination';
import { useConfirmAction } from '../../components/useConfirmAction';
import { useTabParam } from '../../components/useTabParam';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { HoursTab } from './HoursTab';
import { PostsTab } from './PostsTab';
import { RequestsTab } from './RequestsTab';

const TABS = ['pool', 'posts', 'requests', 'hours'] as const;

/** A volunteer's tags as coloured tags: 党员 red, 团员 blue, skills plain. */
export function VolunteerTags({ v }: { v: Pick<Volunteer, 'partyMember' | 'youthLeague' | 'skills'> }) {
  const { t } = useTranslation();
  return (
    <Space size={[0, 4]} wrap>
      {v.partyMember && <Tag color="red">{t('volunteers.tags.party_member')}</Tag>}
      {v.youthLeague && <Tag color="blue">{t('volunteers.tags.youth_league')}</Tag>}
      {v.skills.map((s) => (
        <Tag key={s}>{s}</Tag>
      ))}
    </Space>
  );
}

/** 志愿服务: the pool, posts and their shifts, requests to the pool, hours served and who is on shift now. */
export default function VolunteersPage() {
  const { t } = useTranslation();
  const { unit } = useScope();
  const [tab, setTab] = useTabParam(TABS);
  return (
    <>
      <PageHeader title={t('volunteers.title')} subtitle={unit ? t('volunteers.subtitle', { unit: unit.name }) : undefined} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'pool', label: <span data-testid="volunteers-tab-pool">{t('volunteers.tabs.pool')}</span>, children: <PoolTab /> },
          { key: 'posts', label: <span data-testid="volunteers-tab-posts">{t('volunteers.tabs.posts')}</span>, children: <PostsTab /> },
          { key: 'requests', label: <span data-testid="volunteers-tab-requests">{t('volunteers.tabs.requests')}</span>, children: <RequestsTab /> },
          { key: 'hours', label: <span data-testid="volunteers-tab-hours">{t('volunteers.tabs.hours')}</span>, children: <HoursTab /> },
        ]}
      />
    </>
  );
}

interface AddValues {
  personId: number;
  partyMember?: boolean;
  youthLeague?: boolean;
  skills?: string[];
  availability?: string;
  consentNote: string;
}

/** 志愿者库: the pool of the picked unit's subtree, filtered by tag and skill; add a person with consent noted; take one out. */
function PoolTab() {
  const { t } = useTranslation();
  const report = useReportError();
  const me = useMe();
  const { unitId } = useScope();
  const [tag, setTag] = useState<VolunteerTag | undefined>();
  const [skill, setSkill] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [left, setLeft] = useState(false);
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: Volunteer[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const confirm = useConfirmAction(refresh);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<AddValues>();

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [tag, skill, q, left, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listVolunteers({ unitId: unitId ?? undefined, tag, skill, q: q || undefined, left: left ? 'true' : undefined, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, tag, skill, q, left, paging, tick, report]);

  const columns: TableColumnsType<Volunteer> = [
    { title: t('volunteers.pool.name'), dataIndex: 'name', width: 120, render: (name: string, v) => <span data-testid={`volunteer-row-${v.id}`}>{name}</span> },
    { title: t('volunteers.pool.unit'), dataIndex: 'unitName', width: 150, ellipsis: true },
    { title: t('volunteers.pool.tags'), key: 'tags', render: (_, v) => <VolunteerTags v={v} /> },
    { title: t('volunteers.pool.availability'), dataIndex: 'availability', width: 180, ellipsis: true },
    { title: t('volunteers.pool.source'), key: 'source', width: 160, ellipsis: true, render: (_, v) => (v.selfSignedUp ? t('volunteers.pool.self') : v.consentNote) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, v) =>
        v.abilities.leave && (
          <Button type="link" size="small" danger onClick={() => confirm(t('volunteers.pool.removeConfirm', { name: v.name }), true, () => removeVolunteer(v.id), t('volunteers.pool.removed'))}>
            {t('volunteers.pool.remove')}
          </Button>
        ),
    },
  ];

  return (
    <Card size="small">
      <Flex gap={8} wrap style={{ marginBottom: 12 }} align="center">
        <Select allowClear placeholder={t('volunteers.pool.tag')} style={{ width: 120 }} value={tag} onChange={setTag} options={(['party_member', 'youth_league'] as const).map((k) => ({ value: k, label: t(`volunteers.tags.${k}`) }))} data-testid="pool-tag" />
        <Select allowClear showSearch placeholder={t('volunteers.pool.skill')} style={{ width: 140 }} value={skill} onChange={setSkill} options={SUGGESTED_SKILLS.map((s) => ({ value: s, label: s }))} data-testid="pool-skill" />
        <Input.Search allowClear placeholder={t('volunteers.pool.search')} style={{ width: 180 }} onSearch={setQ} />
        <Space>
          <Switch size="small" checked={left} onChange={setLeft} />
          <Typography.Text>{t('volunteers.pool.showLeft')}</Typography.Text>
        </Space>
        {me.permissions.includes('volunteers.write') && (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} style={{ marginLeft: 'auto' }} data-testid="pool-add">
            {t('volunteers.pool.add')}
          </Button>
        )}
      </Flex>
      <Table<Volunteer> rowKey="id" size="small" loading={loading} columns={columns} dataSource={data.items} pagination={serverPagination(paging, setPaging, data.total, t)} data-testid="pool-table" />
      <FormModal<AddValues>
        title={t('volunteers.pool.add')}
        open={adding}
        form={form}
        onCancel={() => setAdding(false)}
        onSubmit={async (v) => {
          try {
            await addVolunteer({ personId: v.personId, partyMember: !!v.partyMember, youthLeague: !!v.youthLeague, skills: v.skills ?? [], consentNote: v.consentNote, ...(v.availability ? { availability: v.availability } : {}) });
            setAdding(false);
            refresh();
          } catch (e) {
            report(e, { instance: form, fields: ['personId', 'skills', 'availability', 'consentNote'] });
            throw e;
          }
        }}
      >
        <Form.Item name="personId" label={t('volunteers.pool.person')} rules={[{ required: true }]}>
          <PersonSelect unitId={unitId ?? undefined} />
        </Form.Item>
        <Space>
          <Form.Item name="partyMember" valuePropName="checked" label={t('volunteers.tags.party_member')}>
            <Switch />
          </Form.Item>
          <Form.Item name="youthLeague" valuePropName="checked" label={t('volunteers.tags.youth_league')}>
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item name="skills" label={t('volunteers.pool.skills')}>
          <Select mode="tags" options={SUGGESTED_SKILLS.map((s) => ({ value: s, label: s }))} />
        </Form.Item>
        <Form.Item name="availability" label={t('volunteers.pool.availability')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="consentNote" label={t('volunteers.pool.consentNote')} rules={[{ required: true }]} extra={t('volunteers.pool.consentHint')}>
          <Input maxLength={200} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
