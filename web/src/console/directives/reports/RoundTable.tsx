import { useEffect, useState } from 'react';
import { Button, Card, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { RoundCounts as Counts } from '../../../../../common/schemas/reports.js';
import { getRound, roundExportUrl, type ReportRoundView, type RoundUnitRow } from '../../../api/reports';
import { useReportError } from '../../../components/apiErrors';
import { useFormatTime } from '../../../components/format';
import { AnswerForm, type AnswerTarget } from './AnswerForm';
import { StateTag, useAnswerText } from './bits';

/** A round's counts as coloured tags: on time, late, not yet, missing, of how many. */
export function RoundCounts({ counts }: { counts: Counts }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <Tag color="green">{`${t('reports.states.on_time')} ${counts.onTime}`}</Tag>
      <Tag color="orange">{`${t('reports.states.late')} ${counts.late}`}</Tag>
      {counts.pending > 0 && <Tag color="blue">{`${t('reports.states.pending')} ${counts.pending}`}</Tag>}
      {counts.missing > 0 && <Tag color="red">{`${t('reports.states.missing')} ${counts.missing}`}</Tag>}
      <Typography.Text type="secondary">{`/ ${counts.units}`}</Typography.Text>
    </Space>
  );
}

/** A round side by side: a unit a row, a field a column, each row's state; export; fill in where allowed. */
export function RoundTable({ roundId, onChanged }: { roundId: number; onChanged(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const time = useFormatTime();
  const answerText = useAnswerText();
  const [view, setView] = useState<ReportRoundView | null>(null);
  const [loading, setLoading] = useState(false);
  const [filling, setFilling] = useState<AnswerTarget | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    getRound(roundId)
      .then((v) => live && setView(v), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [roundId, tick, report]);

  const fields = view?.request.fields ?? [];
  const columns: TableColumnsType<RoundUnitRow> = [
    { title: t('reports.round.unit'), dataIndex: 'unitName', fixed: 'left', width: 180 },
    { title: t('reports.round.state'), dataIndex: 'state', width: 100, render: (s: RoundUnitRow['state']) => <StateTag state={s} /> },
    ...fields.map((f) => ({
      title: f.label,
      key: `f:${f.key}`,
      width: f.type === 'long_text' ? 260 : 130,
      render: (_: unknown, r: RoundUnitRow) => <span style={{ whiteSpace: 'pre-wrap' }}>{answerText(f, r.answers?.[f.key])}</span>,
    })),
    { title: t('reports.round.submittedAt'), dataIndex: 'submittedAt', width: 170, render: (d: number | null) => (d ? time(d) : '—') },
    { title: t('reports.round.submittedBy'), dataIndex: 'submittedBy', width: 110, render: (s: string | null) => s ?? '—' },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 90,
      render: (_, r) =>
        r.canSubmit &&
        view && (
          <Button
            size="small"
            onClick={() =>
              setFilling({
                roundId,
                title: view.request.title,
                instructions: view.request.instructions,
                fields: view.request.fields,
                deadline: view.round.deadline,
                unitId: r.unitId,
                unitName: r.unitName,
                answers: r.answers,
              })
            }
            data-testid={`report-row-fill-${r.unitId}`}
          >
            {r.answers ? t('reports.round.correct') : t('reports.round.fill')}
          </Button>
        ),
    },
  ];

  return (
    <Card
      size="small"
      loading={loading && !view}
      title={view ? t('reports.round.title', { day: view.round.day }) : ''}
      extra={
        view && (
          <Space>
            <RoundCounts counts={view.round.counts} />
            <Button icon={<DownloadOutlined />} href={roundExportUrl(roundId)} data-testid="report-round-export">
              {t('reports.round.export')}
            </Button>
          </Space>
        )
      }
    >
      <Table<RoundUnitRow>
        rowKey="unitId"
        size="small"
        columns={columns}
        dataSource={view?.rows ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: <Typography.Text type="secondary">{t('reports.round.empty')}</Typography.Text> }}
        data-testid="report-round-table"
      />
      <AnswerForm
        target={filling}
        onClose={() => setFilling(null)}
        onDone={() => {
          setFilling(null);
          setTick((n) => n + 1);
          onChanged();
        }}
      />
    </Card>
  );
}
