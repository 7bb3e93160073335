import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { dismissSuggestion, listSuggestions, openSuggestion, type CareSignal, type CareSuggestion } from '../../api/care';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { useConfirmAction } from '../../components/useConfirmAction';
import { useScope } from '../../state/scope';
import { CareKindTag } from './bits';

const SIGNAL_COLOURS: Record<CareSignal, string> = { health_watch: 'red', quarantine_checkin: 'orange', trip: 'blue', overseas_tag: 'geekblue', front_line_tag: 'volcano' };

/**
 * 建议关爱: people the system already knows need care (a health watch, a check-in from quarantine, a
 * trip under way, an overseas or front-line tag) and who have no open case of that kind; open the
 * case with one click, or dismiss the suggestion so it is not made again.
 */
export default function SuggestionsPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { unitId, unit } = useScope();
  const [items, setItems] = useState<CareSuggestion[]>([]);
  const [loading, setLoading] = useState(false);
  const [opening, setOpening] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const confirm = useConfirmAction(refresh);

  useEffect(() => {
    let live = true;
    setLoading(true);
    listSuggestions(unitId ?? undefined)
      .then((r) => live && setItems(r.items), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, tick, report]);

  const open = async (s: CareSuggestion) => {
    setOpening(s.key);
    try {
      const c = await openSuggestion(s.key);
      void message.success(t('care.suggestions.opened', { name: s.personName }));
      navigate(`/care/cases/${c.id}`);
    } catch (e) {
      report(e);
      refresh();
    } finally {
      setOpening(null);
    }
  };

  const columns: TableColumnsType<CareSuggestion> = [
    {
      title: t('care.list.person'),
      key: 'person',
      width: 180,
      render: (_, s) => (
        <div>
          {s.personName}
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {s.employeeNo}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: t('care.list.unit'), dataIndex: 'unitName', width: 160, ellipsis: true },
    {
      title: t('care.suggestions.reason'),
      key: 'reason',
      width: 220,
      render: (_, s) => (
        <Space size={4} wrap>
          <Tag color={SIGNAL_COLOURS[s.signal]} data-testid={`care-suggestion-signal-${s.key}`}>
            {t(`care.signals.${s.signal}`)}
          </Tag>
          {s.since && <Typography.Text type="secondary">{t('care.suggestions.since', { day: s.since })}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('care.suggestions.proposedKind'), key: 'kind', width: 120, render: (_, s) => <CareKindTag kind={s.kind} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      render: (_, s) => (
        <Space size={0}>
          <Button type="primary" size="small" loading={opening === s.key} onClick={() => void open(s)} data-testid={`care-suggestion-open-${s.personId}-${s.signal}`}>
            {t('care.suggestions.open')}
          </Button>
          <Button
            type="link"
            size="small"
            onClick={() => confirm(t('care.suggestions.dismissConfirm', { name: s.personName }), false, () => dismissSuggestion(s.key), t('care.suggestions.dismissed'))}
            data-testid={`care-suggestion-dismiss-${s.personId}-${s.signal}`}
          >
            {t('care.suggestions.dismiss')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('care.suggestions.title')} subtitle={unit ? t('care.suggestions.subtitle', { unit: unit.name }) : undefined} />
      <Card size="small">
        <Table<CareSuggestion>
          rowKey="key"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={items}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          onRow={(s) => ({ 'data-testid': `care-suggestion-row-${s.personId}-${s.signal}`, 'data-signal': s.signal }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Typography.Text type="secondary">{t('care.suggestions.empty')}</Typography.Text> }}
        />
      </Card>
    </>
  );
}
