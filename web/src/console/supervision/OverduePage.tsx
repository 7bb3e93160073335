import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Flex, Result, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { listOverdue, OVERDUE_KINDS, type OverdueItem, type OverdueKind, type OverduePage as OverdueAnswer } from '../../api/supervision';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { OverdueKindTag, Overdue, ResponsibleList } from './overdueBits';
import { OpenFindingModal } from './OpenFindingModal';

type Filter = OverdueKind | 'all';
const keyOf = (i: OverdueItem) => `${i.ref.kind}|${i.ref.id}`;

/** 逾期事项: everything overdue in the picked unit's subtree with who answers for it; pick items and 立案 with them as evidence. */
export default function OverduePage() {
  const { t } = useTranslation();
  const report = useReportError();
  const navigate = useNavigate();
  const time = useFormatTime();
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
  const columns: TableColumnsType<OverdueItem> = [
    { title: t('supervision.overdue.kind'), key: 'kind', width: 150, render: (_, i) => <OverdueKindTag kind={i.kind} /> },
    { title: t('supervision.overdue.what'), dataIndex: 'title', ellipsis: true },
    { title: t('supervision.unit'), dataIndex: 'unitName', width: 160, ellipsis: true },
    { title: t('supervision.responsible'), key: 'responsible', width: 200, render: (_, i) => <ResponsibleList people={i.responsible} /> },
    {
      title: t('supervision.overdue.since'),
      key: 'since',
      width: 230,
      render: (_, i) => (
        <Space size={4} wrap>
          <span>{i.until !== null ? `${time(i.since)} – ${time(i.until)}` : time(i.since)}</span>
          <Overdue since={i.since} />
        </Space>
      ),
    },
  ];

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
                      onChange: (_keys, rows) =>
                        setPicked((old) => {
                          // antd hands back the rows of this page only for keys it has not seen: keep the old ones.
                          const next = new Map<string, OverdueItem>();
                          for (const k of _keys) {
                            const key = String(k);
                            const row = rows.find((r) => r && keyOf(r) === key) ?? old.get(key);
                            if (row) next.set(key, row);
                          }
                          return next;
                        }),
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
