import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, DatePicker, Empty, Flex, Space, Table, Tabs, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { getRegister, type Register, type RegisterEntry } from '../../api/measures';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { UnitPicker } from '../../components/UnitPicker';
import { useScope } from '../../state/scope';
import { ExceptionsTab } from './ExceptionsTab';
import { HistoryDrawer } from './HistoryDrawer';
import { useMeasureText } from './measureText';
import { RemoveMeasureModal, SetMeasureModal } from './SetMeasureModal';

type TabKey = 'register' | 'exceptions';

/** 防控措施: a unit's register (what applies and where from), its own values, and the exceptions the level above decides. */
export default function MeasuresPage() {
  const { t } = useTranslation();
  const { unitId: scopeId } = useScope();
  const [params, setParams] = useSearchParams();
  const tab: TabKey = params.get('tab') === 'exceptions' ? 'exceptions' : 'register';
  const [unitId, setUnitId] = useState<number | null>(scopeId);
  useEffect(() => setUnitId(scopeId), [scopeId]);

  const setTab = (k: string) => {
    const next = new URLSearchParams(params);
    if (k === 'register') next.delete('tab');
    else next.set('tab', k);
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader title={t('measures.title')} subtitle={t('measures.subtitle')} />
      <Card size="small">
        <Flex gap={8} wrap style={{ marginBottom: 8 }}>
          <UnitPicker value={unitId} onChange={(id) => setUnitId(id ?? null)} placeholder={t('measures.unit')} style={{ width: 260 }} data-testid="measures-unit" />
        </Flex>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'register', label: t('measures.tabs.register'), children: unitId === null ? <Empty description={t('measures.pickUnit')} /> : <RegisterTab unitId={unitId} /> },
            { key: 'exceptions', label: t('measures.tabs.exceptions'), children: <ExceptionsTab unitId={unitId} /> },
          ]}
          data-testid="measures-tabs"
        />
      </Card>
    </>
  );
}

function RegisterTab({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const report = useReportError();
  const formatTime = useFormatTime();
  const text = useMeasureText();
  const [register, setRegister] = useState<Register | null>(null);
  const [loading, setLoading] = useState(false);
  const [version, setVersion] = useState(0);
  // Another day's register answers what applied (or will apply) then; changes are made from today's.
  const [day, setDay] = useState<Dayjs | null>(null);
  const [setting, setSetting] = useState<RegisterEntry | null>(null);
  const [removing, setRemoving] = useState<RegisterEntry | null>(null);
  const [history, setHistory] = useState<string | null>(null);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    setLoading(true);
    getRegister(unitId, day?.format('YYYY-MM-DD'))
      .then((r) => live && setRegister(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, day, version, report]);

  const source = (e: RegisterEntry) => {
    const s = e.source;
    switch (s.kind) {
      case 'default':
        return <Tag>{t('measures.source.default')}</Tag>;
      case 'own':
        return <Tag color="blue">{t('measures.source.own')}</Tag>;
      case 'exception':
        return (
          <Tooltip title={s.approvedBy ? t('measures.source.approvedBy', { name: s.approvedBy.name, at: formatTime(s.approvedAt) }) : undefined}>
            <Tag color="purple">{t('measures.source.exception')}</Tag>
          </Tooltip>
        );
      case 'inherited':
        return (
          <Space size={4} wrap>
            <Tag color="default">{t('measures.source.inherited', { unit: s.unitName ?? '' })}</Tag>
            {s.approvedBy && <Typography.Text type="secondary">{t('measures.source.approvedBy', { name: s.approvedBy.name, at: formatTime(s.approvedAt) })}</Typography.Text>}
          </Space>
        );
    }
  };

  const own = (e: RegisterEntry) => {
    if (!e.own && !e.pending && !e.scheduled) return <Typography.Text type="secondary">—</Typography.Text>;
    return (
      <Space direction="vertical" size={2}>
        {e.own && (
          <Space size={4} wrap>
            <span>{text.value(e.key, e.own.value)}</span>
            <Tag color={e.own.state === 'applies' ? 'green' : e.own.state === 'pending' ? 'gold' : 'red'}>{t(`measures.ownState.${e.own.state}`)}</Tag>
            {e.own.vsParent !== 'equal' && <Tag color={e.own.vsParent === 'stricter' ? 'orange' : 'cyan'}>{t(`measures.vsParent.${e.own.vsParent}`)}</Tag>}
          </Space>
        )}
        {e.pending && (
          <Tag color="gold">{t('measures.pendingFrom', { value: text.value(e.key, e.pending.value), day: e.pending.effectiveFrom })}</Tag>
        )}
        {e.scheduled && (
          <Tag color="geekblue">
            {e.scheduled.value === null
              ? t('measures.scheduledRemoval', { day: e.scheduled.effectiveFrom })
              : t('measures.scheduledFrom', { value: text.value(e.key, e.scheduled.value), day: e.scheduled.effectiveFrom })}
          </Tag>
        )}
      </Space>
    );
  };

  const columns: TableColumnsType<RegisterEntry> = [
    { title: t('measures.measure'), dataIndex: 'key', render: (k: string) => text.name(k) },
    { title: t('measures.value'), key: 'value', width: 150, render: (_, e) => <Typography.Text strong data-testid={`measure-value-${e.key}`}>{text.value(e.key, e.value)}</Typography.Text> },
    { title: t('measures.sourceTitle'), key: 'source', render: (_, e) => <span data-testid={`measure-source-${e.key}`}>{source(e)}</span> },
    { title: register?.isRoot ? t('measures.builtInDefault') : t('measures.parentValue'), key: 'parent', width: 140, render: (_, e) => text.value(e.key, e.parentValue) },
    { title: t('measures.own'), key: 'own', render: (_, e) => <span data-testid={`measure-own-${e.key}`}>{own(e)}</span> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 200,
      render: (_, e) => (
        <Space size={0} wrap>
          {!day && e.abilities.set && (
            <Button type="link" size="small" onClick={() => setSetting(e)} data-testid={`measure-set-${e.key}`}>
              {t('measures.set')}
            </Button>
          )}
          {!day && e.abilities.remove && (
            <Button type="link" size="small" danger onClick={() => setRemoving(e)} data-testid={`measure-remove-${e.key}`}>
              {t('measures.remove')}
            </Button>
          )}
          <Button type="link" size="small" onClick={() => setHistory(e.key)} data-testid={`measure-history-${e.key}`}>
            {t('measures.history')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
        <DatePicker value={day} onChange={setDay} allowClear placeholder={t('measures.today')} data-testid="measures-day" />
        <Typography.Text type="secondary">{t('measures.dayHint')}</Typography.Text>
      </Flex>
      {register && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t(register.isRoot ? 'measures.rootHint' : 'measures.rule', { unit: register.unitName, day: register.day })} />}
      <Table<RegisterEntry> rowKey="key" size="middle" loading={loading} columns={columns} dataSource={register?.items ?? []} pagination={false} data-testid="measures-register" />
      {setting && register && <SetMeasureModal unitId={register.unitId} unitName={register.unitName} isRoot={register.isRoot} today={register.day} entry={setting} onClose={() => setSetting(null)} onDone={reload} />}
      {removing && register && <RemoveMeasureModal unitId={register.unitId} today={register.day} entry={removing} onClose={() => setRemoving(null)} onDone={reload} />}
      {history && <HistoryDrawer unitId={unitId} measureKey={history} onClose={() => setHistory(null)} />}
    </>
  );
}
