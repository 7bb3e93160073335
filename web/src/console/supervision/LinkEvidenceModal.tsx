import { useEffect, useState } from 'react';
import { Flex, Modal, Result, Segmented, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { linkEvidence, listOverdue, OVERDUE_KINDS, type OverdueItem, type OverdueKind, type OverduePage, type SupervisionFinding } from '../../api/supervision';
import { useReportError } from '../../components/apiErrors';
import { serverPagination } from '../../components/serverPagination';
import { overdueKey, pickedAfter, useOverdueColumns } from './overdueBits';

/**
 * 关联更多证据: the overdue items of the finding's unit and below, as 逾期事项 lists them; the ones
 * picked are linked as evidence (each a snapshot taken now); the ones already linked cannot be picked.
 */
export function LinkEvidenceModal({ finding, onClose, onLinked }: { finding: SupervisionFinding; onClose(): void; onLinked(f: SupervisionFinding): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [kind, setKind] = useState<OverdueKind | 'all'>('all');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<OverduePage | null>(null);
  const [loading, setLoading] = useState(false);
  const [picked, setPicked] = useState<Map<string, OverdueItem>>(new Map());
  const [busy, setBusy] = useState(false);
  const linked = new Set(finding.evidence.map((e) => overdueKey(e.ref)));

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

  const columns = useOverdueColumns((i) => linked.has(overdueKey(i.ref)) && <Tag style={{ marginInlineEnd: 6 }}>{t('supervision.finding.alreadyLinked')}</Tag>);

  return (
    <Modal
      open
      width={960}
      title={t('supervision.finding.linkTitle', { unit: finding.unitName })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('supervision.finding.linkSubmit', { n: picked.size })}
      okButtonProps={{ disabled: picked.size === 0, loading: busy, 'data-testid': 'link-evidence-submit' }}
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
            rowKey={(i) => overdueKey(i.ref)}
            size="small"
            loading={loading}
            columns={columns}
            dataSource={data?.items ?? []}
            pagination={serverPagination(paging, setPaging, data?.total ?? 0, t)}
            rowSelection={{
              preserveSelectedRowKeys: true,
              selectedRowKeys: [...picked.keys()],
              onChange: (keys, rows) => setPicked((old) => pickedAfter(old, keys, rows)),
              getCheckboxProps: (i) => ({ disabled: linked.has(overdueKey(i.ref)) }),
            }}
            onRow={(i) => ({ 'data-testid': `link-row-${i.ref.kind}-${i.ref.id}` }) as React.HTMLAttributes<HTMLElement>}
          />
        )}
        <Typography.Text type="secondary">{t('supervision.finding.evidenceHint')}</Typography.Text>
      </Flex>
    </Modal>
  );
}
