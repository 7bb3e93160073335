import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Flex, Result, Segmented, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { listOverdue, OVERDUE_KINDS, type OverdueItem, type OverdueKind, type OverduePage as OverdueAnswer } from '../../api/supervision';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { overdueKey, pickedAfter, useOverdueColumns } from './overdueBits';
import { OpenFindingModal } from './OpenFindingModal';

type Filter = OverdueKind | 'all';
const keyOf = (i: OverdueItem) => overdueKey(i.ref);

/** 逾期事项: everything overdue in the picked unit's subtree with who answers for it; pick items and 立案 with them as evidence. */
export default function OverduePage() {
  const { t } = useTranslation();
  const report = useReportError();
  const navigate = useNavigate();
  const me = useMe();
  const canFind = me.permissions.includes('supervision.findings');
  const { unitId, unit } = useScope();
  const [kind, setKind] = useState<Filter>('all');
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<OverdueAnswer | null>(null);
  const [loading, setLoading] = useState(false);
  // Picked items stay picked across pages and kinds: a finding often gathers several.
  const [picked, setPicked] = useState<Map<string, OverdueItem>>(new Map());
  const [opening, setOpening] = useState(false);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [kind, unitId]);
  useEffect(() => setPicked(new Map()), [unitId]);
  const load = useCallback(() => {
    let live = true;
    setLoading(true);
    listOverdue({ unitId: unitId ?? undefined, kind: kind === 'all' ? undefined : kind, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, kind, paging, report]);
  useEffect(load, [load]);

  const counts = data?.byKind;
  const total = useMemo(() => (counts ? OVERDUE_KINDS.reduce((n, k) => n + (counts[k] ?? 0), 0) : undefined), [counts]);
  const columns = useOverdueColumns();

  return (
    <div data-testid="overdue-page">
      <PageHeader
        title={t('supervision.overdue.title')}
        subtitle={unit ? t('supervision.overdue.subtitle', { unit: unit.name }) : undefined}
        extra={
          canFind ? (
            <Button type="primary" disabled={picked.size === 0} onClick={() => setOpening(true)} data-testid="overdue-open-finding">
              {t('supervision.overdue.openFinding', { n: picked.size })}
            </Button>
          ) : undefined
        }
      />
      <Card size="small">
        <Flex vertical gap={12}>
          <Segmented
            value={kind}
            onChange={(v) => setKind(v as Filter)}
            options={(['all', ...OVERDUE_KINDS] as const).map((k) => ({
              value: k,
              label: (
                <span data-testid={`overdue-kind-${k}`}>
                  {k === 'all' ? t('common.all') : t(`supervision.overdueKinds.${k}`)}
                  {(k === 'all' ? total : counts?.[k]) !== undefined && <Tag style={{ marginInlineStart: 6 }}>{k === 'all' ? total : counts?.[k]}</Tag>}
                </span>
              ),
            }))}
          />
          {data && data.unavailable.length > 0 && (
            <Alert type="info" showIcon title={t('supervision.overdue.unavailable', { kinds: data.unavailable.map((k) => t(`supervision.overdueKinds.${k}`)).join('、') })} />
          )}
          {data && data.total === 0 && !loading ? (
            <Result status="success" title={t('supervision.overdue.none')} data-testid="overdue-none" />
          ) : (
            <Table<OverdueItem>
              rowKey={keyOf}
              size="small"
              loading={loading}
              columns={columns}
              dataSource={data?.items ?? []}
              pagination={serverPagination(paging, setPaging, data?.total ?? 0, t)}
              rowSelection={
                canFind
                  ? {
                      preserveSelectedRowKeys: true,
                      selectedRowKeys: [...picked.keys()],
                      onChange: (keys, rows) => setPicked((old) => pickedAfter(old, keys, rows)),
                      getCheckboxProps: (i) => ({ 'data-testid': `overdue-pick-${i.ref.kind}-${i.ref.id}` }) as object,
                    }
                  : undefined
              }
              onRow={(i) => ({ 'data-testid': `overdue-row-${i.ref.kind}-${i.ref.id}` }) as React.HTMLAttributes<HTMLElement>}
            />
          )}
          {canFind && <Typography.Text type="secondary">{t('supervision.overdue.pickHint')}</Typography.Text>}
        </Flex>
      </Card>
      {opening && (
        <OpenFindingModal
          open
          evidence={[...picked.values()]}
          defaultUnitId={unitId}
          onClose={() => setOpening(false)}
          onOpened={(f) => {
            setOpening(false);
            setPicked(new Map());
            navigate(`/supervision/findings/${f.id}?unit=${unitId ?? f.unitId}`);
          }}
        />
      )}
    </div>
  );
}
