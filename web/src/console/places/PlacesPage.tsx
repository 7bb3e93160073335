import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Card, Checkbox, Flex, Input, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { archivePlace, listPlaces, PLACE_KINDS, RISK_LEVELS, type Place, type PlaceKind, type RiskLevel } from '../../api/places';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useConfirmAction } from '../../components/useConfirmAction';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { useFormatShort } from '../directives/bits';
import { KindTag, NextDue, RiskTag } from './bits';
import { PlaceModal } from './PlaceModal';
import { usePlaceToEdit } from './usePlaceToEdit';

/** 场所台账: the key places of the picked unit's subtree, due ones marked; register, edit, archive, inspect. */
export default function PlacesPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const navigate = useNavigate();
  const me = useMe();
  const formatShort = useFormatShort();
  const { unitId, unit } = useScope();
  const [kind, setKind] = useState<PlaceKind | undefined>();
  const [risk, setRisk] = useState<RiskLevel | undefined>();
  const [due, setDue] = useState(false);
  const [archived, setArchived] = useState(false);
  const [q, setQ] = useState('');
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: Place[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const [creating, setCreating] = useState(false);
  const editing = usePlaceToEdit();
  const confirm = useConfirmAction(refresh);
  // The server decides per place (abilities); this only says whether to offer registering one.
  const canWrite = me.permissions.includes('places.write');

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [kind, risk, due, archived, q, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listPlaces({ unitId: unitId ?? undefined, kind, risk, q: q || undefined, due: due ? 'true' : undefined, archived: archived ? 'true' : undefined, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, kind, risk, due, archived, q, paging, tick, report]);

  const columns: TableColumnsType<Place> = [
    {
      title: t('places.list.name'),
      key: 'name',
      width: 220,
      fixed: 'left',
      render: (_, p) => (
        <div>
          <Link to={`/places/register/${p.id}`} data-testid={`place-link-${p.id}`}>
            {p.name}
          </Link>
          {p.address && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {p.address}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    { title: t('places.list.kind'), key: 'kind', width: 120, render: (_, p) => <KindTag kind={p.kind} /> },
    { title: t('places.list.risk'), key: 'risk', width: 90, render: (_, p) => <RiskTag risk={p.risk} /> },
    { title: t('places.list.unit'), dataIndex: 'unitName', width: 150, ellipsis: true },
    {
      title: t('places.list.responsible'),
      key: 'responsible',
      width: 110,
      render: (_, p) => p.responsibleName ?? <Typography.Text type="danger">{t('places.list.noResponsible')}</Typography.Text>,
    },
    { title: t('places.list.frequency'), key: 'frequency', width: 100, render: (_, p) => t('places.list.everyNDays', { n: p.frequencyDays }) },
    {
      title: t('places.list.lastInspected'),
      key: 'last',
      width: 120,
      render: (_, p) => (p.lastInspectedAt === null ? <Typography.Text type="secondary">{t('places.list.never')}</Typography.Text> : formatShort(p.lastInspectedAt)),
    },
    { title: t('places.list.nextDue'), key: 'next', width: 150, render: (_, p) => <NextDue at={p.nextDueAt} due={p.due} /> },
    {
      title: t('places.list.openFindings'),
      key: 'findings',
      width: 100,
      align: 'center',
      render: (_, p) => (p.openFindings > 0 ? <Badge count={p.openFindings} data-testid={`place-findings-${p.id}`} /> : <Typography.Text type="secondary">0</Typography.Text>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      render: (_, p) => (
        <Space size={0}>
          {p.abilities.inspect && (
            <Button type="link" size="small" onClick={() => navigate(`/places/register/${p.id}/inspect`)} data-testid={`place-inspect-${p.id}`}>
              {t('places.list.inspect')}
            </Button>
          )}
          {p.abilities.edit && (
            <Button type="link" size="small" onClick={() => editing.open(p.id)} data-testid={`place-edit-${p.id}`}>
              {t('common.edit')}
            </Button>
          )}
          {p.abilities.archive && (
            <Button
              type="link"
              size="small"
              danger
              onClick={() => confirm(t('places.list.archiveConfirm', { name: p.name }), true, () => archivePlace(p.id), t('places.list.archivedDone'))}
              data-testid={`place-archive-${p.id}`}
            >
              {t('places.list.archive')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('places.list.title')}
        subtitle={unit ? t('places.list.subtitle', { unit: unit.name }) : undefined}
        extra={
          canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="place-new">
              {t('places.list.new')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t('places.list.search')} style={{ width: 220 }} onSearch={(v) => setQ(v.trim())} data-testid="places-q" />
          <Select<PlaceKind>
            allowClear
            placeholder={t('places.list.anyKind')}
            style={{ width: 160 }}
            value={kind}
            onChange={setKind}
            options={PLACE_KINDS.map((k) => ({ value: k, label: t(`places.kinds.${k}`) }))}
            data-testid="places-kind"
          />
          <Select<RiskLevel>
            allowClear
            placeholder={t('places.list.anyRisk')}
            style={{ width: 140 }}
            value={risk}
            onChange={setRisk}
            options={RISK_LEVELS.map((r) => ({ value: r, label: t(`places.risks.${r}`) }))}
            data-testid="places-risk"
          />
          <Checkbox checked={due} onChange={(e) => setDue(e.target.checked)} data-testid="places-due">
            {t('places.list.dueOnly')}
          </Checkbox>
          <Checkbox checked={archived} onChange={(e) => setArchived(e.target.checked)} data-testid="places-archived">
            {t('places.list.archived')}
          </Checkbox>
        </Flex>
        <Table<Place>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          // Ten columns: the name keeps its width and the table scrolls sideways on a narrow screen.
          scroll={{ x: 1300 }}
          onRow={(p) => ({ 'data-testid': `place-row-${p.id}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Typography.Text type="secondary">{t('places.list.empty')}</Typography.Text> }}
        />
      </Card>
      <PlaceModal
        open={creating}
        place={null}
        defaultUnitId={unitId}
        onClose={() => setCreating(false)}
        onSaved={(p) => {
          setCreating(false);
          navigate(`/places/register/${p.id}`);
        }}
      />
      {editing.place && (
        <PlaceModal
          open
          place={editing.place}
          defaultUnitId={unitId}
          onClose={editing.close}
          onSaved={() => {
            editing.close();
            refresh();
          }}
        />
      )}
    </>
  );
}
