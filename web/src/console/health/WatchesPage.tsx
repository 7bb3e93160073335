import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Descriptions, Drawer, Empty, Flex, Form, Input, InputNumber, List, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { TEMPERATURE_MAX, TEMPERATURE_MIN } from '../../../../common/schemas/health.js';
import { WATCH_DAYS_MAX, WATCH_OUTCOMES, WatchNoteInput, WatchOpen } from '../../../../common/schemas/watches.js';
import { addWatchNote, closeWatch, getWatch, listWatches, openWatch, type WatchDetail, type WatchListItem } from '../../api/watches';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { PersonSelect } from '../../components/PersonSelect';
import { serverPagination } from '../../components/serverPagination';
import { UnitPicker } from '../../components/UnitPicker';
import { zodRule } from '../../components/zodRule';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { ContactsDrawer } from '../dining/ContactsDrawer';

type StatusFilter = 'open' | 'closed' | 'all';
type Outcome = (typeof WATCH_OUTCOMES)[number];

/** 健康监测: the people under health watch in the chosen subtree, with a drawer for each watch. */
export default function WatchesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { unitId: scopeId } = useScope();
  const report = useReportError();
  const navigate = useNavigate();
  const { id: linkedId } = useParams();
  const [params] = useSearchParams();
  // The open watch: ?watch=12, or the path a notification links to (/health/watches/12).
  const openId = params.get('watch') ?? linkedId ?? null;
  const [unitId, setUnitId] = useState<number | null>(scopeId);
  const [status, setStatus] = useState<StatusFilter>('open');
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [data, setData] = useState<{ items: WatchListItem[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [opening, setOpening] = useState(false);
  const [version, setVersion] = useState(0);
  const canWrite = me.permissions.includes('health.write');

  useEffect(() => setUnitId(scopeId), [scopeId]);
  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [unitId, status]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listWatches({ unitId: unitId ?? undefined, status: status === 'all' ? undefined : status, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, status, paging, version, report]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  // The drawer's watch lives in the query (?watch=12): the page stays mounted and keeps its filters.
  // Navigating (rather than only setting the query) also leaves a notification's /health/watches/12
  // path, so closing that drawer does not leave it open; redirecting on arrival instead raced the
  // shell's own replace of the query (?unit=) and lost.
  const show = useCallback(
    (id: number | null) => {
      const next = new URLSearchParams(params);
      if (id === null) next.delete('watch');
      else next.set('watch', String(id));
      const search = next.toString();
      navigate({ pathname: '/health/watches', search: search ? `?${search}` : '' }, { replace: id === null });
    },
    [params, navigate],
  );

  const columns: TableColumnsType<WatchListItem> = [
    { title: t('watches.person'), dataIndex: 'personName', render: (name: string, w) => <Typography.Link onClick={() => show(w.id)} data-testid={`watch-row-${w.id}`}>{name}</Typography.Link> },
    { title: t('watches.employeeNo'), dataIndex: 'employeeNo', width: 120 },
    { title: t('watches.unit'), dataIndex: 'unitName', ellipsis: true },
    { title: t('watches.reason'), dataIndex: 'reason', width: 140, render: (r: WatchListItem['reason']) => <Tag>{t(`watches.reasons.${r}`)}</Tag> },
    { title: t('watches.period'), key: 'period', width: 200, render: (_, w) => `${w.startDay} ~ ${w.endDay}` },
    {
      title: t('watches.daysLeft'),
      dataIndex: 'daysLeft',
      width: 110,
      render: (d: number | null, w) =>
        w.status === 'closed' ? <Tag color="default">{w.outcome ? t(`watches.outcomes.${w.outcome}`) : t('watches.statuses.closed')}</Tag> : <Tag color={d === 0 ? 'red' : d !== null && d <= 3 ? 'orange' : 'blue'}>{d === 0 ? t('watches.due') : t('watches.days', { count: d ?? 0 })}</Tag>,
    },
  ];

  return (
    <>
      <PageHeader
        title={t('watches.title')}
        subtitle={t('watches.subtitle')}
        extra={
          canWrite && (
            <Button type="primary" onClick={() => setOpening(true)} data-testid="watch-open">
              {t('watches.open')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <UnitPicker allowClear value={unitId} onChange={(id) => setUnitId(id ?? null)} placeholder={t('watches.unit')} style={{ width: 240 }} data-testid="watches-unit" />
          <Select<StatusFilter>
            style={{ width: 140 }}
            value={status}
            onChange={setStatus}
            options={(['open', 'closed', 'all'] as const).map((s) => ({ value: s, label: t(`watches.statuses.${s}`) }))}
            data-testid="watches-status"
          />
        </Flex>
        <Table<WatchListItem>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('watches.empty')} /> }}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          data-testid="watches-table"
        />
      </Card>
      {openId !== null && /^\d+$/.test(openId) && <WatchDrawer id={Number(openId)} onClose={() => show(null)} onChanged={reload} />}
      {opening && (
        <OpenWatchModal
          onClose={() => setOpening(false)}
          onOpened={(id) => {
            reload();
            show(id);
          }}
        />
      )}
    </>
  );
}

interface NoteValues {
  note: string;
  temperature?: number | null;
}

/** One watch: who, why, until when, its notes; a note form and a close button while it is open. */
function WatchDrawer({ id, onClose, onChanged }: { id: number; onClose(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const formatTime = useFormatTime();
  const { message } = App.useApp();
  const [watch, setWatch] = useState<WatchDetail | null>(null);
  const [closing, setClosing] = useState(false);
  const [contacts, setContacts] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<NoteValues>();

  useEffect(() => {
    let live = true;
    setWatch(null);
    getWatch(id).then((w) => live && setWatch(w), (e) => {
      if (!live) return;
      report(e);
      onClose();
    });
    return () => {
      live = false;
    };
    // onClose changes with every render of the page; the watch to load is what matters.
  }, [id, report]);

  const addNote = async (v: NoteValues) => {
    setBusy(true);
    try {
      const note = await addWatchNote(id, { note: v.note.trim(), ...(v.temperature != null ? { temperature: v.temperature } : {}) });
      setWatch((w) => (w ? { ...w, notes: [...w.notes, note] } : w));
      form.resetFields();
      void message.success(t('watches.noteAdded'));
      onChanged();
    } catch (e) {
      report(e, { instance: form, fields: ['note', 'temperature'] });
    } finally {
      setBusy(false);
    }
  };

  const who = (n: WatchDetail['notes'][number]) => n.authorName ?? t('watches.system');
  return (
    <Drawer open width={560} title={watch ? `${watch.personName} · ${t('watches.title')}` : t('watches.title')} onClose={onClose} loading={!watch} data-testid="watch-drawer">
      {watch && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('watches.person')}>{`${watch.personName} · ${watch.employeeNo}`}</Descriptions.Item>
            <Descriptions.Item label={t('watches.unit')}>{watch.unitName}</Descriptions.Item>
            <Descriptions.Item label={t('watches.reason')}>{t(`watches.reasons.${watch.reason}`)}</Descriptions.Item>
            <Descriptions.Item label={t('watches.period')}>{`${watch.startDay} ~ ${watch.endDay} (${t('watches.days', { count: watch.days })})`}</Descriptions.Item>
            <Descriptions.Item label={t('watches.status')}>
              <span data-testid="watch-status">
                {watch.status === 'open' ? t('watches.statuses.open') : `${t('watches.statuses.closed')} · ${watch.outcome ? t(`watches.outcomes.${watch.outcome}`) : ''}`}
              </span>
              {watch.outcomeNote && <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{watch.outcomeNote}</Typography.Paragraph>}
            </Descriptions.Item>
          </Descriptions>
          <List
            header={<Typography.Text strong>{t('watches.notes')}</Typography.Text>}
            size="small"
            dataSource={watch.notes}
            data-testid="watch-notes"
            renderItem={(n) => (
              <List.Item>
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <span>{n.day}</span>
                      {n.reason && <Tag color="purple">{t(`watches.reasons.${n.reason}`)}</Tag>}
                      {n.temperature !== null && <Tag color={n.temperature >= 37.3 ? 'red' : 'green'}>{`${n.temperature.toFixed(1)} °C`}</Tag>}
                    </Space>
                  }
                  description={
                    <>
                      {n.note && <div>{n.note}</div>}
                      <Typography.Text type="secondary">{`${who(n)} · ${formatTime(n.createdAt)}`}</Typography.Text>
                    </>
                  }
                />
              </List.Item>
            )}
          />
          {watch.abilities.addNote && (
            <Form<NoteValues> form={form} layout="vertical" onFinish={addNote} requiredMark="optional">
              <Form.Item name="note" label={t('watches.note')} rules={[{ required: true, message: t('common.required') }, zodRule(WatchNoteInput.shape.note)]}>
                <Input.TextArea rows={2} maxLength={500} placeholder={t('watches.notePlaceholder')} data-testid="watch-note-text" />
              </Form.Item>
              <Flex gap={8} align="flex-end">
                <Form.Item name="temperature" label={t('watches.temperature')} style={{ marginBottom: 0 }}>
                  <InputNumber min={TEMPERATURE_MIN} max={TEMPERATURE_MAX} step={0.1} precision={1} addonAfter="°C" style={{ width: 160 }} data-testid="watch-note-temperature" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy} data-testid="watch-note-submit">
                  {t('watches.addNote')}
                </Button>
              </Flex>
            </Form>
          )}
          <Space>
            {/* 密接候选: who shared the person's unit, meetings, canteen slot and shifts (issue 6). */}
            <Button onClick={() => setContacts(true)} data-testid="watch-contacts">
              {t('contacts.open')}
            </Button>
            {watch.abilities.close && (
              <Button danger onClick={() => setClosing(true)} data-testid="watch-close">
                {t('watches.close')}
              </Button>
            )}
          </Space>
        </Space>
      )}
      {contacts && watch && <ContactsDrawer personId={watch.personId} onClose={() => setContacts(false)} />}
      {closing && watch && (
        <CloseWatchModal
          watch={watch}
          onClose={() => setClosing(false)}
          onClosed={(w) => {
            setWatch(w);
            onChanged();
          }}
        />
      )}
    </Drawer>
  );
}

interface CloseValues {
  outcome: Outcome;
  note?: string;
}

function CloseWatchModal({ watch, onClose, onClosed }: { watch: WatchDetail; onClose(): void; onClosed(w: WatchDetail): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<CloseValues>();
  const outcome = Form.useWatch('outcome', form);
  const submit = async (v: CloseValues) => {
    try {
      const note = v.note?.trim();
      onClosed(await closeWatch(watch.id, { outcome: v.outcome, ...(note ? { note } : {}) }));
      void message.success(t('watches.closed'));
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: ['outcome', 'note'] });
      throw e;
    }
  };
  return (
    <FormModal title={t('watches.closeTitle', { name: watch.personName })} open form={form} onCancel={onClose} onSubmit={submit} submitText={t('watches.close')} submitTestId="watch-close-submit">
      <Form.Item name="outcome" label={t('watches.outcome')} rules={[{ required: true, message: t('common.required') }]}>
        <Select<Outcome> options={WATCH_OUTCOMES.map((o) => ({ value: o, label: t(`watches.outcomes.${o}`) }))} data-testid="watch-close-outcome" />
      </Form.Item>
      <Form.Item name="note" label={t('watches.outcomeNote')} rules={outcome === 'other' ? [{ required: true, message: t('common.required') }] : []}>
        <Input.TextArea rows={2} maxLength={500} data-testid="watch-close-note" />
      </Form.Item>
    </FormModal>
  );
}

interface OpenValues {
  personId?: number;
  days?: number | null;
  note?: string;
}

/** Put a person under watch by hand; one already under watch has the reason added to their watch. */
function OpenWatchModal({ onClose, onOpened }: { onClose(): void; onOpened(id: number): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<OpenValues>();
  const submit = async (v: OpenValues) => {
    try {
      const note = v.note?.trim();
      const w = await openWatch({ personId: v.personId!, ...(v.days != null ? { days: v.days } : {}), ...(note ? { note } : {}) });
      // A person already under watch has this opening added to their watch as one more note.
      void message.success(t(w.notes.length > 1 ? 'watches.joined' : 'watches.opened', { name: w.personName }));
      onOpened(w.id);
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: ['personId', 'days', 'note'] });
      throw e;
    }
  };
  return (
    <FormModal title={t('watches.openTitle')} open form={form} onCancel={onClose} onSubmit={submit} submitText={t('watches.open')} submitTestId="watch-open-submit">
      <Form.Item name="personId" label={t('watches.person')} rules={[{ required: true, message: t('common.required') }]}>
        <PersonSelect placeholder={t('watches.personPlaceholder')} onChange={(id) => form.setFieldValue('personId', id)} data-testid="watch-open-person" />
      </Form.Item>
      <Form.Item name="days" label={t('watches.daysLabel')} extra={t('watches.daysHelp')} rules={[zodRule(WatchOpen.shape.days)]}>
        <InputNumber min={1} max={WATCH_DAYS_MAX} precision={0} style={{ width: 160 }} data-testid="watch-open-days" />
      </Form.Item>
      <Form.Item name="note" label={t('watches.note')} rules={[zodRule(WatchNoteInput.shape.note)]}>
        <Input.TextArea rows={2} maxLength={500} data-testid="watch-open-note" />
      </Form.Item>
    </FormModal>
  );
}
