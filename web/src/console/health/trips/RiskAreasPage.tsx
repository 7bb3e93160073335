import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Checkbox, DatePicker, Empty, Flex, Form, Input, Radio, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { RISK_LEVELS } from '../../../../../common/schemas/trips.js';
import { createRiskArea, endRiskArea, listRiskAreas, updateRiskArea, type RiskArea } from '../../../api/trips';
import { useReportError } from '../../../components/apiErrors';
import { FormModal } from '../../../components/FormModal';
import { PageHeader } from '../../../components/PageHeader';
import { emptyToNull } from '../../../components/zodRule';

const DAY = 'YYYY-MM-DD';
type Level = (typeof RISK_LEVELS)[number];
interface AreaForm {
  city: string;
  district?: string;
  level: Level;
  validFrom: Dayjs;
  validUntil?: Dayjs | null;
  note?: string;
}
const FIELDS = ['city', 'district', 'level', 'validFrom', 'validUntil', 'note'] as const;

/** 中高风险地区: the list everyone reads; the command office adds, corrects and lifts areas. */
export default function RiskAreasPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const [all, setAll] = useState(false);
  const [data, setData] = useState<{ items: RiskArea[]; write: boolean }>({ items: [], write: false });
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<RiskArea | 'new' | null>(null);
  const [ending, setEnding] = useState<RiskArea | null>(null);
  const [form] = Form.useForm<AreaForm>();
  const [endForm] = Form.useForm<{ lastDay: Dayjs }>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await listRiskAreas({ all });
      setData({ items: r.items, write: r.abilities.write });
    } catch (e) {
      report(e);
    } finally {
      setLoading(false);
    }
  }, [all, report]);
  useEffect(() => {
    void load();
  }, [load]);

  async function save(v: AreaForm) {
    const body = {
      city: v.city,
      district: emptyToNull(v.district),
      level: v.level,
      validFrom: v.validFrom.format(DAY),
      validUntil: v.validUntil ? v.validUntil.format(DAY) : null,
      note: emptyToNull(v.note),
    };
    try {
      const r = editing === 'new' || editing === null ? await createRiskArea(body) : await updateRiskArea(editing.id, body);
      void message.success(t(editing === 'new' ? 'riskAreas.created' : 'riskAreas.saved', { count: r.returnsToWatch }));
      setEditing(null);
      await load();
    } catch (e) {
      report(e, { instance: form, fields: FIELDS });
      throw e;
    }
  }

  async function end(v: { lastDay: Dayjs }) {
    try {
      await endRiskArea(ending!.id, v.lastDay.format(DAY));
      void message.success(t('riskAreas.ended'));
      setEnding(null);
      await load();
    } catch (e) {
      report(e, { instance: endForm, fields: ['lastDay'] });
      throw e;
    }
  }

  const columns: TableColumnsType<RiskArea> = [
    { title: t('riskAreas.city'), dataIndex: 'city', width: 140 },
    { title: t('riskAreas.district'), dataIndex: 'district', width: 160, render: (d: string | null) => d ?? <Typography.Text type="secondary">{t('riskAreas.wholeCity')}</Typography.Text> },
    { title: t('riskAreas.level'), dataIndex: 'level', width: 110, render: (l: Level) => <Tag color={l === 'high' ? 'red' : 'orange'}>{t(`riskAreas.levels.${l}`)}</Tag> },
    { title: t('riskAreas.validFrom'), dataIndex: 'validFrom', width: 120 },
    { title: t('riskAreas.validUntil'), dataIndex: 'validUntil', width: 120, render: (d: string | null) => d ?? t('riskAreas.openEnded') },
    { title: t('riskAreas.note'), dataIndex: 'note', ellipsis: true, render: (n: string | null) => n ?? '' },
    { title: '', dataIndex: 'active', width: 90, render: (a: boolean) => <Tag color={a ? 'red' : 'default'}>{t(a ? 'riskAreas.active' : 'riskAreas.inactive')}</Tag> },
    ...(data.write
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 150,
            render: (_: unknown, r: RiskArea) => (
              <Space>
                <Button size="small" onClick={() => setEditing(r)} data-testid={`risk-edit-${r.id}`}>
                  {t('common.edit')}
                </Button>
                {(r.validUntil === null || r.active) && (
                  <Button size="small" danger onClick={() => setEnding(r)} data-testid={`risk-end-${r.id}`}>
                    {t('riskAreas.end')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  const initial: Partial<AreaForm> | undefined =
    editing && editing !== 'new'
      ? { city: editing.city, district: editing.district ?? '', level: editing.level, validFrom: dayjs(editing.validFrom), validUntil: editing.validUntil ? dayjs(editing.validUntil) : null, note: editing.note ?? '' }
      : { level: 'medium', validFrom: dayjs() };

  return (
    <>
      <PageHeader
        title={t('riskAreas.title')}
        subtitle={t('riskAreas.subtitle')}
        extra={
          data.write && (
            <Button type="primary" onClick={() => setEditing('new')} data-testid="risk-create">
              {t('riskAreas.create')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Flex style={{ marginBottom: 12 }}>
          <Checkbox checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="risk-show-all">
            {t('riskAreas.showAll')}
          </Checkbox>
        </Flex>
        <Table<RiskArea>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('riskAreas.empty')} /> }}
          data-testid="risk-table"
        />
      </Card>
      <FormModal<AreaForm>
        title={t(editing === 'new' ? 'riskAreas.create' : 'riskAreas.edit')}
        open={editing !== null}
        form={form}
        initialValues={initial}
        onCancel={() => setEditing(null)}
        onSubmit={save}
        submitTestId="risk-submit"
      >
        <Form.Item name="city" label={t('riskAreas.city')} extra={t('riskAreas.cityHint')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={50} data-testid="risk-city" />
        </Form.Item>
        <Form.Item name="district" label={t('riskAreas.district')} extra={t('riskAreas.districtHint')}>
          <Input maxLength={50} data-testid="risk-district" />
        </Form.Item>
        <Form.Item name="level" label={t('riskAreas.level')} rules={[{ required: true, message: t('common.required') }]}>
          <Radio.Group options={RISK_LEVELS.map((l) => ({ value: l, label: t(`riskAreas.levels.${l}`) }))} data-testid="risk-level" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="validFrom" label={t('riskAreas.validFrom')} rules={[{ required: true, message: t('common.required') }]}>
            <DatePicker data-testid="risk-from" />
          </Form.Item>
          <Form.Item
            name="validUntil"
            label={t('riskAreas.validUntil')}
            dependencies={['validFrom']}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_r, v: Dayjs | null | undefined) => {
                  const from = getFieldValue('validFrom') as Dayjs | undefined;
                  if (v && from && v.isBefore(from, 'day')) throw new Error(t('riskAreas.untilBeforeFrom'));
                },
              }),
            ]}
          >
            <DatePicker placeholder={t('riskAreas.openEnded')} data-testid="risk-until" />
          </Form.Item>
        </Flex>
        <Form.Item name="note" label={t('riskAreas.note')}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </FormModal>
      <FormModal<{ lastDay: Dayjs }>
        title={ending ? `${t('riskAreas.endTitle')} · ${ending.city}${ending.district ?? ''}` : ''}
        open={ending !== null}
        form={endForm}
        initialValues={{ lastDay: dayjs() }}
        onCancel={() => setEnding(null)}
        onSubmit={end}
        submitText={t('riskAreas.end')}
        submitTestId="risk-end-submit"
        danger
      >
        <Form.Item name="lastDay" label={t('riskAreas.lastDay')} extra={t('riskAreas.endHint')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker data-testid="risk-last-day" />
        </Form.Item>
      </FormModal>
    </>
  );
}
