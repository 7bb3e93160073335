import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Flex, Select, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { INCIDENT_KINDS, type IncidentKind } from '../../api/incidents';
import { archivePlan, listPlans, planCoverage, type CoverageList, type Plan } from '../../api/plans';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useConfirmAction } from '../../components/useConfirmAction';
import { useTabParam } from '../../components/useTabParam';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { useFormatShort } from '../directives/bits';
import { KindTag, SeverityTag } from '../incidents/bits';
import { DrillModal } from './DrillModal';

const TABS = ['plans', 'coverage'] as const;

/** 应急预案: the plans of the picked unit's subtree, and the units that must have one and don't. */
export default function PlansPage() {
  const { t } = useTranslation();
  const { unit, unitId } = useScope();
  const [tab, setTab] = useTabParam(TABS);
  const [coverage, setCoverage] = useState<CoverageList | null>(null);
  const report = useReportError();

  useEffect(() => {
    let live = true;
    planCoverage(unitId ?? undefined).then((c) => live && setCoverage(c), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [unitId, report]);

  return (
    <>
      <PageHeader title={t('plans.list.title')} subtitle={unit ? t('plans.list.subtitle', { unit: unit.name }) : undefined} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'plans', label: <span data-testid="plans-tab-plans">{t('plans.list.tab')}</span>, children: <PlanList coverage={coverage} /> },
          {
            key: 'coverage',
            label: (
              <span data-testid="plans-tab-coverage">
                {t('plans.coverage.tab')}
                {coverage && coverage.total > 0 && <Tag color="red" style={{ marginInlineStart: 6 }}>{coverage.total}</Tag>}
              </span>
            ),
            children: <Coverage coverage={coverage} />,
          },
        ]}
      />
    </>
  );
}

function PlanList({ coverage }: { coverage: CoverageList | null }) {
  const { t } = useTranslation();
  const report = useReportError();
  const navigate = useNavigate();
  const me = useMe();
  const formatShort = useFormatShort();
  const { unitId } = useScope();
  const [kind, setKind] = useState<IncidentKind | undefined>();
  const [archived, setArchived] = useState(false);
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: Plan[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const confirm = useConfirmAction(refresh);
  const [drilling, setDrilling] = useState<Plan | null>(null);
  const canWrite = me.permissions.includes('plans.write');

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [kind, archived, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listPlans({ unitId: unitId ?? undefined, kind, archived: archived ? 'true' : undefined, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, kind, archived, paging, tick, report]);

  // The coverage warnings a plan's own rule raised: units below it that still need their own plan.
  const gapsOf = (p: Plan) => coverage?.items.filter((g) => g.planId === p.id).length ?? 0;

  const columns: TableColumnsType<Plan> = [
    {
      title: t('plans.list.plan'),
      key: 'title',
      render: (_, p) => (
        <Space size={4} wrap>
          <Link to={`/duty/plans/${p.id}`} data-testid={`plan-link-${p.id}`}>
            {p.title}
          </Link>
          {p.hasDraft && <Tag color="gold">{t('plans.versionStates.draft')}</Tag>}
          {p.archivedAt !== null && <Tag>{t('plans.list.archived')}</Tag>}
        </Space>
      ),
    },
    { title: t('plans.list.unit'), dataIndex: 'unitName', width: 170, ellipsis: true },
    { title: t('plans.list.kind'), key: 'kind', width: 110, render: (_, p) => <KindTag kind={p.kind} /> },
    {
      title: t('plans.list.severities'),
      key: 'severities',
      width: 220,
      render: (_, p) => (
        <Space size={2} wrap>
          {p.severities.map((s) => (
            <SeverityTag key={s} severity={s} />
          ))}
        </Space>
      ),
    },
    { title: t('plans.list.version'), key: 'version', width: 80, render: (_, p) => t('plans.list.versionN', { v: p.version }) },
    { title: t('plans.list.steps'), dataIndex: 'stepCount', width: 70, align: 'center' },
    {
      title: t('plans.list.coverage'),
      key: 'coverage',
      width: 120,
      render: (_, p) => {
        const n = gapsOf(p);
        return n > 0 ? (
          <Tag color="red" data-testid={`plan-gaps-${p.id}`}>
            {t('plans.list.gapsN', { n })}
          </Tag>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        );
      },
    },
    { title: t('plans.list.updatedAt'), key: 'updatedAt', width: 120, render: (_, p) => formatShort(p.updatedAt) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      render: (_, p) => (
        <Space size={0}>
          {p.abilities.drill && p.archivedAt === null && (
            <Button type="link" size="small" onClick={() => setDrilling(p)} data-testid={`plan-drill-${p.id}`}>
              {t('plans.drill.run')}
            </Button>
          )}
          {p.abilities.archive && p.archivedAt === null && (
            <Button
              type="link"
              size="small"
              danger
              onClick={() => confirm(t('plans.list.archiveConfirm', { title: p.title }), true, () => archivePlan(p.id), t('plans.list.archivedDone'))}
              data-testid={`plan-archive-${p.id}`}
            >
              {t('plans.list.archive')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card size="small">
      <Flex gap={12} wrap align="center" justify="space-between" style={{ marginBottom: 12 }}>
        <Flex gap={12} wrap align="center">
          <Select<IncidentKind>
            allowClear
            placeholder={t('plans.list.anyKind')}
            style={{ width: 160 }}
            value={kind}
            onChange={setKind}
            options={INCIDENT_KINDS.map((k) => ({ value: k, label: t(`incidents.kinds.${k}`) }))}
            data-testid="plans-kind"
          />
          <Checkbox checked={archived} onChange={(e) => setArchived(e.target.checked)} data-testid="plans-archived">
            {t('plans.list.showArchived')}
          </Checkbox>
        </Flex>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/duty/plans/new')} data-testid="plan-new">
            {t('plans.list.new')}
          </Button>
        )}
      </Flex>
      <Table<Plan>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data.items}
        pagination={serverPagination(paging, setPaging, data.total, t)}
        scroll={{ x: 1200 }}
        onRow={(p) => ({ 'data-testid': `plan-row-${p.id}` }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <Typography.Text type="secondary">{t('plans.list.empty')}</Typography.Text> }}
      />
      {drilling && <DrillModal plan={drilling} onClose={() => setDrilling(null)} />}
    </Card>
  );
}

function Coverage({ coverage }: { coverage: CoverageList | null }) {
  const { t } = useTranslation();
  if (!coverage) return null;
  return (
    <Card size="small">
      <Alert type={coverage.total > 0 ? 'warning' : 'success'} showIcon style={{ marginBottom: 12 }} message={coverage.total > 0 ? t('plans.coverage.missing', { n: coverage.total }) : t('plans.coverage.none')} />
      <Table
        rowKey={(g) => `${g.planId}-${g.unitId}`}
        size="small"
        dataSource={coverage.items}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(g) => ({ 'data-testid': `coverage-row-${g.unitId}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('plans.coverage.unit'), dataIndex: 'unitName' },
          { title: t('plans.coverage.unitKind'), key: 'unitKind', width: 100, render: (_, g) => t(`unitKinds.${g.unitKind}`) },
          { title: t('plans.list.kind'), key: 'kind', width: 110, render: (_, g) => <KindTag kind={g.kind} /> },
          {
            title: t('plans.coverage.requiredBy'),
            key: 'plan',
            render: (_, g) => (
              <Link to={`/duty/plans/${g.planId}`}>
                {g.planTitle} · {g.planUnitName}
              </Link>
            ),
          },
        ]}
      />
    </Card>
  );
}
