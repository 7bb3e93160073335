import { useEffect, useState, type ReactNode } from 'react';
import { App, Button, Card, DatePicker, Form, Input, Table, Typography, type TableColumnsType } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { createMeeting, listMeetings, type Meeting } from '../../api/directives';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { serverPagination } from '../../components/serverPagination';
import { UnitPicker } from '../../components/UnitPicker';
import { useMe } from '../../state/session';
import { useScope } from '../../state/scope';
import { instantOf } from './AssignFields';
import { useTimeZone } from './bits';

interface Values {
  unitId?: number;
  title: string;
  heldAt: Dayjs;
  place?: string;
  chair?: string;
  attendees?: string;
  minutes?: string;
  decisions?: { text?: string }[];
}

/** Meetings (such as the source document's) with their decisions; each decision can become tasks in one step. */
export default function MeetingsPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const me = useMe();
  const navigate = useNavigate();
  const formatTime = useFormatTime();
  const timeZone = useTimeZone();
  const { message } = App.useApp();
  const { unitId } = useScope();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<{ items: Meeting[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<Values>();

  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [unitId]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listMeetings({ unitId: unitId ?? undefined, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, paging, report]);

  const columns: TableColumnsType<Meeting> = [
    { title: t('directives.meetings.name'), dataIndex: 'title', render: (title: string, m) => <Link to={`/directives/meetings/${m.id}`} data-testid={`meeting-link-${m.id}`}>{title}</Link> },
    { title: t('directives.meetings.heldAt'), dataIndex: 'heldAt', width: 180, render: (ms: number) => formatTime(ms) },
    { title: t('directives.meetings.unit'), dataIndex: 'unitName', width: 180 },
    { title: t('directives.meetings.chair'), dataIndex: 'chair', width: 120, render: (c: string | null) => c ?? '—' },
    { title: t('directives.meetings.decisions'), dataIndex: 'decisionCount', width: 90, align: 'right' },
  ];

  const opt = (s?: string) => (s?.trim() ? s.trim() : undefined);
  const submit = async (v: Values) => {
    try {
      const m = await createMeeting({
        ...(v.unitId ? { unitId: v.unitId } : {}),
        title: v.title,
        heldAt: instantOf(v.heldAt, timeZone),
        place: opt(v.place),
        chair: opt(v.chair),
        attendees: opt(v.attendees),
        minutes: opt(v.minutes),
        decisions: (v.decisions ?? []).flatMap((d) => (d.text?.trim() ? [{ text: d.text.trim() }] : [])),
      });
      void message.success(t('directives.meetings.created'));
      setCreating(false);
      navigate(`/directives/meetings/${m.id}${unitId ? `?unit=${unitId}` : ''}`);
    } catch (e) {
      report(e, { instance: form, fields: ['unitId', 'title', 'heldAt', 'place', 'chair', 'attendees', 'minutes', 'decisions'] });
      throw e;
    }
  };

  return (
    <>
      <PageHeader
        title={t('directives.meetings.title')}
        subtitle={t('directives.meetings.subtitle')}
        extra={
          me.permissions.includes('directives.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="meeting-new">
              {t('directives.meetings.new')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Table<Meeting>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          pagination={serverPagination(paging, setPaging, data.total, t)}
          locale={{ emptyText: <Typography.Text type="secondary">{t('directives.meetings.empty')}</Typography.Text> }}
        />
      </Card>
      <FormModal<Values>
        title={t('directives.meetings.new')}
        open={creating}
        form={form}
        onCancel={() => setCreating(false)}
        onSubmit={submit}
        initialValues={{ unitId: unitId ?? undefined, heldAt: dayjs(), decisions: [{ text: '' }] }}
        submitTestId="meeting-create-submit"
        width={640}
      >
        <Form.Item name="unitId" label={t('directives.create.unit')}>
          <UnitPicker />
        </Form.Item>
        <Form.Item name="title" label={t('directives.meetings.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}>
          <Input data-testid="meeting-title" />
        </Form.Item>
        <Form.Item name="heldAt" label={t('directives.meetings.heldAt')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="place" label={t('directives.meetings.place')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="chair" label={t('directives.meetings.chair')} rules={[{ max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="attendees" label={t('directives.meetings.attendees')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="minutes" label={t('directives.meetings.minutes')} rules={[{ max: 20000 }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
        <Typography.Text strong>{t('directives.meetings.decisions')}</Typography.Text>
        <Form.List name="decisions">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <DecisionRow key={f.key} remove={() => remove(f.name)}>
                  <Form.Item name={[f.name, 'text']} style={{ flex: 1, marginBottom: 8 }} rules={[{ max: 2000 }]}>
                    <Input.TextArea rows={2} placeholder={t('directives.meetings.decisionN', { n: i + 1 })} data-testid={`meeting-decision-${i}`} />
                  </Form.Item>
                </DecisionRow>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ text: '' })} block data-testid="meeting-decision-add">
                {t('directives.meetings.addDecision')}
              </Button>
            </>
          )}
        </Form.List>
      </FormModal>
    </>
  );
}

/** One decision's row in the form: its text and a remove button. */
function DecisionRow({ children, remove }: { children: ReactNode; remove(): void }) {
  return (
    <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start', marginTop: 8 }}>
      {children}
      <MinusCircleOutlined onClick={remove} style={{ marginTop: 8, color: '#999' }} />
    </div>
  );
}
