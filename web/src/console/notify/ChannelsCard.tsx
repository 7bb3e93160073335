import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Checkbox, Empty, Form, Input, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { CHANNEL_KINDS, ChannelCreate } from '../../../../common/schemas/notify.js';
import { createChannel, deleteChannel, listChannels, testChannel, updateChannel, type UnitChannel } from '../../api/notify';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { FormModal } from '../../components/FormModal';
import { useConfirmAction } from '../../components/useConfirmAction';
import { DeliveryLogDrawer } from './DeliveryLog';
import { emptyToNull, zodRule } from '../../components/zodRule';

type Kind = (typeof CHANNEL_KINDS)[number];
interface ChannelForm {
  kind: Kind;
  name: string;
  url: string;
  secret?: string;
  removeSecret?: boolean;
  enabled: boolean;
}
const FIELDS = ['kind', 'name', 'url', 'secret', 'enabled'] as const;

/** The channels (DingTalk, WeCom, Feishu robots, a signed webhook, e-mail addresses) a unit's notifications also go to, and their delivery log. */
export function ChannelsCard({ unitId, unitName }: { unitId: number; unitName: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const fmt = useFormatTime();
  const [items, setItems] = useState<UnitChannel[]>([]);
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<UnitChannel | 'new' | null>(null);
  const [logOpen, setLogOpen] = useState(false);
  const [form] = Form.useForm<ChannelForm>();
  const kind = Form.useWatch('kind', form);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await listChannels(unitId)).items);
    } catch (e) {
      report(e);
    } finally {
      setLoading(false);
    }
  }, [unitId, report]);
  useEffect(() => {
    void load();
  }, [load]);
  const confirm = useConfirmAction(load);

  async function save(v: ChannelForm) {
    try {
      if (editing === 'new' || editing === null) {
        await createChannel(unitId, { kind: v.kind, name: v.name, url: v.url.trim(), secret: emptyToNull(v.secret), enabled: v.enabled });
      } else {
        const secret = v.removeSecret ? null : emptyToNull(v.secret);
        // An empty secret box keeps the secret: the console never has it to send back.
        // An empty URL box keeps the URL too (it is shown masked, since its token is a secret).
        const url = emptyToNull(v.url);
        await updateChannel(editing.id, { name: v.name, enabled: v.enabled, ...(url !== null ? { url } : {}), ...(v.removeSecret || secret !== null ? { secret } : {}) });
      }
      void message.success(t('channels.saved'));
      setEditing(null);
      await load();
    } catch (e) {
      report(e, { instance: form, fields: FIELDS });
      throw e;
    }
  }

  async function test(c: UnitChannel) {
    try {
      const r = await testChannel(c.id);
      if (r.ok) void message.success(t('channels.testOk'));
      else void message.error(t('channels.testFailed', { error: r.error ?? '' }));
      await load();
    } catch (e) {
      report(e);
    }
  }

  async function toggle(c: UnitChannel, enabled: boolean) {
    try {
      await updateChannel(c.id, { enabled });
      await load();
    } catch (e) {
      report(e);
    }
  }

  const columns: TableColumnsType<UnitChannel> = [
    { title: t('channels.name'), dataIndex: 'name', width: 160 },
    { title: t('channels.kind'), dataIndex: 'kind', width: 120, render: (k: Kind) => <Tag>{t(`channels.kinds.${k}`)}</Tag> },
    { title: t('channels.url'), dataIndex: 'url', ellipsis: true },
    { title: t('channels.secret'), dataIndex: 'secret', width: 90, render: (s: 'set' | 'none') => (s === 'set' ? <Tag color="green">{t('channels.secretSet')}</Tag> : <Tag>{t('channels.secretNone')}</Tag>) },
    {
      title: t('channels.enabled'),
      dataIndex: 'enabled',
      width: 80,
      render: (on: boolean, c) => <Switch size="small" checked={on} onChange={(v) => void toggle(c, v)} data-testid={`channel-enabled-${c.id}`} />,
    },
    {
      title: t('channels.lastSent'),
      key: 'last',
      width: 200,
      render: (_: unknown, c) =>
        c.lastError ? (
          <Typography.Text type="danger" ellipsis={{ tooltip: c.lastError }} style={{ maxWidth: 180 }}>
            {c.lastError}
          </Typography.Text>
        ) : (
          fmt(c.lastSentAt)
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 200,
      render: (_: unknown, c) => (
        <Space size={4}>
          <Button size="small" onClick={() => void test(c)} data-testid={`channel-test-${c.id}`}>
            {t('channels.test')}
          </Button>
          <Button size="small" onClick={() => setEditing(c)} data-testid={`channel-edit-${c.id}`}>
            {t('common.edit')}
          </Button>
          <Button
            size="small"
            danger
            onClick={() => confirm(t('channels.deleteConfirm', { name: c.name }), true, () => deleteChannel(c.id), t('channels.deleted'))}
            data-testid={`channel-delete-${c.id}`}
          >
            {t('common.delete')}
          </Button>
        </Space>
      ),
    },
  ];

  const initial: Partial<ChannelForm> =
    editing && editing !== 'new' ? { kind: editing.kind, name: editing.name, url: '', enabled: editing.enabled } : { kind: 'dingtalk', enabled: true };
  const isNew = editing === 'new';
  const current = editing !== null && editing !== 'new' ? editing : null;

  return (
    <Card
      size="small"
      title={t('channels.title', { unit: unitName })}
      extra={
        <Space size={8}>
          <Button size="small" onClick={() => setLogOpen(true)} data-testid="channel-log">
            {t('channels.log')}
          </Button>
          <Button type="primary" size="small" onClick={() => setEditing('new')} data-testid="channel-create">
            {t('channels.create')}
          </Button>
        </Space>
      }
      data-testid="channels-card"
    >
      <Typography.Paragraph type="secondary">{t('channels.hint')}</Typography.Paragraph>
      <Table<UnitChannel>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('channels.empty')} /> }}
        data-testid="channels-table"
      />
      <FormModal<ChannelForm>
        title={t(isNew ? 'channels.create' : 'channels.edit')}
        open={editing !== null}
        form={form}
        initialValues={initial}
        onCancel={() => setEditing(null)}
        onSubmit={save}
        submitTestId="channel-submit"
      >
        <Form.Item name="kind" label={t('channels.kind')} rules={[{ required: true, message: t('common.required') }]}>
          <Select disabled={!isNew} options={CHANNEL_KINDS.map((k) => ({ value: k, label: t(`channels.kinds.${k}`) }))} data-testid="channel-kind" />
        </Form.Item>
        <Form.Item name="name" label={t('channels.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={100} data-testid="channel-name" />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('channels.url')}
          extra={isNew ? t(`channels.urlHints.${kind ?? 'dingtalk'}`) : t('channels.urlKeep')}
          rules={[...(isNew ? [{ required: true, message: t('common.required') }] : []), zodRule(ChannelCreate.shape.url, t('channels.badUrl'))]}
        >
          <Input maxLength={1000} placeholder={current?.url} data-testid="channel-url" />
        </Form.Item>
        {kind !== 'wecom' && kind !== 'email' && (
          <Form.Item name="secret" label={t('channels.secret')} extra={t(`channels.secretHints.${kind ?? 'dingtalk'}`)}>
            <Input.Password maxLength={500} autoComplete="new-password" placeholder={isNew ? undefined : t('channels.secretKeep')} data-testid="channel-secret" />
          </Form.Item>
        )}
        {current?.secret === 'set' && kind !== 'generic' && kind !== 'email' && (
          <Form.Item name="removeSecret" valuePropName="checked">
            <Checkbox>{t('channels.removeSecret')}</Checkbox>
          </Form.Item>
        )}
        <Form.Item name="enabled" label={t('channels.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </FormModal>
      <DeliveryLogDrawer unitId={unitId} unitName={unitName} open={logOpen} onClose={() => setLogOpen(false)} />
    </Card>
  );
}
