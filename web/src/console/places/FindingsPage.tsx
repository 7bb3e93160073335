import { useEffect, useState } from 'react';
import { Card, Flex, Segmented, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { FINDING_STATUSES, listFindings, type Finding, type FindingStatus } from '../../api/places';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useScope } from '../../state/scope';
import { FindingsList } from './History';

type Filter = FindingStatus | 'all';

/** 检查整改: the findings of the picked unit's subtree by state, their rectification tasks' overdue ones in red. */
export default function FindingsPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const { unitId, unit } = useScope();
  const [status, setStatus] = useState<Filter>('open');
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: Finding[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [status, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listFindings({ unitId: unitId ?? undefined, status: status === 'all' ? undefined : status, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, status, paging, report]);

  return (
    <>
      <PageHeader title={t('places.findings.title')} subtitle={unit ? t('places.findings.subtitle', { unit: unit.name }) : undefined} />
      <Card size="small">
        <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as Filter)}
            options={[...FINDING_STATUSES, 'all' as const].map((s) => ({ value: s, label: <span data-testid={`findings-status-${s}`}>{t(`places.findingStatus.${s}`)}</span> }))}
          />
          <Typography.Text type="secondary">{t('places.findings.hint')}</Typography.Text>
        </Flex>
        <FindingsList findings={data.items} showPlace loading={loading} pagination={serverPagination(paging, setPaging, data.total, t)} />
      </Card>
    </>
  );
}
