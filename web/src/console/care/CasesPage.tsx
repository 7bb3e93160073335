import { useEffect, useState } from 'react';
import { Button, Card, Checkbox, Flex, Input, Select, Table, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { CARE_KINDS, CARE_STATUSES as CASE_STATUSES, listCases, type CareCase, type CareKind, type CareStatus as CaseStatus } from '../../api/care';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { useFormatShort } from '../directives/bits';
import { CareKindTag, LastContact } from './bits';
import { OpenCaseModal } from './OpenCaseModal';

/** 关爱对象: the care cases of the picked unit's subtree, filtered by kind, status, officer and contact; open one by hand. */
export default function CasesPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const navigate = useNavigate();
  const me = useMe();
  const formatShort = useFormatShort();
  const { unitId, unit } = useScope();
  const [kind, setKind] = useState<CareKind | undefined>();
  const [status, setStatus] = useState<CaseStatus>('open');
  const [mine, setMine] = useState(false);
  const [uncontacted, setUncontacted] = useState(false);
  const [q, setQ] = useState('');
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: CareCase[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const canWrite = me.permissions.includes('care.write');

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [kind, status, mine, uncontacted, q, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listCases({ unitId: unitId ?? undefined, kind, status, mine: mine ? 'true' : undefined, uncontacted: uncontacted ? 'true' : undefined, q: q || undefined, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, kind, status, mine, uncontacted, q, paging, report]);

  const filtered = kind !== undefined || status !== 'open' || mine || uncontacted || q !== '';
  const columns: TableColumnsType<CareCase> = [
    {
      title: t('care.list.person'),
      key: 'person',
      width: 160,
      fixed: 'left',
      render: (_, c) => (
        <Link to={`/care/cases/${c.id}`} data-testid={`care-case-link-${c.id}`}>
          {c.personName}
        </Link>
      ),
    },
    { title: t('care.list.kind'), key: 'kind', width: 120, render: (_, c) => <CareKindTag kind={c.kind} /> },
    { title: t('care.list.unit'), dataIndex: 'unitName', width: 150, ellipsis: true },
    { title: t('care.list.period'), key: 'period', width: 190, render: (_, c) => `${c.startsOn} → ${c.expectedEnd ?? t('care.list.openEnded')}` },
    { title: t('care.list.officer'), key: 'officer', width: 110, render: (_, c) => c.careOfficerName ?? <Typography.Text type="danger">{t('care.list.noOfficer')}</Typography.Text> },
    { title: t('care.list.needsOpen'), dataIndex: 'needsOpen', width: 90, align: 'center' },
    { title: t('care.list.lastContact'), key: 'last', width: 170, render: (_, c) => <LastContact at={c.lastContactAt} uncontacted={c.uncontacted} format={formatShort} /> },
    { title: t('care.list.status'), key: 'status', width: 90, render: (_, c) => t(`care.statuses.${c.status}`) },
  ];

  return (
    <>
      <PageHeader
        title={t('care.list.title')}
        subtitle={unit ? t('care.list.subtitle', { unit: unit.name }) : undefined}
        extra={
          canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="care-case-new">
              {t('care.list.new')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t('care.list.search')} style={{ width: 200 }} onSearch={(v) => setQ(v.trim())} data-testid="care-filter-q" />
          <Select<CareKind>
            allowClear
            placeholder={t('care.list.anyKind')}
            style={{ width: 160 }}
            value={kind}
            onChange={setKind}
            options={CARE_KINDS.map((k) => ({ value: k, label: t(`care.kinds.${k}`) }))}
            data-testid="care-filter-kind"
          />
          <Select<CaseStatus>
            style={{ width: 120 }}
            value={status}
            onChange={setStatus}
            options={CASE_STATUSES.map((s) => ({ value: s, label: t(`care.statuses.${s}`) }))}
            data-testid="care-filter-status"
          />
          <Checkbox checked={mine} onChange={(e) => setMine(e.target.checked)} data-testid="care-filter-mine">
            {t('care.list.mine')}
          </Checkbox>
          <Checkbox checked={uncontacted} onChange={(e) => setUncontacted(e.target.checked)} data-testid="care-filter-uncontacted">
            {t('care.list.uncontactedOnly')}
          </Checkbox>
        </Flex>
        <Table<CareCase>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          scroll={{ x: 1100 }}
          onRow={(c) => ({ 'data-testid': `care-case-row-${c.id}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: (
              <Typography.Text type="secondary">
                {filtered ? t('care.list.emptyFiltered') : t('care.list.empty')}{' '}
                {!filtered && <Link to="/care/suggestions">{t('care.list.emptyToSuggestions')}</Link>}
              </Typography.Text>
            ),
          }}
        />
      </Card>
      <OpenCaseModal
        open={creating}
        unitId={unitId}
        onClose={() => setCreating(false)}
        onOpened={(c) => {
          setCreating(false);
          navigate(`/care/cases/${c.id}`);
        }}
      />
    </>
  );
}
