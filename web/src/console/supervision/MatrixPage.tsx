import { useEffect, useState } from 'react';
import { Card, Flex, Space, Switch, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { EMPTY_POST_KINDS, getMatrix, type MatrixPage as MatrixAnswer, type MatrixUnit, type Responsible } from '../../api/supervision';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { useScope } from '../../state/scope';
import { useFormatShort } from '../directives/bits';

const EMPTY_BG = '#fff1f0';

function Names({ people, testId }: { people: Responsible[]; testId?: string }) {
  const { t } = useTranslation();
  if (people.length === 0)
    return (
      <Tag color="red" data-testid={testId} data-empty="true">
        {t('supervision.matrix.vacant')}
      </Tag>
    );
  return <span data-testid={testId}>{people.map((p) => p.name).join('、')}</span>;
}

/** 责任矩阵: per unit of the subtree its head and liaison, its key places' and open tasks' responsible people, today's duty people; empty posts in red. */
export default function MatrixPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const short = useFormatShort();
  const hm = (ms: number) => short(ms).slice(-5);
  const { unitId, unit } = useScope();
  const [emptyOnly, setEmptyOnly] = useState(false);
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<MatrixAnswer | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [emptyOnly, unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    getMatrix({ unitId: unitId ?? undefined, emptyOnly, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, emptyOnly, paging, report]);

  const columns: TableColumnsType<MatrixUnit> = [
    {
      title: t('supervision.unit'),
      key: 'unit',
      width: 200,
      fixed: 'left',
      render: (_, u) => <span style={{ paddingInlineStart: Math.min(u.depth, 6) * 14 }}>{u.unitName}</span>,
    },
    { title: t('supervision.matrix.head'), key: 'heads', width: 120, render: (_, u) => <Names people={u.heads} testId={`matrix-head-${u.unitId}`} /> },
    { title: t('supervision.matrix.liaison'), key: 'liaisons', width: 120, render: (_, u) => <Names people={u.liaisons} testId={`matrix-liaison-${u.unitId}`} /> },
    {
      title: t('supervision.matrix.places'),
      key: 'places',
      width: 240,
      render: (_, u) =>
        u.placesTotal === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Flex vertical gap={2}>
            {u.places.map((p) => (
              <span key={p.placeId}>
                <Link to={`/places/register/${p.placeId}`}>{p.placeName}</Link>
                {'：'}
                {p.responsible ? p.responsible.name : <Tag color="red">{t('supervision.matrix.noResponsible')}</Tag>}
              </span>
            ))}
            {u.placesTotal > u.places.length && <Typography.Text type="secondary">{t('supervision.matrix.more', { n: u.placesTotal - u.places.length })}</Typography.Text>}
          </Flex>
        ),
    },
    {
      title: t('supervision.matrix.tasks'),
      key: 'tasks',
      width: 260,
      render: (_, u) =>
        u.tasksTotal === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Flex vertical gap={2}>
            {u.tasks.map((k) => (
              <span key={k.taskId}>
                <Link to={`/directives/tasks/${k.taskId}`}>{k.title}</Link>
                {'：'}
                <Typography.Text type={k.overdue ? 'danger' : undefined}>
                  {k.responsible.name}
                  {k.overdue ? ` · ${t('supervision.matrix.overdue')}` : ''}
                </Typography.Text>
              </span>
            ))}
            {u.tasksTotal > u.tasks.length && <Typography.Text type="secondary">{t('supervision.matrix.more', { n: u.tasksTotal - u.tasks.length })}</Typography.Text>}
          </Flex>
        ),
    },
    {
      title: t('supervision.matrix.duty', { day: data?.day ?? '' }),
      key: 'duty',
      width: 240,
      render: (_, u) =>
        !u.keepsDuty ? (
          <Typography.Text type="secondary">{t('supervision.matrix.noRoster')}</Typography.Text>
        ) : u.shifts.length === 0 ? (
          <Tag color="red">{t('supervision.matrix.vacant')}</Tag>
        ) : (
          <Flex vertical gap={2}>
            {u.shifts.map((s) => (
              <span key={s.shiftId}>
                <Typography.Text type="secondary">{`${hm(s.startsAt)}–${hm(s.endsAt)} `}</Typography.Text>
                {t('supervision.matrix.leader')}：{s.leaders.length ? s.leaders.map((p) => p.name).join('、') : <Tag color="red">{t('supervision.matrix.vacant')}</Tag>}
                {' · '}
                {t('supervision.matrix.officer')}：{s.officers.length ? s.officers.map((p) => p.name).join('、') : <Tag color="red">{t('supervision.matrix.vacant')}</Tag>}
              </span>
            ))}
          </Flex>
        ),
    },
    {
      title: t('supervision.matrix.emptyPosts'),
      key: 'empty',
      width: 220,
      render: (_, u) =>
        u.emptyPosts.length === 0 ? (
          <Typography.Text type="success">{t('supervision.matrix.noneEmpty')}</Typography.Text>
        ) : (
          <Space size={2} wrap>
            {u.emptyPosts.map((e, i) => (
              <Tooltip
                key={`${e.kind}-${e.placeId ?? ''}-${e.startsAt ?? ''}-${i}`}
                title={e.placeName ?? (e.startsAt !== null && e.endsAt !== null ? `${e.role ? t(`supervision.matrix.roles.${e.role}`) : ''} ${hm(e.startsAt)}–${hm(e.endsAt)}` : undefined)}
              >
                <Tag color="red" data-testid={`matrix-empty-${u.unitId}-${e.kind}`}>
                  {t(`supervision.emptyPosts.${e.kind}`)}
                </Tag>
              </Tooltip>
            ))}
          </Space>
        ),
    },
  ];

  return (
    <div data-testid="matrix-page">
      <PageHeader title={t('supervision.matrix.title')} subtitle={unit ? t('supervision.matrix.subtitle', { unit: unit.name, day: data?.day ?? '' }) : undefined} />
      <Card size="small">
        <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
          <Space>
            <Switch checked={emptyOnly} onChange={setEmptyOnly} data-testid="matrix-empty-only" />
            <span>{t('supervision.matrix.emptyOnly')}</span>
          </Space>
          {data && (
            <Space size={4} wrap data-testid="matrix-summary">
              <Typography.Text type="secondary">{t('supervision.matrix.summary', { units: data.unitsTotal })}</Typography.Text>
              {EMPTY_POST_KINDS.map((k) => (
                <Tag key={k} color={(data.emptyPosts[k] ?? 0) > 0 ? 'red' : 'default'}>
                  {`${t(`supervision.emptyPosts.${k}`)} ${data.emptyPosts[k] ?? 0}`}
                </Tag>
              ))}
            </Space>
          )}
        </Flex>
        <Table<MatrixUnit>
          rowKey="unitId"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          scroll={{ x: 1400 }}
          pagination={serverPagination(paging, setPaging, data?.total ?? 0, t)}
          onRow={(u) => ({ 'data-testid': `matrix-row-${u.unitId}`, style: u.emptyPosts.length > 0 ? { background: EMPTY_BG } : undefined }) as React.HTMLAttributes<HTMLElement>}
        />
      </Card>
    </div>
  );
}
