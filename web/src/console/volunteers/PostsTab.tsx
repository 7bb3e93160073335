import { useCallback, useEffect, useState, type HTMLAttributes, type ReactNode } from 'react';
import { Alert, Badge, Button, Card, Flex, Form, Input, InputNumber, Modal as ModalLazy, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { listPlaces, type Place } from '../../api/places';
import {
  assign,
  createPost,
  createRequest,
  generateShifts,
  listPosts,
  listRequests,
  listVolunteers,
  POST_KINDS,
  shiftGrid,
  SUGGESTED_SKILLS,
  unassign,
  type Post,
  type PostKind,
  type Shift,
  type ShiftGrid,
  type Volunteer,
  type VolunteerRequest,
  type VolunteerTag,
} from '../../api/volunteers';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { serverPagination } from '../../components/serverPagination';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { useFormatShort } from '../directives/bits';
import { VolunteerTags } from './VolunteersPage';

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const dayRule = { pattern: DAY_RE, message: 'YYYY-MM-DD' };

/** 岗位排班: posts of the picked subtree; a post's shift grid with assignees, short shifts and gaps in red; assign from the pool. */
export function PostsTab() {
  const { t } = useTranslation();
  const report = useReportError();
  const me = useMe();
  const { unitId, unit } = useScope();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<{ items: Post[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const [selected, setSelected] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [asking, setAsking] = useState<Post | null>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    listPosts({ unitId: unitId ?? undefined, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, paging, tick, report]);

  const columns: TableColumnsType<Post> = [
    {
      title: t('volunteers.posts.title'),
      key: 'title',
      width: 200,
      render: (_, p) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setSelected(p.id)} data-testid={`post-open-${p.id}`}>
          {p.title}
        </Button>
      ),
    },
    { title: t('volunteers.posts.kind'), key: 'kind', width: 110, render: (_, p) => <Tag>{t(`volunteers.kinds.${p.kind}`)}</Tag> },
    { title: t('volunteers.posts.unit'), dataIndex: 'unitName', width: 140, ellipsis: true },
    { title: t('volunteers.posts.place'), dataIndex: 'placeName', width: 140, ellipsis: true },
    { title: t('volunteers.posts.needed'), dataIndex: 'needed', width: 90, align: 'center' },
    { title: t('volunteers.posts.days'), key: 'days', width: 190, render: (_, p) => `${p.activeFrom} ~ ${p.activeTo}` },
    {
      title: t('volunteers.posts.short'),
      key: 'short',
      width: 90,
      align: 'center',
      render: (_, p) => (p.shortShifts > 0 ? <Badge count={p.shortShifts} data-testid={`post-short-${p.id}`} /> : <Typography.Text type="secondary">0</Typography.Text>),
    },
    { title: t('volunteers.posts.openRequests'), dataIndex: 'openRequests', width: 90, align: 'center' },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, p) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setSelected(p.id)}>
            {t('volunteers.posts.shifts')}
          </Button>
          {p.abilities.ask && (
            <Button type="link" size="small" onClick={() => setAsking(p)} data-testid={`post-ask-${p.id}`}>
              {t('volunteers.posts.ask')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Card size="small">
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          {me.permissions.includes('volunteers.write') && unitId !== null && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="post-new">
              {t('volunteers.posts.new', { unit: unit?.name ?? '' })}
            </Button>
          )}
        </Flex>
        <Table<Post> rowKey="id" size="small" loading={loading} columns={columns} dataSource={data.items} pagination={serverPagination(paging, setPaging, data.total, t)} data-testid="posts-table" />
      </Card>
      {selected !== null && <PostGrid key={`${selected}-${tick}`} postId={selected} onChanged={refresh} />}
      {creating && unitId !== null && (
        <NewPostModal
          unitId={unitId}
          onClose={(made) => {
            setCreating(false);
            if (made) {
              refresh();
              setSelected(made.id);
            }
          }}
        />
      )}
      {asking && (
        <AskModal
          post={asking}
          onClose={(done) => {
            setAsking(null);
            if (done) refresh();
          }}
        />
      )}
    </>
  );
}

interface PostValues {
  title: string;
  kind: PostKind;
  placeId?: number;
  needed: number;
  activeFrom: string;
  activeTo: string;
  note?: string;
}

function NewPostModal({ unitId, onClose }: { unitId: number; onClose: (made: Post | null) => void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const me = useMe();
  const [form] = Form.useForm<PostValues>();
  const [places, setPlaces] = useState<Place[]>([]);
  useEffect(() => {
    if (!me.permissions.includes('places.read')) return;
    listPlaces({ unitId, pageSize: 200 }).then((r) => setPlaces(r.items), () => setPlaces([]));
  }, [unitId, me.permissions]);
  return (
    <FormModal<PostValues>
      title={t('volunteers.posts.newTitle')}
      open
      form={form}
      initialValues={{ kind: 'checkpoint', needed: 2 }}
      onCancel={() => onClose(null)}
      submitTestId="post-submit"
      onSubmit={async (v) => {
        try {
          onClose(await createPost({ unitId, title: v.title, kind: v.kind, needed: v.needed, activeFrom: v.activeFrom, activeTo: v.activeTo, ...(v.placeId ? { placeId: v.placeId } : {}), ...(v.note ? { note: v.note } : {}) }));
        } catch (e) {
          report(e, { instance: form, fields: ['title', 'kind', 'placeId', 'needed', 'activeFrom', 'activeTo', 'note'] });
          throw e;
        }
      }}
    >
      <Form.Item name="title" label={t('volunteers.posts.title')} rules={[{ required: true }]}>
        <Input maxLength={200} data-testid="post-title" />
      </Form.Item>
      <Form.Item name="kind" label={t('volunteers.posts.kind')} rules={[{ required: true }]}>
        <Select options={POST_KINDS.map((k) => ({ value: k, label: t(`volunteers.kinds.${k}`) }))} />
      </Form.Item>
      <Form.Item name="placeId" label={t('volunteers.posts.place')}>
        <Select allowClear options={places.map((p) => ({ value: p.id, label: p.name }))} />
      </Form.Item>
      <Form.Item name="needed" label={t('volunteers.posts.needed')} rules={[{ required: true }]}>
        <InputNumber min={1} max={50} data-testid="post-needed" />
      </Form.Item>
      <Space>
        <Form.Item name="activeFrom" label={t('volunteers.posts.from')} rules={[{ required: true }, dayRule]}>
          <Input type="date" data-testid="post-from" />
        </Form.Item>
        <Form.Item name="activeTo" label={t('volunteers.posts.to')} rules={[{ required: true }, dayRule]}>
          <Input type="date" data-testid="post-to" />
        </Form.Item>
      </Space>
      <Form.Item name="note" label={t('volunteers.posts.note')}>
        <Input.TextArea maxLength={1000} rows={2} />
      </Form.Item>
    </FormModal>
  );
}

interface AskValues {
  count: number;
  from: string;
  to: string;
  note?: string;
}

/** datetime-local text in the browser's zone ↔ epoch ms. */
const toMs = (s: string) => new Date(s).getTime();

function AskModal({ post, onClose }: { post: Post; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<AskValues>();
  return (
    <FormModal<AskValues>
      title={t('volunteers.requests.askTitle', { post: post.title })}
      open
      form={form}
      initialValues={{ count: post.needed }}
      onCancel={() => onClose(false)}
      submitTestId="ask-submit"
      onSubmit={async (v) => {
        try {
          await createRequest({ postId: post.id, count: v.count, from: toMs(v.from), to: toMs(v.to), ...(v.note ? { note: v.note } : {}) });
          onClose(true);
        } catch (e) {
          report(e, { instance: form, fields: ['count', 'from', 'to', 'note'] });
          throw e;
        }
      }}
    >
      <Form.Item name="count" label={t('volunteers.requests.count')} rules={[{ required: true }]}>
        <InputNumber min={1} max={200} data-testid="ask-count" />
      </Form.Item>
      <Space>
        <Form.Item name="from" label={t('volunteers.requests.from')} rules={[{ required: true }]}>
          <Input type="datetime-local" data-testid="ask-from" />
        </Form.Item>
        <Form.Item name="to" label={t('volunteers.requests.to')} rules={[{ required: true }]}>
          <Input type="datetime-local" data-testid="ask-to" />
        </Form.Item>
      </Space>
      <Form.Item name="note" label={t('volunteers.requests.note')}>
        <Input.TextArea maxLength={1000} rows={2} data-testid="ask-note" />
      </Form.Item>
    </FormModal>
  );
}

interface GenerateValues {
  from: string;
  to: string;
  startHour: number;
  shiftHours: number;
  hoursPerDay: number;
  needed?: number;
}

/** One post's shift grid: gaps in red, each shift's people, assign and unassign. */
function PostGrid({ postId, onChanged }: { postId: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const formatShort = useFormatShort();
  const [grid, setGrid] = useState<ShiftGrid | null>(null);
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const [generating, setGenerating] = useState(false);
  const [assigning, setAssigning] = useState<Shift | null>(null);
  const [genForm] = Form.useForm<GenerateValues>();

  useEffect(() => {
    let live = true;
    shiftGrid(postId, range).then((g) => live && setGrid(g), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [postId, range, tick, report]);

  if (!grid) return null;
  const post = grid.post;
  const columns: TableColumnsType<Shift> = [
    { title: t('volunteers.grid.time'), key: 'time', width: 220, render: (_, s) => `${formatShort(s.startsAt)} – ${formatShort(s.endsAt)}` },
    {
      title: t('volunteers.grid.people'),
      key: 'people',
      render: (_, s) => (
        <Space size={[0, 4]} wrap>
          {s.assignees.map((a) => (
            <Tag
              key={a.volunteerId}
              color={a.partyMember ? 'red' : a.youthLeague ? 'blue' : undefined}
              closable={post.abilities.edit}
              onClose={(e) => {
                e.preventDefault();
                unassign(s.id, a.volunteerId).then(() => {
                  reload();
                  onChanged();
                }, report);
              }}
            >
              {a.name}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('volunteers.grid.staffed'),
      key: 'staffed',
      width: 120,
      render: (_, s) =>
        s.short ? (
          <Tag color="red" data-testid={`shift-short-${s.id}`}>
            {t('volunteers.grid.shortBy', { n: s.needed - s.assignees.length })}
          </Tag>
        ) : (
          <Tag color="green" data-testid={`shift-full-${s.id}`}>{`${s.assignees.length}/${s.needed}`}</Tag>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, s) =>
        s.short && (
          <Button type="link" size="small" onClick={() => setAssigning(s)} data-testid={`shift-assign-${s.id}`}>
            {t('volunteers.grid.assign')}
          </Button>
        ),
    },
  ];

  return (
    <Card
      size="small"
      style={{ marginTop: 16 }}
      title={`${post.title} · ${post.unitName}${post.placeName ? ` · ${post.placeName}` : ''}`}
      extra={
        <Space>
          <Input type="date" size="small" defaultValue={range.from ?? post.activeFrom} onChange={(e) => DAY_RE.test(e.target.value) && setRange((r) => ({ ...r, from: e.target.value }))} />
          <Input type="date" size="small" defaultValue={range.to} onChange={(e) => DAY_RE.test(e.target.value) && setRange((r) => ({ ...r, to: e.target.value }))} />
          {post.abilities.edit && (
            <Button size="small" onClick={() => setGenerating(true)} data-testid="grid-generate">
              {t('volunteers.grid.generate')}
            </Button>
          )}
        </Space>
      }
      data-testid={`post-grid-${post.id}`}
    >
      {grid.gaps.length > 0 ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="grid-gaps"
          message={t('volunteers.grid.gaps', { n: grid.gaps.length })}
          description={grid.gaps.map((g) => `${formatShort(g.startsAt)} – ${formatShort(g.endsAt)}`).join('；')}
        />
      ) : (
        grid.shifts.length > 0 && <Alert type="success" showIcon style={{ marginBottom: 12 }} data-testid="grid-covered" message={t('volunteers.grid.covered')} />
      )}
      <Table<Shift> rowKey="id" size="small" columns={columns} dataSource={grid.shifts} pagination={false} rowClassName={(s) => (s.short ? 'volunteer-shift-short' : '')} data-testid="grid-table" onRow={(s) => ({ 'data-testid': `shift-row-${s.id}` }) as HTMLAttributes<HTMLElement>} />
      <FormModal<GenerateValues>
        title={t('volunteers.grid.generate')}
        open={generating}
        form={genForm}
        initialValues={{ from: post.activeFrom, to: post.activeFrom, startHour: 8, shiftHours: 4, hoursPerDay: 12 }}
        onCancel={() => setGenerating(false)}
        submitTestId="generate-submit"
        onSubmit={async (v) => {
          try {
            await generateShifts(post.id, { from: v.from, to: v.to, startHour: v.startHour, shiftHours: v.shiftHours, hoursPerDay: v.hoursPerDay, ...(v.needed ? { needed: v.needed } : {}) });
            setGenerating(false);
            reload();
            onChanged();
          } catch (e) {
            report(e, { instance: genForm, fields: ['from', 'to', 'startHour', 'shiftHours', 'hoursPerDay', 'needed'] });
            throw e;
          }
        }}
      >
        <Space>
          <Form.Item name="from" label={t('volunteers.posts.from')} rules={[{ required: true }, dayRule]}>
            <Input type="date" data-testid="generate-from" />
          </Form.Item>
          <Form.Item name="to" label={t('volunteers.posts.to')} rules={[{ required: true }, dayRule]}>
            <Input type="date" data-testid="generate-to" />
          </Form.Item>
        </Space>
        <Space>
          <Form.Item name="startHour" label={t('volunteers.grid.startHour')}>
            <InputNumber min={0} max={23} />
          </Form.Item>
          <Form.Item name="shiftHours" label={t('volunteers.grid.shiftHours')}>
            <Select style={{ width: 90 }} options={[2, 3, 4, 6, 8, 12, 24].map((h) => ({ value: h, label: `${h}h` }))} />
          </Form.Item>
          <Form.Item name="hoursPerDay" label={t('volunteers.grid.hoursPerDay')}>
            <InputNumber min={1} max={24} />
          </Form.Item>
          <Form.Item name="needed" label={t('volunteers.posts.needed')}>
            <InputNumber min={1} max={50} placeholder={String(post.needed)} />
          </Form.Item>
        </Space>
      </FormModal>
      {assigning && (
        <AssignModal
          post={post}
          shift={assigning}
          onClose={(done) => {
            setAssigning(null);
            if (done) {
              reload();
              onChanged();
            }
          }}
        />
      )}
    </Card>
  );
}

/** Pick a volunteer from the pool (filtered by tag and skill), optionally answering an open request of the post. */
export function AssignModal({ post, shift, requestId, onClose }: { post: Post; shift: Shift; requestId?: number; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const formatShort = useFormatShort();
  const [tag, setTag] = useState<VolunteerTag | undefined>();
  const [skill, setSkill] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [pool, setPool] = useState<Volunteer[]>([]);
  const [requests, setRequests] = useState<VolunteerRequest[]>([]);
  const [picked, setPicked] = useState<number | undefined>();
  const [answering, setAnswering] = useState<number | undefined>(requestId);
  const [busy, setBusy] = useState(false);
  const taken = new Set(shift.assignees.map((a) => a.volunteerId));

  useEffect(() => {
    let live = true;
    listVolunteers({ tag, skill, q: q || undefined, pageSize: 100 }).then((r) => live && setPool(r.items), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [tag, skill, q, report]);
  useEffect(() => {
    listRequests({ unitId: post.unitId, pageSize: 100 }).then(
      (r) => setRequests(r.items.filter((x) => x.postId === post.id && x.abilities.answer && x.from < shift.endsAt && x.to > shift.startsAt)),
      () => setRequests([]),
    );
  }, [post.unitId, post.id, shift.startsAt, shift.endsAt]);

  const submit = async () => {
    if (picked === undefined) return;
    setBusy(true);
    try {
      await assign(shift.id, { volunteerId: picked, ...(answering !== undefined ? { requestId: answering } : {}) });
      onClose(true);
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormModalShell title={t('volunteers.grid.assignTitle', { time: `${formatShort(shift.startsAt)} – ${formatShort(shift.endsAt)}` })} onCancel={() => onClose(false)} onOk={() => void submit()} busy={busy} okDisabled={picked === undefined}>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={t('volunteers.pool.tag')} style={{ width: 110 }} value={tag} onChange={setTag} options={(['party_member', 'youth_league'] as const).map((k) => ({ value: k, label: t(`volunteers.tags.${k}`) }))} />
        <Select allowClear placeholder={t('volunteers.pool.skill')} style={{ width: 120 }} value={skill} onChange={setSkill} options={SUGGESTED_SKILLS.map((s) => ({ value: s, label: s }))} />
        <Input.Search allowClear placeholder={t('volunteers.pool.search')} style={{ width: 160 }} onSearch={setQ} data-testid="assign-search" />
      </Flex>
      <Table<Volunteer>
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ y: 280 }}
        dataSource={pool.filter((v) => !taken.has(v.id))}
        rowSelection={{ type: 'radio', selectedRowKeys: picked === undefined ? [] : [picked], onChange: (keys) => setPicked(keys[0] as number | undefined) }}
        onRow={(v) => ({ onClick: () => setPicked(v.id), 'data-testid': `assign-pick-${v.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('volunteers.pool.name'), dataIndex: 'name', width: 100 },
          { title: t('volunteers.pool.unit'), dataIndex: 'unitName', width: 120, ellipsis: true },
          { title: t('volunteers.pool.tags'), key: 'tags', render: (_, v) => <VolunteerTags v={v} /> },
        ]}
      />
      {requests.length > 0 && (
        <Flex gap={8} align="center" style={{ marginTop: 12 }}>
          <Typography.Text>{t('volunteers.grid.answering')}</Typography.Text>
          <Select
            allowClear
            style={{ minWidth: 260 }}
            value={answering}
            onChange={setAnswering}
            data-testid="assign-request"
            options={requests.map((r) => ({ value: r.id, label: `#${r.id} ${r.unitName} ${r.filled}/${r.count}` }))}
          />
        </Flex>
      )}
    </FormModalShell>
  );
}

/** A plain modal with OK/Cancel for the picker (it is a table, not a form). */
function FormModalShell({ title, onCancel, onOk, busy, okDisabled, children }: { title: string; onCancel: () => void; onOk: () => void; busy: boolean; okDisabled: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <ModalLazy title={title} open onCancel={onCancel} width={640} destroyOnHidden okText={t('volunteers.grid.assign')} onOk={onOk} okButtonProps={{ loading: busy, disabled: okDisabled, ...({ 'data-testid': 'assign-submit' } as object) }}>
      {children}
    </ModalLazy>
  );
}
