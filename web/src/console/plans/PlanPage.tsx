import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Breadcrumb, Button, Card, Form, Input, Modal, Result, Select, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { UNIT_KINDS } from '../../../../common/schemas/org.js';
import { ApiError } from '../../api/client';
import { INCIDENT_KINDS, INCIDENT_SEVERITIES, type IncidentKind, type IncidentSeverity } from '../../api/incidents';
import { archivePlan, createPlan, editPlan, getPlan, getPlanVersion, type PlanDetail, type PlanVersion } from '../../api/plans';
import { useReportError } from '../../components/apiErrors';
import { FullPageSpin } from '../../components/FullPageSpin';
import { useFormatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { UnitPicker } from '../../components/UnitPicker';
import { useConfirmAction } from '../../components/useConfirmAction';
import { useTabParam } from '../../components/useTabParam';
import { useScope } from '../../state/scope';
import { EvidenceTags } from '../directives/bits';
import { KindTag, SeverityTag } from '../incidents/bits';
import { DependsOn, relativeDeadline, VersionStateTag, whoLabel } from './bits';
import { DrillModal } from './DrillModal';
import { StepModal } from './StepModal';
import { moved, nextKey, toEdited, toInput, withoutStep, type EditedStep } from './steps';

type UnitKindValue = (typeof UNIT_KINDS)[number];
interface Head {
  unitId?: number;
  kind?: IncidentKind;
  title: string;
  description?: string;
  severities: IncidentSeverity[];
  requiredUnitKinds: UnitKindValue[];
}

const TABS = ['steps', 'versions'] as const;

/**
 * One plan in the editor (or a new one at /duty/plans/new): its title, severities and coverage rule,
 * the steps table, and saving — a new current version (the old one kept read-only) or the draft.
 * With ?draft=1 (from a review's "open changes") the draft is what is edited.
 */
export default function PlanPage() {
  const { t } = useTranslation();
  const param = useParams().id;
  const isNew = param === 'new';
  const id = Number(param);
  const [search] = useSearchParams();
  const report = useReportError();
  const [plan, setPlan] = useState<PlanDetail | null>(null);
  const [missing, setMissing] = useState(false);

  const load = useCallback(async () => {
    if (isNew) return;
    try {
      setPlan(await getPlan(id));
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 400)) setMissing(true);
      else report(e);
    }
  }, [id, isNew, report]);
  useEffect(() => {
    void load();
  }, [load]);

  if (missing) return <Result status="404" title={t('plans.editor.notFound')} extra={<Link to="/duty/plans">{t('plans.menu.plans')}</Link>} />;
  if (!isNew && !plan) return <FullPageSpin />;
  const editDraft = search.get('draft') === '1' && plan?.draft != null;
  return <Editor key={`${plan?.id ?? 'new'}-${plan?.current.version ?? 0}-${editDraft}`} plan={plan} editDraft={editDraft} onSaved={setPlan} />;
}

function Editor({ plan, editDraft, onSaved }: { plan: PlanDetail | null; editDraft: boolean; onSaved(p: PlanDetail): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const report = useReportError();
  const { unitId: scopeUnitId } = useScope();
  const [tab, setTab] = useTabParam(TABS);
  const [form] = Form.useForm<Head>();
  const source: PlanVersion | null = plan ? (editDraft && plan.draft ? plan.draft : plan.current) : null;
  const [steps, setSteps] = useState<EditedStep[]>(() => source?.steps.map(toEdited) ?? []);
  const [editing, setEditing] = useState<{ step: EditedStep; index: number | null } | null>(null);
  const [busy, setBusy] = useState<'publish' | 'draft' | null>(null);
  const [drilling, setDrilling] = useState(false);
  const [viewing, setViewing] = useState<PlanVersion | null>(null);
  const confirm = useConfirmAction(async () => plan && onSaved(await getPlan(plan.id)));
  const canEdit = plan ? plan.abilities.edit && plan.archivedAt === null : true;
  const titles = useMemo(() => new Map(steps.map((s) => [s.key, s.title])), [steps]);

  const save = async (asDraft: boolean) => {
    let head: Head;
    try {
      head = await form.validateFields();
    } catch {
      return;
    }
    if (steps.length === 0) {
      void message.error(t('plans.editor.noSteps'));
      return;
    }
    setBusy(asDraft ? 'draft' : 'publish');
    const content = {
      title: head.title,
      ...(head.description?.trim() ? { description: head.description.trim() } : {}),
      severities: head.severities,
      requiredUnitKinds: head.requiredUnitKinds ?? [],
      steps: steps.map(toInput),
    };
    try {
      if (plan) {
        const saved = await editPlan(plan.id, { ...content, asDraft });
        void message.success(asDraft ? t('plans.editor.draftSaved') : t('plans.editor.published', { v: saved.current.version }));
        onSaved(saved);
        if (!asDraft) navigate(`/duty/plans/${saved.id}`, { replace: true });
      } else {
        const created = await createPlan({ ...content, unitId: head.unitId!, kind: head.kind! });
        void message.success(t('plans.editor.created'));
        navigate(`/duty/plans/${created.id}`, { replace: true });
      }
    } catch (e) {
      report(e, { instance: form, fields: ['unitId', 'kind', 'title', 'description', 'severities', 'requiredUnitKinds'] });
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<EditedStep> = [
    { title: '#', key: 'n', width: 44, render: (_, __, i) => i + 1 },
    {
      title: t('plans.steps.what'),
      key: 'title',
      render: (_, s) => (
        <div>
          <Typography.Text strong>{s.title}</Typography.Text>
          {s.instructions && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {s.instructions}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    { title: t('plans.steps.who'), key: 'who', width: 170, render: (_, s) => whoLabel(t, { role: s.role, levelsUp: s.levelsUp ?? 0, personName: s.personName }) },
    { title: t('plans.steps.deadline'), key: 'deadline', width: 150, render: (_, s) => <span data-testid={`step-deadline-${s.key}`}>{relativeDeadline(t, s.deadlineMinutes)}</span> },
    { title: t('plans.steps.evidence'), key: 'evidence', width: 130, render: (_, s) => <EvidenceTags kinds={s.evidence ?? []} /> },
    { title: t('plans.steps.dependsOn'), key: 'dependsOn', width: 150, render: (_, s) => <DependsOn keys={s.dependsOn ?? []} titles={titles} /> },
    { title: t('plans.steps.action'), key: 'action', width: 120, render: (_, s) => (s.action ? <Tag color="blue">{t(`plans.actions.${s.action.kind}`)}</Tag> : '—') },
  ];
  if (canEdit) {
    columns.push({
      title: t('common.actions'),
      key: 'ops',
      width: 190,
      render: (_, s, i) => (
        <Space size={0}>
          <Button type="link" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => setSteps((all) => moved(all, i, -1))} aria-label={t('plans.steps.up')} />
          <Button type="link" size="small" icon={<ArrowDownOutlined />} disabled={i === steps.length - 1} onClick={() => setSteps((all) => moved(all, i, 1))} aria-label={t('plans.steps.down')} />
          <Button type="link" size="small" onClick={() => setEditing({ step: s, index: i })} data-testid={`step-edit-${s.key}`}>
            {t('common.edit')}
          </Button>
          <Button type="link" size="small" danger onClick={() => setSteps((all) => withoutStep(all, s.key))} data-testid={`step-remove-${s.key}`}>
            {t('common.delete')}
          </Button>
        </Space>
      ),
    });
  }

  const header = plan ? (
    <Space size={4} wrap>
      <Typography.Text type="secondary">{plan.unitName}</Typography.Text>
      <KindTag kind={plan.kind} />
      <Tag data-testid="plan-version">{t('plans.list.versionN', { v: plan.current.version })}</Tag>
      {editDraft && <Tag color="gold">{t('plans.editor.editingDraft', { v: plan.draft!.version })}</Tag>}
      {plan.archivedAt !== null && <Tag>{t('plans.list.archived')}</Tag>}
    </Space>
  ) : undefined;

  return (
    <div data-testid="plan-page">
      <PageHeader
        breadcrumb={<Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/duty/plans">{t('plans.menu.plans')}</Link> }, { title: plan?.title ?? t('plans.list.new') }]} />}
        title={plan?.title ?? t('plans.list.new')}
        subtitle={header}
        extra={
          plan && (
            <>
              {plan.abilities.drill && plan.archivedAt === null && (
                <Button onClick={() => setDrilling(true)} data-testid="plan-page-drill">
                  {t('plans.drill.run')}
                </Button>
              )}
              {plan.abilities.archive && plan.archivedAt === null && (
                <Button danger onClick={() => confirm(t('plans.list.archiveConfirm', { title: plan.title }), true, () => archivePlan(plan.id), t('plans.list.archivedDone'))} data-testid="plan-page-archive">
                  {t('plans.list.archive')}
                </Button>
              )}
            </>
          )
        }
      />
      {plan?.draft && !editDraft && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('plans.editor.hasDraft', { v: plan.draft.version })}
          action={
            <Link to={`/duty/plans/${plan.id}?draft=1`} data-testid="plan-open-draft">
              {t('plans.editor.openDraft')}
            </Link>
          }
        />
      )}
      <Tabs
        activeKey={plan ? tab : 'steps'}
        onChange={setTab}
        items={[
          {
            key: 'steps',
            label: <span data-testid="plan-tab-steps">{t('plans.editor.tab')}</span>,
            children: (
              <>
                <Card size="small" style={{ marginBottom: 16 }}>
                  <Form<Head>
                    form={form}
                    layout="vertical"
                    disabled={!canEdit}
                    initialValues={{
                      unitId: plan?.unitId ?? scopeUnitId ?? undefined,
                      kind: plan?.kind ?? 'positive_test',
                      title: source?.title ?? '',
                      description: source?.description ?? '',
                      severities: source?.severities ?? ['general', 'serious'],
                      requiredUnitKinds: source?.requiredUnitKinds ?? [],
                    }}
                  >
                    <Space align="start" wrap>
                      {!plan && (
                        <>
                          <Form.Item name="unitId" label={t('plans.list.unit')} rules={[{ required: true }]}>
                            <UnitPicker style={{ width: 260 }} data-testid="plan-unit" />
                          </Form.Item>
                          <Form.Item name="kind" label={t('plans.list.kind')} rules={[{ required: true }]}>
                            <Select<IncidentKind> style={{ width: 160 }} options={INCIDENT_KINDS.map((k) => ({ value: k, label: t(`incidents.kinds.${k}`) }))} data-testid="plan-kind" />
                          </Form.Item>
                        </>
                      )}
                      <Form.Item name="title" label={t('plans.editor.title')} rules={[{ required: true, whitespace: true }]}>
                        <Input style={{ width: 360 }} maxLength={200} data-testid="plan-title" />
                      </Form.Item>
                    </Space>
                    <Space align="start" wrap>
                      <Form.Item name="severities" label={t('plans.list.severities')} rules={[{ required: true, type: 'array', min: 1 }]}>
                        <Select<IncidentSeverity[]> mode="multiple" style={{ width: 360 }} options={INCIDENT_SEVERITIES.map((s) => ({ value: s, label: t(`incidents.severities.${s}`) }))} data-testid="plan-severities" />
                      </Form.Item>
                      <Form.Item name="requiredUnitKinds" label={t('plans.editor.requiredUnitKinds')} extra={t('plans.editor.requiredUnitKindsHelp')}>
                        <Select<UnitKindValue[]> mode="multiple" allowClear style={{ width: 300 }} options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKinds.${k}`) }))} data-testid="plan-required-kinds" />
                      </Form.Item>
                    </Space>
                    <Form.Item name="description" label={t('plans.editor.description')}>
                      <Input.TextArea rows={2} maxLength={5000} data-testid="plan-description" />
                    </Form.Item>
                  </Form>
                </Card>
                <Card
                  size="small"
                  title={t('plans.steps.title', { n: steps.length })}
                  extra={
                    canEdit && (
                      <Button
                        icon={<PlusOutlined />}
                        onClick={() => setEditing({ step: { key: nextKey(steps), title: '', role: 'unit_head', levelsUp: 0, deadlineMinutes: 120, evidence: ['report'], dependsOn: [] }, index: null })}
                        data-testid="step-add"
                      >
                        {t('plans.steps.add')}
                      </Button>
                    )
                  }
                >
                  <Table<EditedStep>
                    rowKey="key"
                    size="small"
                    pagination={false}
                    columns={columns}
                    dataSource={steps}
                    scroll={{ x: 1100 }}
                    onRow={(s) => ({ 'data-testid': `step-row-${s.key}` }) as React.HTMLAttributes<HTMLElement>}
                    locale={{ emptyText: <Typography.Text type="secondary">{t('plans.steps.empty')}</Typography.Text> }}
                  />
                  {canEdit && (
                    <Space style={{ marginTop: 16 }}>
                      <Button type="primary" loading={busy === 'publish'} disabled={busy !== null} onClick={() => void save(false)} data-testid="plan-save">
                        {plan ? t('plans.editor.saveVersion') : t('plans.editor.create')}
                      </Button>
                      {plan && (
                        <Button loading={busy === 'draft'} disabled={busy !== null} onClick={() => void save(true)} data-testid="plan-save-draft">
                          {t('plans.editor.saveDraft')}
                        </Button>
                      )}
                      <Typography.Text type="secondary">{plan ? t('plans.editor.saveHelp') : null}</Typography.Text>
                    </Space>
                  )}
                </Card>
              </>
            ),
          },
          ...(plan
            ? [
                {
                  key: 'versions',
                  label: <span data-testid="plan-tab-versions">{t('plans.versions.tab', { n: plan.versions.length })}</span>,
                  children: <Versions plan={plan} onView={setViewing} />,
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <StepModal
          step={editing.step}
          others={steps.filter((s) => s.key !== editing.step.key)}
          onClose={() => setEditing(null)}
          onSave={(s) => {
            setSteps((all) => (editing.index === null ? [...all, s] : all.map((x, i) => (i === editing.index ? s : x))));
            setEditing(null);
          }}
        />
      )}
      {drilling && plan && <DrillModal plan={plan} onClose={() => setDrilling(false)} />}
      {viewing && <VersionView version={viewing} onClose={() => setViewing(null)} />}
    </div>
  );
}

/** Every version with who made it and when; any can be opened read-only. */
function Versions({ plan, onView }: { plan: PlanDetail; onView(v: PlanVersion): void }) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const report = useReportError();
  // Who made a version is on the version itself: the current and the draft are at hand, others are fetched when opened.
  const known = new Map([plan.current, plan.draft].filter((v): v is PlanVersion => v !== null).map((v) => [v.version, v]));
  const open = async (version: number) => {
    try {
      onView(known.get(version) ?? (await getPlanVersion(plan.id, version)));
    } catch (e) {
      report(e);
    }
  };
  return (
    <Card size="small">
      <Table
        rowKey="version"
        size="small"
        pagination={false}
        dataSource={[...plan.versions].sort((a, b) => b.version - a.version)}
        onRow={(v) => ({ 'data-testid': `version-row-${v.version}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('plans.list.version'), key: 'v', width: 90, render: (_, v) => t('plans.list.versionN', { v: v.version }) },
          { title: t('plans.versions.state'), key: 'state', width: 100, render: (_, v) => <VersionStateTag state={v.state} /> },
          { title: t('plans.versions.createdBy'), key: 'by', render: (_, v) => known.get(v.version)?.createdByName ?? '—' },
          { title: t('plans.versions.createdAt'), key: 'at', width: 170, render: (_, v) => formatTime(v.createdAt) },
          { title: t('plans.versions.publishedAt'), key: 'pub', width: 170, render: (_, v) => (v.publishedAt === null ? '—' : formatTime(v.publishedAt)) },
          { title: t('plans.versions.fromReview'), key: 'review', width: 100, render: (_, v) => (v.reviewId === null ? '—' : <Tag>{`#${v.reviewId}`}</Tag>) },
          {
            title: t('common.actions'),
            key: 'ops',
            width: 90,
            render: (_, v) => (
              <Button type="link" size="small" onClick={() => void open(v.version)} data-testid={`version-view-${v.version}`}>
                {t('plans.versions.view')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** One version as it was, read-only. */
function VersionView({ version, onClose }: { version: PlanVersion; onClose(): void }) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const titles = new Map(version.steps.map((s) => [s.key, s.title]));
  return (
    <Modal open title={`${version.title} · ${t('plans.list.versionN', { v: version.version })}`} onCancel={onClose} footer={null} width={900} data-testid="version-view">
      <Space size={4} wrap style={{ marginBottom: 12 }}>
        <VersionStateTag state={version.state} />
        {version.severities.map((s) => (
          <SeverityTag key={s} severity={s} />
        ))}
        <Typography.Text type="secondary">{`${version.createdByName ?? '—'} · ${formatTime(version.createdAt)}`}</Typography.Text>
      </Space>
      {version.description && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{version.description}</Typography.Paragraph>}
      <Table
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={version.steps}
        columns={[
          { title: t('plans.steps.what'), dataIndex: 'title' },
          { title: t('plans.steps.who'), key: 'who', width: 170, render: (_, s) => whoLabel(t, s) },
          { title: t('plans.steps.deadline'), key: 'deadline', width: 150, render: (_, s) => relativeDeadline(t, s.deadlineMinutes) },
          { title: t('plans.steps.evidence'), key: 'evidence', width: 130, render: (_, s) => <EvidenceTags kinds={s.evidence} /> },
          { title: t('plans.steps.dependsOn'), key: 'dependsOn', width: 150, render: (_, s) => <DependsOn keys={s.dependsOn} titles={titles} /> },
          { title: t('plans.steps.action'), key: 'action', width: 120, render: (_, s) => (s.action ? t(`plans.actions.${s.action.kind}`) : '—') },
        ]}
      />
    </Modal>
  );
}
