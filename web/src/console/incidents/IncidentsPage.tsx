import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Card, Flex, Segmented, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { INCIDENT_KINDS, INCIDENT_SEVERITIES, incidentStreamUrl, listIncidents, type Incident, type IncidentKind, type IncidentListState, type IncidentSeverity } from '../../api/incidents';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useLiveRefresh } from '../../components/useLiveRefresh';
import { useScope } from '../../state/scope';
import { useFormatShort } from '../directives/bits';
import { DrillTag } from '../plans/bits';
import { Countdown, KindTag, LevelStateTag, SeverityTag, StatusTag } from './bits';
import { FileIncidentModal } from './FileIncidentModal';
import { ReachSettings } from './ReachSettings';

const STATES = ['active', 'open', 'resolved', 'closed', 'all'] as const satisfies readonly IncidentListState[];

/**
 * The board of incidents in the picked unit's subtree: each one's kind, severity, unit, the level it
 * has reached and a live countdown of that level's time left (overdue and skipped levels marked),
 * kept current by the server's live stream (polling every 30 s while the stream is down).
 */
export default function IncidentsPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const navigate = useNavigate();
  const formatShort = useFormatShort();
  const { unitId, unit } = useScope();
  const [state, setState] = useState<IncidentListState>('active');
  const [severity, setSeverity] = useState<IncidentSeverity | undefined>();
  const [kind, setKind] = useState<IncidentKind | undefined>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: Incident[]; total: number; receivedAt: number }>({ items: [], total: 0, receivedAt: 0 });
  const [loading, setLoading] = useState(false);
  const [filing, setFiling] = useState(false);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [state, severity, kind, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listIncidents({ unitId: unitId ?? undefined, state, severity, kind, ...paging })
      .then((r) => live && setData({ items: r.items, total: r.total, receivedAt: Date.now() }), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, state, severity, kind, paging, tick, report]);

  const stream = useLiveRefresh({ url: unitId === null ? null : incidentStreamUrl(unitId), events: ['incident'], throttleMs: 1_000 }, refresh);

  const columns: TableColumnsType<Incident> = [
    {
      title: t('incidents.board.title_'),
      key: 'title',
      render: (_, x) => (
        <div>
          {x.drill && <DrillTag testId={`incident-drill-${x.id}`} />}
          <Link to={`/duty/incidents/${x.id}`} data-testid={`incident-link-${x.id}`}>
            {x.title}
          </Link>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {`${formatShort(x.filedAt)}${x.place ? ` · ${x.place}` : ''}`}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: t('incidents.board.kind'), key: 'kind', width: 110, render: (_, x) => <KindTag kind={x.kind} /> },
    { title: t('incidents.board.severity'), key: 'severity', width: 100, render: (_, x) => <SeverityTag severity={x.severity} /> },
    { title: t('incidents.board.unit'), dataIndex: 'unitName', width: 170, ellipsis: true },
    {
      title: t('incidents.board.level'),
      key: 'level',
      width: 230,
      render: (_, x) => (
        <Space size={4} wrap data-testid={`incident-level-${x.id}`} data-unit={x.currentLevel.unitId} data-state={x.currentLevel.state}>
          <Tooltip title={t('incidents.page.top') + ': ' + x.topLevel.unitName}>
            <Typography.Text>{x.currentLevel.unitName}</Typography.Text>
          </Tooltip>
          <LevelStateTag state={x.currentLevel.state} />
          {x.skippedLevels > 0 && (
            <Tag color="red" data-testid={`incident-skipped-${x.id}`}>
              {t('incidents.board.skipped', { n: x.skippedLevels })}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('incidents.board.timeLeft'),
      key: 'timeLeft',
      width: 150,
      render: (_, x) => (x.timeLeftMs === null ? <Typography.Text type="secondary">—</Typography.Text> : <Countdown timeLeftMs={x.timeLeftMs} receivedAt={data.receivedAt} testId={`incident-countdown-${x.id}`} />),
    },
    { title: t('incidents.board.status'), key: 'status', width: 90, render: (_, x) => <StatusTag status={x.status} /> },
  ];

  return (
    <>
      <PageHeader
        title={t('incidents.board.title')}
        subtitle={unit ? t('incidents.board.subtitle', { unit: unit.name }) : undefined}
        extra={
          <>
            <Badge
              status={stream === 'live' ? 'success' : stream === 'polling' ? 'warning' : 'default'}
              text={
                <span data-testid="incidents-live" data-state={stream}>
                  {stream === 'polling' ? t('incidents.board.polling') : t('incidents.board.live')}
                </span>
              }
            />
            <ReachSettings />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setFiling(true)} data-testid="incident-new">
              {t('incidents.board.new')}
            </Button>
          </>
        }
      />
      <Card size="small">
        <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
          <Segmented
            value={state}
            onChange={(v) => setState(v as IncidentListState)}
            options={STATES.map((s) => ({ value: s, label: <span data-testid={`incidents-state-${s}`}>{t(`incidents.board.states.${s}`)}</span> }))}
          />
          <Select<IncidentSeverity>
            allowClear
            placeholder={t('incidents.board.anySeverity')}
            style={{ width: 140 }}
            value={severity}
            onChange={setSeverity}
            options={INCIDENT_SEVERITIES.map((s) => ({ value: s, label: t(`incidents.severities.${s}`) }))}
            data-testid="incidents-severity"
          />
          <Select<IncidentKind>
            allowClear
            placeholder={t('incidents.board.anyKind')}
            style={{ width: 150 }}
            value={kind}
            onChange={setKind}
            options={INCIDENT_KINDS.map((k) => ({ value: k, label: t(`incidents.kinds.${k}`) }))}
            data-testid="incidents-kind"
          />
        </Flex>
        <Table<Incident>
          rowKey="id"
          size="small"
          loading={loading && data.items.length === 0}
          columns={columns}
          dataSource={data.items}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          rowClassName={(x) => (x.overdue ? 'incident-overdue' : '')}
          onRow={(x) => ({ 'data-testid': `incident-row-${x.id}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Typography.Text type="secondary">{t('incidents.board.empty')}</Typography.Text> }}
        />
      </Card>
      <FileIncidentModal
        open={filing}
        defaultUnitId={unitId}
        onClose={() => setFiling(false)}
        onFiled={(x) => {
          setFiling(false);
          navigate(`/duty/incidents/${x.id}`);
        }}
      />
    </>
  );
}
