import { useEffect, useState } from 'react';
import { Button, Card, Flex, Segmented, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { listSupervisionFindings, SUPERVISION_FINDING_STATUSES, type FindingSubjectKind, type SupervisionFinding, type SupervisionFindingPage, type SupervisionFindingStatus } from '../../api/supervision';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useScope } from '../../state/scope';
import { DecisionTag, FindingStatusTag, SubjectText } from './findingBits';
import { OpenFindingModal } from './OpenFindingModal';

type StatusFilter = SupervisionFindingStatus | 'all';
type SubjectFilter = FindingSubjectKind | 'all';

/** 问题线索: the findings of the picked unit's subtree, open first; open a new one about a unit or a person. */
export default function FindingsPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const navigate = useNavigate();
  const time = useFormatTime();
  const { unitId, unit } = useScope();
  const [status, setStatus] = useState<StatusFilter>('open');
  const [subject, setSubject] = useState<SubjectFilter>('all');
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<SupervisionFindingPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [opening, setOpening] = useState(false);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [status, subject, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listSupervisionFindings({ unitId: unitId ?? undefined, status: status === 'all' ? undefined : status, subject: subject === 'all' ? undefined : subject, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, status, subject, paging, report]);

  const open = (id: number) => `/supervision/findings/${id}${unitId ? `?unit=${unitId}` : ''}`;
  const columns: TableColumnsType<SupervisionFinding> = [
    {
      title: t('supervision.findings.titleField'),
      key: 'title',
      render: (_, f) => (
        <Link to={open(f.id)} data-testid={`finding-link-${f.id}`}>
          {f.title}
        </Link>
      ),
    },
    { title: t('supervision.findings.subject'), key: 'subject', width: 200, render: (_, f) => <SubjectText finding={f} /> },
    { title: t('supervision.findings.status'), key: 'status', width: 90, render: (_, f) => <FindingStatusTag status={f.status} /> },
    { title: t('supervision.findings.decision'), key: 'decision', width: 100, render: (_, f) => <DecisionTag decision={f.decision} /> },
    { title: t('supervision.findings.evidence'), dataIndex: 'evidenceCount', width: 80, align: 'right' },
    { title: t('supervision.findings.openedAt'), key: 'openedAt', width: 170, render: (_, f) => time(f.openedAt) },
    { title: t('supervision.findings.openedBy'), key: 'openedBy', width: 110, render: (_, f) => f.openedBy ?? '—' },
  ];

  return (
    <div data-testid="supervision-findings-page">
      <PageHeader
        title={t('supervision.findings.title')}
        subtitle={unit ? t('supervision.findings.subtitle', { unit: unit.name }) : undefined}
        extra={
          <Button type="primary" onClick={() => setOpening(true)} data-testid="findings-new">
            {t('supervision.findings.new')}
          </Button>
        }
      />
      <Card size="small">
        <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as StatusFilter)}
            options={[...SUPERVISION_FINDING_STATUSES, 'all' as const].map((s) => ({
              value: s,
              label: <span data-testid={`sfindings-status-${s}`}>{s === 'all' ? t('common.all') : t(`supervision.findingStatus.${s}`)}</span>,
            }))}
          />
          <Segmented
            value={subject}
            onChange={(v) => setSubject(v as SubjectFilter)}
            options={(['all', 'unit', 'person'] as const).map((s) => ({ value: s, label: s === 'all' ? t('supervision.findings.anySubject') : t(`supervision.subjects.${s}`) }))}
          />
          <Typography.Text type="secondary">{t('supervision.findings.hint')}</Typography.Text>
        </Flex>
        <Table<SupervisionFinding>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          pagination={serverPagination(paging, setPaging, data?.total ?? 0, t)}
          onRow={(f) => ({ 'data-testid': `sfinding-row-${f.id}` }) as React.HTMLAttributes<HTMLElement>}
        />
      </Card>
      {opening && (
        <OpenFindingModal
          open
          defaultUnitId={unitId}
          onClose={() => setOpening(false)}
          onOpened={(f) => {
            setOpening(false);
            navigate(open(f.id));
          }}
        />
      )}
    </div>
  );
}
