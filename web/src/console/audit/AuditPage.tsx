import { useEffect, useState, type ComponentProps } from 'react';
import { Card, DatePicker, Empty, Flex, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { listAudit, type AuditEntry } from '../../api/audit';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { UnitPicker } from '../../components/UnitPicker';
import { useScope } from '../../state/scope';
import { AuditDetail } from './AuditDetail';
import { VerifyChain } from './VerifyChain';
import { serverPagination } from '../../components/serverPagination';

import zhCN from '../../i18n/zh-CN';

// The entities the log names, from the labels themselves: an entity gets its filter entry by getting a label.
type Entity = keyof typeof zhCN.audit.entities;
const ENTITIES = Object.keys(zhCN.audit.entities) as Entity[];
const isEntity = (e: string): e is Entity => (ENTITIES as string[]).includes(e);
type Range = Parameters<NonNullable<ComponentProps<typeof DatePicker.RangePicker>['onChange']>>[0];

/** 审计日志: the append-only log in the user's scope, newest first, with a check of the hash chain. */
export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const { unitId: scopeId, byId } = useScope();
  const report = useReportError();
  const formatTime = useFormatTime();
  const [unitId, setUnitId] = useState<number | null>(scopeId);
  const [entity, setEntity] = useState<Entity | undefined>();
  const [range, setRange] = useState<Range>(null);
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: AuditEntry[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);

  useEffect(() => setUnitId(scopeId), [scopeId]);
  const from = range?.[0]?.valueOf();
  const to = range?.[1]?.valueOf();
  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [unitId, entity, from, to]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listAudit({ unitId: unitId ?? undefined, entity, from, to, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, entity, from, to, paging, report]);

  const entityLabel = (e: string) => (isEntity(e) ? t(`audit.entities.${e}`) : e);
  // Actions are nested by entity in the resources ('unit.created' → audit.actions.unit.created); one
  // without a label shows its entity's name and the verb as sent, so a new module's rows still read.
  const actionLabel = (a: string) => {
    if (i18n.exists(`audit.actions.${a}`)) return t(`audit.actions.${a}` as 'audit.actions.unit.created');
    const dot = a.indexOf('.');
    return dot < 0 ? a : `${entityLabel(a.slice(0, dot))} · ${a.slice(dot + 1)}`;
  };
  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.at'), dataIndex: 'at', width: 180, render: (ms: number) => formatTime(ms) },
    { title: t('audit.actor'), dataIndex: 'actorName', width: 140, render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text> },
    { title: t('audit.action'), dataIndex: 'action', width: 160, render: (a: string) => <Tag>{actionLabel(a)}</Tag> },
    {
      title: t('audit.object'),
      dataIndex: 'entity',
      width: 160,
      render: (e: string, row) => `${entityLabel(e)}${row.entityId ? ` #${row.entityId}` : ''}`,
    },
    { title: t('audit.unit'), dataIndex: 'unitId', ellipsis: true, render: (id: number | null) => (id === null ? '—' : (byId.get(id)?.name ?? `#${id}`)) },
    { title: t('audit.hash'), dataIndex: 'hash', width: 120, render: (h: string) => <Typography.Text code type="secondary">{h.slice(0, 10)}</Typography.Text> },
  ];

  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} extra={<VerifyChain />} />
      <Card size="small">
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <UnitPicker allowClear value={unitId} onChange={(id) => setUnitId(id ?? null)} placeholder={t('audit.unit')} style={{ width: 240 }} data-testid="audit-unit" />
          <Select<Entity>
            allowClear
            placeholder={t('audit.entity')}
            style={{ width: 180 }}
            showSearch
            optionFilterProp="label"
            value={entity}
            onChange={setEntity}
            options={ENTITIES.map((e) => ({ value: e, label: t(`audit.entities.${e}`) }))}
            data-testid="audit-entity"
          />
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" value={range} onChange={setRange} data-testid="audit-range" />
        </Flex>
        <Table<AuditEntry>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          expandable={{ expandedRowRender: (row) => <AuditDetail detail={row.detail} /> }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('audit.empty')} /> }}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          data-testid="audit-table"
        />
      </Card>
    </>
  );
}
