import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Result, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { listBlindSpots, type BlindSpot, type BlindSpotList } from '../../api/places';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { useFormatShort } from '../directives/bits';
import { KindTag, RiskTag } from './bits';
import { PlaceModal } from './PlaceModal';
import { usePlaceToEdit } from './usePlaceToEdit';

/** 无死角: the places of the subtree nobody is looking at — inspection overdue or never made, or nobody answerable. */
export default function BlindSpotsPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const navigate = useNavigate();
  const me = useMe();
  const formatShort = useFormatShort();
  const { unitId, unit } = useScope();
  const [answer, setAnswer] = useState<BlindSpotList | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const editing = usePlaceToEdit();
  // The list carries no abilities: offer the buttons by grant; the server still decides per place.
  const canInspect = me.permissions.includes('places.inspect');
  const canEdit = me.permissions.includes('places.write');

  useEffect(() => {
    let live = true;
    setAnswer(null);
    listBlindSpots(unitId ?? undefined).then(
      (r) => live && setAnswer(r),
      (e) => {
        if (live) setAnswer({ items: [], total: 0 });
        report(e);
      },
    );
    return () => {
      live = false;
    };
  }, [unitId, tick, report]);

  const columns: TableColumnsType<BlindSpot> = [
    {
      title: t('places.list.name'),
      key: 'place',
      width: 280,
      render: (_, b) => (
        <Space size={4} wrap>
          <Link to={`/places/register/${b.placeId}`}>{b.placeName}</Link>
          <KindTag kind={b.kind} />
          <RiskTag risk={b.risk} />
        </Space>
      ),
    },
    { title: t('places.list.unit'), dataIndex: 'unitName', width: 170, ellipsis: true },
    {
      title: t('places.blindSpots.reason'),
      key: 'reasons',
      width: 200,
      render: (_, b) => (
        <Space size={2} wrap>
          {b.reasons.map((r) => (
            <Tag key={r} color={r === 'no_responsible' ? 'orange' : 'red'} data-testid={`blind-spot-${b.placeId}-${r}`}>
              {t(`places.reasons.${r}`)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('places.blindSpots.daysOverdue'),
      key: 'days',
      width: 110,
      align: 'right',
      sorter: (a, b) => a.daysOverdue - b.daysOverdue,
      render: (_, b) =>
        b.reasons.includes('overdue') || b.reasons.includes('never_inspected') ? (
          <Typography.Text type="danger">{b.daysOverdue === 0 ? t('places.blindSpots.dueToday') : t('places.blindSpots.daysN', { n: b.daysOverdue })}</Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      title: t('places.list.lastInspected'),
      key: 'last',
      width: 130,
      render: (_, b) => (b.lastInspectedAt === null ? <Typography.Text type="secondary">{t('places.list.never')}</Typography.Text> : formatShort(b.lastInspectedAt)),
    },
    { title: t('places.list.responsible'), key: 'responsible', width: 110, render: (_, b) => b.responsibleName ?? <Typography.Text type="danger">{t('places.list.noResponsible')}</Typography.Text> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, b) => (
        <Space size={0}>
          {canInspect && (
            <Button type="link" size="small" onClick={() => navigate(`/places/register/${b.placeId}/inspect`)} data-testid={`blind-spot-inspect-${b.placeId}`}>
              {t('places.list.inspect')}
            </Button>
          )}
          {canEdit && (
            <Button type="link" size="small" onClick={() => editing.open(b.placeId)} data-testid={`blind-spot-edit-${b.placeId}`}>
              {t('places.blindSpots.edit')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('places.blindSpots.title')} subtitle={unit ? t('places.blindSpots.subtitle', { unit: unit.name }) : undefined} />
      <Card size="small">
        {answer && answer.total === 0 ? (
          <Result status="success" title={t('places.blindSpots.none')} data-testid="blind-spots-none" />
        ) : (
          <>
            {answer && answer.total > answer.items.length && (
              <Typography.Paragraph type="secondary">{t('places.blindSpots.capped', { shown: answer.items.length, total: answer.total })}</Typography.Paragraph>
            )}
            <Table<BlindSpot>
              rowKey="placeId"
              size="small"
              loading={answer === null}
              columns={columns}
              dataSource={answer?.items ?? []}
              pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common.total', { total: n }) }}
              onRow={(b) => ({ 'data-testid': `blind-spot-row-${b.placeId}` }) as React.HTMLAttributes<HTMLElement>}
            />
          </>
        )}
      </Card>
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
