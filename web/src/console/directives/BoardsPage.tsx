import { useEffect, useState } from 'react';
import { App, Button, Card, DatePicker, Flex, InputNumber, Space, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { addDays, dayOf } from '../../../../common/day.js';
import { dueToday, getTaskSettings, onTimeRecord, putTaskSettings, type DueToday, type OnTimeRecord } from '../../api/directives';
import { useMe } from '../../state/session';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { useScope } from '../../state/scope';
import { FigureTags, useTimeZone } from './bits';
import { TaskTable } from './TaskTable';

type RecordRow = OnTimeRecord['children'][number];
const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);

/** 今日到期 (every task due today across the selected unit's subtree) and the unit's on-time record over a period. */
export default function BoardsPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const timeZone = useTimeZone();
  const { unitId } = useScope();
  const today = dayOf(Date.now(), timeZone);
  const [due, setDue] = useState<DueToday | null>(null);
  const [period, setPeriod] = useState<[string, string]>([addDays(today, -29), today]);
  const [record, setRecord] = useState<OnTimeRecord | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    dueToday(unitId ?? undefined).then((d) => live && setDue(d), (e) => live && report(e));
    return () => {
      live = false;
    };
  }, [unitId, report]);
  useEffect(() => {
    if (unitId === null) return;
    let live = true;
    setLoading(true);
    onTimeRecord(unitId, period[0], period[1])
      .then((r) => live && setRecord(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, period, report]);

  const columns: TableColumnsType<RecordRow> = [
    { title: t('directives.board.unit'), dataIndex: 'name' },
    { title: t('directives.record.due'), dataIndex: 'due', width: 90, align: 'right' },
    { title: t('directives.record.onTime'), dataIndex: 'onTime', width: 90, align: 'right' },
    { title: t('directives.record.late'), dataIndex: 'late', width: 90, align: 'right' },
    { title: t('directives.record.missed'), dataIndex: 'missed', width: 90, align: 'right', render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n) },
    { title: t('directives.record.pending'), dataIndex: 'pending', width: 90, align: 'right' },
    { title: t('directives.record.rate'), dataIndex: 'rate', width: 100, align: 'right', render: percent },
  ];

  return (
    <>
      <PageHeader title={t('directives.boards.title')} subtitle={t('directives.boards.subtitle')} />
      <Card size="small" title={t('directives.boards.dueToday', { day: due?.day ?? today })} style={{ marginBottom: 16 }} extra={due && <FigureTags f={due.figures} testId="due-today-figures" />}>
        <TaskTable tasks={due?.items ?? []} loading={!due} empty={t('directives.boards.nothingDue')} />
      </Card>
      <ReminderLead />
      <Card
        size="small"
        title={t('directives.record.title', { unit: record?.unitName ?? '' })}
        extra={
          <DatePicker.RangePicker
            allowClear={false}
            value={[dayjs(period[0]), dayjs(period[1])]}
            onChange={(v) => v?.[0] && v[1] && setPeriod([(v[0] as Dayjs).format('YYYY-MM-DD'), (v[1] as Dayjs).format('YYYY-MM-DD')])}
            data-testid="record-period"
          />
        }
      >
        {record && (
          <Flex gap={48} wrap style={{ marginBottom: 12 }}>
            <Statistic title={t('directives.record.ownRate')} value={percent(record.own.rate)} />
            <Statistic title={t('directives.record.subtreeRate')} value={percent(record.subtree.rate)} />
            <Statistic title={t('directives.record.due')} value={record.subtree.due} />
            <Statistic title={t('directives.record.missed')} value={record.subtree.missed} valueStyle={record.subtree.missed ? { color: '#cf1322' } : undefined} />
          </Flex>
        )}
        <Table<RecordRow> rowKey="unitId" size="small" loading={loading} columns={columns} dataSource={record?.children ?? []} pagination={false} />
      </Card>
    </>
  );
}

/**
 * How long before a deadline the responsible person is reminded: one setting of the whole
 * organisation, shown only to those the server lets read it (the command office of a root unit).
 */
function ReminderLead() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const me = useMe();
  const [minutes, setMinutes] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const may = me.permissions.includes('directives.write');

  useEffect(() => {
    if (!may) return;
    let live = true;
    // A refusal means this user may not set it: the card stays hidden.
    getTaskSettings().then((s) => live && setMinutes(s.reminderLeadMinutes), () => undefined);
    return () => {
      live = false;
    };
  }, [may]);
  if (minutes === null) return null;

  const save = async () => {
    setSaving(true);
    try {
      setMinutes((await putTaskSettings({ reminderLeadMinutes: minutes })).reminderLeadMinutes);
      void message.success(t('directives.settings.saved'));
    } catch (e) {
      report(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" style={{ marginBottom: 16 }} title={t('directives.settings.title')}>
      <Space wrap>
        <Typography.Text>{t('directives.settings.lead')}</Typography.Text>
        <InputNumber min={0} max={7 * 24 * 60} value={minutes} onChange={(v) => setMinutes(v ?? 0)} addonAfter={t('directives.settings.minutes')} data-testid="task-reminder-lead" />
        <Button type="primary" loading={saving} onClick={() => void save()} data-testid="task-reminder-save">
          {t('common.save')}
        </Button>
        <Typography.Text type="secondary">{t('directives.settings.hint')}</Typography.Text>
      </Space>
    </Card>
  );
}
