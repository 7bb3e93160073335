import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { HealthSettings } from '../../../../common/schemas/reminders.js';
import { ApiError } from '../../api/client';
import { getHealthSettings, putHealthSettings, type HealthSettingsValue } from '../../api/notify';
import { useReportError } from '../../components/apiErrors';
import { PageHeader } from '../../components/PageHeader';
import { zodRule } from '../../components/zodRule';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { ChannelsCard } from '../notify/ChannelsCard';
import { WATCH_DAYS_MAX } from '../../../../common/schemas/watches.js';

const FIELDS = ['cutoff', 'reminderTimes', 'digestTime', 'watchDays', 'retentionDays'] as const;

/** The deployment's health rhythm (for who holds health.settings on the root) and the scoped unit's chat robots. */
export default function HealthSettingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { unit } = useScope();
  const canSettings = me.permissions.includes('health.settings');
  const canChannels = me.permissions.includes('units.write');
  return (
    <>
      <PageHeader title={t('healthSettings.title')} subtitle={t('healthSettings.subtitle')} />
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        {canSettings && <SettingsForm />}
        {canChannels && unit && unit.abilities.update && <ChannelsCard key={unit.id} unitId={unit.id} unitName={unit.name} />}
        {canChannels && unit && !unit.abilities.update && <Alert type="info" showIcon title={t('channels.pickUnit')} />}
      </Space>
    </>
  );
}

function SettingsForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<HealthSettingsValue>();
  const [loaded, setLoaded] = useState<HealthSettingsValue | null>(null);
  const [denied, setDenied] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const s = await getHealthSettings();
      setLoaded(s);
      form.setFieldsValue(s);
    } catch (e) {
      // health.settings held only below the root does not open the deployment's settings.
      if (e instanceof ApiError && e.status === 403) setDenied(true);
      else report(e);
    }
  }, [form, report]);
  useEffect(() => {
    void load();
  }, [load]);

  async function save(v: HealthSettingsValue) {
    setBusy(true);
    try {
      const s = await putHealthSettings({ ...v, reminderTimes: [...(v.reminderTimes ?? [])].sort() });
      setLoaded(s);
      form.setFieldsValue(s);
      void message.success(t('healthSettings.saved'));
    } catch (e) {
      report(e, { instance: form, fields: FIELDS });
    } finally {
      setBusy(false);
    }
  }

  if (denied) return <Alert type="info" showIcon title={t('healthSettings.rootOnly')} />;
  const time = (schema: typeof HealthSettings.shape.cutoff) => [{ required: true, message: t('common.required') }, zodRule(schema, t('healthSettings.badTime'))];
  return (
    <Card size="small" title={t('healthSettings.rhythm')} loading={!loaded} data-testid="health-settings-card">
      <Form<HealthSettingsValue> form={form} layout="vertical" onFinish={(v) => void save(v)} style={{ maxWidth: 560 }} data-testid="health-settings-form">
        <Flex gap={16} wrap>
          <Form.Item name="cutoff" label={t('healthSettings.cutoff')} extra={t('healthSettings.cutoffHint')} rules={time(HealthSettings.shape.cutoff)}>
            <Input placeholder="HH:MM" style={{ width: 120 }} data-testid="settings-cutoff" />
          </Form.Item>
          <Form.Item name="digestTime" label={t('healthSettings.digestTime')} extra={t('healthSettings.digestHint')} rules={time(HealthSettings.shape.digestTime)}>
            <Input placeholder="HH:MM" style={{ width: 120 }} data-testid="settings-digest" />
          </Form.Item>
        </Flex>
        <Form.Item
          name="reminderTimes"
          label={t('healthSettings.reminderTimes')}
          extra={t('healthSettings.reminderHint')}
          rules={[
            {
              validator: async (_r, v: string[] | undefined) => {
                const bad = (v ?? []).find((x) => !HealthSettings.shape.digestTime.safeParse(x).success);
                if (bad) throw new Error(`${t('healthSettings.badTime')}: ${bad}`);
              },
            },
          ]}
        >
          <Select mode="tags" tokenSeparators={[',', ' ', '，']} open={false} placeholder="09:00 10:30" data-testid="settings-reminders" />
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item name="watchDays" label={t('healthSettings.watchDays')} extra={t('healthSettings.watchHint')} rules={[{ required: true, message: t('common.required') }]}>
            <InputNumber min={1} max={WATCH_DAYS_MAX} precision={0} style={{ width: 120 }} data-testid="settings-watch-days" />
          </Form.Item>
          <Form.Item name="retentionDays" label={t('healthSettings.retentionDays')} extra={t('healthSettings.retentionHint')} rules={[{ required: true, message: t('common.required') }]}>
            <InputNumber min={7} max={3650} precision={0} style={{ width: 120 }} data-testid="settings-retention-days" />
          </Form.Item>
        </Flex>
        <Typography.Paragraph type="secondary">{t('healthSettings.timeZoneNote')}</Typography.Paragraph>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="settings-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
