import { useEffect, useState } from 'react';
import { Drawer, List, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { getMeasureHistory, type MeasureHistory } from '../../api/measures';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { useMeasureText } from './measureText';

type Span = MeasureHistory['spans'][number];
type Change = MeasureHistory['changes'][number];

/** What applied at the unit span by span, and every change along its chain that the reader may see. */
export function HistoryDrawer({ unitId, measureKey, onClose }: { unitId: number; measureKey: string; onClose(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const formatTime = useFormatTime();
  const text = useMeasureText();
  const [history, setHistory] = useState<MeasureHistory | null>(null);

  useEffect(() => {
    let live = true;
    getMeasureHistory(unitId, measureKey).then((h) => live && setHistory(h), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [unitId, measureKey, report]);

  const source = (s: Span['source']) =>
    s.kind === 'default' ? t('measures.source.default') : s.kind === 'inherited' ? t('measures.source.inherited', { unit: s.unitName ?? '' }) : t(`measures.source.${s.kind}`);

  const columns: TableColumnsType<Span> = [
    { title: t('measures.historyFrom'), dataIndex: 'from', width: 120 },
    { title: t('measures.historyTo'), dataIndex: 'to', width: 120, render: (d: string | null) => d ?? t('measures.historyOngoing') },
    { title: t('measures.value'), key: 'value', render: (_, s) => <Typography.Text strong>{text.value(measureKey, s.value)}</Typography.Text> },
    { title: t('measures.sourceTitle'), key: 'source', render: (_, s) => source(s.source) },
  ];

  const changeLine = (c: Change) =>
    c.value === null ? t('measures.changeRemoved', { unit: c.unitName, day: c.effectiveFrom }) : t('measures.changeSet', { unit: c.unitName, value: text.value(measureKey, c.value), day: c.effectiveFrom });

  return (
    <Drawer open width={640} title={t('measures.historyTitle', { measure: text.name(measureKey) })} onClose={onClose} loading={!history} data-testid="measure-history">
      {history && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Table<Span> rowKey="from" size="small" columns={columns} dataSource={history.spans} pagination={false} data-testid="measure-history-spans" />
          <List<Change>
            header={<Typography.Text strong>{t('measures.changes')}</Typography.Text>}
            size="small"
            dataSource={history.changes}
            renderItem={(c) => (
              <List.Item>
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <span>{changeLine(c)}</span>
                      <Tag>{t(`measures.exceptions.statuses.${c.status}`)}</Tag>
                    </Space>
                  }
                  description={
                    <Space direction="vertical" size={0}>
                      {c.reason && <span>{c.reason}</span>}
                      <Typography.Text type="secondary">{t('measures.exceptions.requestedBy', { name: c.requestedBy?.name ?? t('measures.system'), at: formatTime(c.requestedAt) })}</Typography.Text>
                      {c.decidedBy && (
                        <Typography.Text type="secondary">
                          {t('measures.exceptions.decidedBy', { name: c.decidedBy.name, at: formatTime(c.decidedAt) })}
                          {c.decisionNote ? ` · ${c.decisionNote}` : ''}
                        </Typography.Text>
                      )}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        </Space>
      )}
    </Drawer>
  );
}
