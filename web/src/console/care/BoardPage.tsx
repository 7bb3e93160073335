import { useEffect, useState } from 'react';
import { Card, Col, Row, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { careBoard, careFigures, CARE_KINDS, type CareBoard, type CareCounts, type CareFigures } from '../../api/care';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { useFormatShort } from '../directives/bits';

/** One line of the board: a unit's subtree (or the people sitting on the picked unit itself), counts and, for care officers, the last contact. */
interface Line {
  key: string;
  unitId: number;
  unitName: string;
  own: boolean;
  counts: CareCounts;
  lastContactAt?: number | null;
}

const isEmpty = (c: CareCounts) => c.openCases === 0 && c.requestsOpen === 0;

/** The picked unit's own people first when it has any, then each child unit's subtree. */
function linesOf(answer: CareBoard | CareFigures): Line[] {
  const own = answer.own;
  const lines: Line[] = answer.children.map((r) => ({ key: String(r.unitId), unitId: r.unitId, unitName: r.unitName, own: false, counts: r.counts, lastContactAt: 'lastContactAt' in r ? (r.lastContactAt as number | null) : undefined }));
  const ownCounts = 'counts' in own ? own.counts : own;
  if (!isEmpty(ownCounts) || lines.length === 0)
    lines.unshift({ key: 'own', unitId: answer.unitId, unitName: answer.unitName, own: true, counts: ownCounts, lastContactAt: 'lastContactAt' in own ? own.lastContactAt : undefined });
  return lines;
}

/**
 * 关爱看板: per unit of the picked scope, open cases by kind, needs not met, the last contact and the
 * cases not contacted in time (red). Care officers (care.read) get the board with links into the
 * cases; the command office and supervisors (care.figures only) get the same counts and nothing more.
 */
export default function BoardPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const me = useMe();
  const { unitId, unit } = useScope();
  const canRead = me.permissions.includes('care.read');
  const [answer, setAnswer] = useState<CareBoard | CareFigures | null>(null);
  const [loading, setLoading] = useState(false);
  const formatShort = useFormatShort();

  useEffect(() => {
    let live = true;
    setLoading(true);
    (canRead ? careBoard(unitId ?? undefined) : careFigures(unitId ?? undefined))
      .then((a) => live && setAnswer(a), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, canRead, report]);

  const total: CareCounts | undefined = answer ? ('counts' in answer.total ? answer.total.counts : answer.total) : undefined;
  const lines = answer ? linesOf(answer) : [];
  const unitName = (l: Line) => (l.own ? t('care.board.ownPeople', { unit: l.unitName }) : l.unitName);
  const columns: TableColumnsType<Line> = [
    {
      title: t('care.board.unit'),
      key: 'unit',
      width: 200,
      fixed: 'left',
      render: (_, l) => (canRead && !l.own ? <Link to={`/care/cases?unit=${l.unitId}`}>{unitName(l)}</Link> : unitName(l)),
    },
    { title: t('care.board.openCases'), key: 'open', width: 90, align: 'center', render: (_, l) => <span data-testid={`care-board-open-${l.key}`}>{l.counts.openCases}</span> },
    ...CARE_KINDS.map((k) => ({ title: t(`care.kinds.${k}`), key: k, width: 90, align: 'center' as const, render: (_: unknown, l: Line) => l.counts.byKind[k] })),
    { title: t('care.board.needsOpen'), key: 'needs', width: 90, align: 'center', render: (_, l) => l.counts.needsOpen },
    ...(canRead
      ? [{ title: t('care.board.lastContact'), key: 'last', width: 130, render: (_: unknown, l: Line) => (l.lastContactAt ? formatShort(l.lastContactAt) : <Typography.Text type="secondary">—</Typography.Text>) }]
      : []),
    {
      title: t('care.board.uncontacted'),
      key: 'uncontacted',
      width: 90,
      align: 'center',
      render: (_, l) =>
        l.counts.uncontacted > 0 ? (
          <Typography.Text type="danger" strong data-testid={`care-board-uncontacted-${l.key}`}>
            {l.counts.uncontacted}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">0</Typography.Text>
        ),
    },
    { title: t('care.board.requestsOpen'), key: 'requests', width: 90, align: 'center', render: (_, l) => l.counts.requestsOpen },
  ];

  const stat = (title: string, value: number | undefined, testId: string, danger = false) => (
    <Col xs={12} md={6}>
      <Card size="small">
        <Statistic
          title={title}
          value={value ?? '—'}
          loading={loading && !answer}
          valueStyle={danger && value ? { color: '#cf1322' } : undefined}
          valueRender={(n) => <span data-testid={testId}>{n}</span>}
        />
      </Card>
    </Col>
  );

  return (
    <div data-testid={canRead ? 'care-board' : 'care-figures'}>
      <PageHeader title={t('care.board.title')} subtitle={unit ? t(canRead ? 'care.board.subtitle' : 'care.board.figuresSubtitle', { unit: unit.name }) : undefined} />
      <Row gutter={16} style={{ marginBottom: 16 }}>
        {stat(t('care.board.openCases'), total?.openCases, 'care-total-open')}
        {stat(t('care.board.needsOpen'), total?.needsOpen, 'care-total-needs')}
        {stat(t('care.board.uncontacted'), total?.uncontacted, 'care-total-uncontacted', true)}
        {stat(t('care.board.requestsOpen'), total?.requestsOpen, 'care-total-requests')}
      </Row>
      <Card size="small" title={t('care.board.perUnit')}>
        <Table<Line>
          rowKey="key"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={total && total.openCases + total.requestsOpen > 0 ? lines : []}
          pagination={false}
          scroll={{ x: 1200 }}
          onRow={(l) => ({ 'data-testid': `care-board-row-${l.key}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Typography.Text type="secondary">{canRead ? t('care.board.empty') : t('care.board.figuresEmpty')}</Typography.Text> }}
        />
      </Card>
    </div>
  );
}
