import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, Flex, Form, Input, Modal, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiTokenCreate } from '../../../../common/schemas/org.js';
import { createToken, listTokens, listUsers, revokeToken, type ApiToken, type ApiTokenCreated, type User } from '../../api/users';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { useFormatTime } from '../../components/format';
import { zodRule } from '../../components/zodRule';
import { useMe } from '../../state/session';

/** API tokens for integrations; a token's secret is shown once, when it is made. */
export function TokensTab() {
  const { t } = useTranslation();
  const me = useMe();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const formatTime = useFormatTime();
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [users, setUsers] = useState<User[]>([]);
  const [loading, setLoading] = useState(true);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const canWrite = me.permissions.includes('users.write');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setTokens((await listTokens()).items);
    } catch (e) {
      report(e);
    } finally {
      setLoading(false);
    }
  }, [report]);
  useEffect(() => {
    void load();
    // Names for the owner column and the owner picker; a large list falls back to "#id".
    listUsers({ pageSize: 200 }).then((r) => setUsers(r.items), () => undefined);
  }, [load]);
  const userName = (id: number) => (id === me.user.id ? me.user.username : (users.find((u) => u.id === id)?.username ?? `#${id}`));

  const revoke = (tk: ApiToken) =>
    modal.confirm({
      content: t('tokens.confirmRevoke', { name: tk.name }),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await revokeToken(tk.id);
          void message.success(t('tokens.revokedDone'));
          await load();
        } catch (e) {
          report(e);
        }
      },
    });

  const columns: TableColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('tokens.prefix'), dataIndex: 'prefix', render: (v: string) => <Typography.Text code>{v}…</Typography.Text> },
    { title: t('tokens.user'), dataIndex: 'userId', render: (id: number) => userName(id) },
    { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: (ms: number) => formatTime(ms) },
    { title: t('tokens.lastUsedAt'), dataIndex: 'lastUsedAt', render: (ms: number | null) => (ms === null ? t('tokens.never') : formatTime(ms)) },
    { title: t('tokens.status'), dataIndex: 'revoked', render: (r: boolean) => (r ? <Tag>{t('tokens.revoked')}</Tag> : <Tag color="green">{t('tokens.active')}</Tag>) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, tk) =>
        canWrite && !tk.revoked ? (
          <Button type="link" size="small" danger onClick={() => revoke(tk)}>
            {t('tokens.revoke')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Card size="small">
      {canWrite && (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="tokens-create">
            {t('tokens.create')}
          </Button>
        </Flex>
      )}
      <Table<ApiToken>
        rowKey="id"
        loading={loading}
        columns={columns}
        dataSource={tokens}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tokens.empty')} /> }}
        data-testid="tokens-table"
      />
      {creating && <TokenCreateModal users={users} onClose={() => setCreating(false)} onCreated={(c) => (setCreated(c), void load())} />}
      <Modal
        open={created !== null}
        title={t('tokens.createdTitle')}
        onCancel={() => setCreated(null)}
        footer={<Button type="primary" onClick={() => setCreated(null)}>{t('common.close')}</Button>}
        mask={{ closable: false }}
      >
        <Alert type="warning" showIcon title={t('tokens.createdWarning')} style={{ margin: '16px 0' }} />
        <Typography.Paragraph copyable={{ text: created?.token }} code style={{ wordBreak: 'break-all', fontSize: 14 }} data-testid="token-secret">
          {created?.token}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}

function TokenCreateModal({ users, onClose, onCreated }: { users: User[]; onClose(): void; onCreated(c: ApiTokenCreated): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; userId?: number }>();
  const report = useReportError();
  const submit = async (v: { name: string; userId?: number }) => {
    try {
      const c = await createToken({ name: v.name.trim(), ...(v.userId ? { userId: v.userId } : {}) });
      onClose();
      onCreated(c);
    } catch (e) {
      report(e, { instance: form, fields: ['name', 'userId'] });
      throw e;
    }
  };
  return (
    <FormModal title={t('tokens.createTitle')} open form={form} onCancel={onClose} onSubmit={submit} submitText={t('common.create')} submitTestId="token-form-submit">
      <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, message: t('common.required') }, zodRule(ApiTokenCreate.shape.name)]}>
        <Input autoFocus placeholder={t('tokens.namePlaceholder')} maxLength={60} data-testid="token-form-name" />
      </Form.Item>
      <Form.Item name="userId" label={t('tokens.user')} extra={t('tokens.userHelp')}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={users.filter((u) => !u.disabled).map((u) => ({ value: u.id, label: u.displayName ? `${u.username}（${u.displayName}）` : u.username }))} />
      </Form.Item>
    </FormModal>
  );
}
