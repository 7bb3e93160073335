import { useEffect, useState } from 'react';
import { Flex, Modal, Result, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { linkEvidence, listOverdue, OVERDUE_KINDS, type OverdueItem, type OverdueKind, type OverduePage, type SupervisionFinding } from '../../api/supervision';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { serverPagination } from '../../components/serverPagination';
import { Overdue, OverdueKindTag, ResponsibleList } from './overdueBits';

const keyOf = (r: { kind: string; id: number }) => `${r.kind}|${r.id}`;

/**
 * 关联更多证据: the overdue items of the finding's unit and below, as 逾期事项 lists them; the ones
 * picked are linked as evidence (each a snapshot taken now); the ones already linked cannot be picked.
 */
export function LinkEvidenceModal({ finding, onClose, onLinked }: { finding: SupervisionFinding; onClose(): void; onLinked(f: SupervisionFinding): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const time = useFormatTime();
  const [kind, setKind] = useState<OverdueKind | 'all'>('all');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<OverduePage | null>(null);
  const [loading, setLoading] = useState(false);
  const [picked, setPicked] = useState<Map<string, OverdueItem>>(new Map());
  const [busy, setBusy] = useState(false);
  const linked = new Set(finding.evidence.map((e) => keyOf(e.ref)));

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [kind]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listOverdue({ unitId: finding.unitId, kind: kind === 'all' ? undefined : kind, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [finding.unitId, kind, paging, report]);

  const submit = async () => {
    setBusy(true);
    try {
      onLinked(await linkEvidence(finding.id, { refs: [...picked.values()].map((i) => i.ref) }));
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<OverdueItem> = [
    { title: t('supervision.overdue.kind'), key: 'kind', width: 140, render: (_, i) => <OverdueKindTag kind={i.kind} /> },
    {
      title: t('supervision.overdue.what'),
      key: 'title',
      ellipsis: true,
      render: (_, i) => (
        <Space size={4}>
          {linked.has(keyOf(i.ref)) && <Tag>{t('supervision.finding.alreadyLinked')}</Tag>}
          <span>{i.title}</span>
        </Space>
      ),
    },
    { title: t('supervision.unit'), dataIndex: 'unitName', width: 140, ellipsis: true },
    { title: t('supervision.responsible'), key: 'responsible', width: 160, render: (_, i) => <ResponsibleList people={i.responsible} /> },
    {
      title: t('supervision.overdue.since'),
      key: 'since',
      width: 200,
      render: (_, i) => (
        <Space size={4} wrap>
          <span>{time(i.since)}</span>
          <Overdue since={i.since} />
        </Space>
      ),
    },
  ];

  return (
    <Modal
      open
      width={960}
      title={t('supervision.finding.linkTitle', { unit: finding.unitName })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('supervision.finding.linkSubmit', { n: picked.size })}
      okButtonProps={{ disabled: picked.size === 0, loading: busy, 'data-testid': 'link-evidence-submit' } as object}
      destroyOnHidden
    >
      <Flex vertical gap={12} data-testid="link-evidence">
        <Segmented
          value={kind}
          onChange={(v) => setKind(v as OverdueKind | 'all')}
          options={(['all', ...OVERDUE_KINDS] as const).map((k) => ({ value: k, label: k === 'all' ? t('common.all') : t(`supervision.overdueKinds.${k}`) }))}
        />
        {data && data.total === 0 && !loading ? (
          <Result status="success" title={t('supervision.finding.linkNone', { unit: finding.unitName })} />
        ) : (
          <Table<OverdueItem>
            rowKey={(i) => keyOf(i.ref)}
            size="small"
            loading={loading}
            columns={columns}
            dataSource={data?.items ?? []}
            pagination={serverPagination(paging, setPaging, data?.total ?? 0, t)}
            rowSelection={{
              preserveSelectedRowKeys: true,
              selectedRowKeys: [...picked.keys()],
              onChange: (keys, rows) =>
                setPicked((old) => {
                  const next = new Map<string, OverdueItem>();
                  for (const k of keys) {
                    const key = String(k);
                    const row = rows.find((r) => r && keyOf(r.ref) === key) ?? old.get(key);
                    if (row) next.set(key, row);
                  }
                  return next;
                }),
              getCheckboxProps: (i) => ({ disabled: linked.has(keyOf(i.ref)) }),
            }}
            onRow={(i) => ({ 'data-testid': `link-row-${i.ref.kind}-${i.ref.id}` }) as React.HTMLAttributes<HTMLElement>}
          />
        )}
        <Typography.Text type="secondary">{t('supervision.finding.evidenceHint')}</Typography.Text>
      </Flex>
    </Modal>
  );
}
