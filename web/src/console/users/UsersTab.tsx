import { useEffect, useState } from 'react';
import { Button, Card, Empty, Flex, Input, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { LinkOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { deleteGrant, listUsers, updateUser, type User } from '../../api/users';
import { useReportError } from '../../components/apiErrors';
import { useFormatTime } from '../../components/format';
import { roleLabel } from '../../components/labels';
import { useScope } from '../../state/scope';
import { useMe } from '../../state/session';
import { GrantModal } from './GrantModal';
import { ResetPasswordModal, UserCreateModal } from './UserModals';
import { useConfirmAction } from '../../components/useConfirmAction';

type Dialog = { kind: 'create' } | { kind: 'grant' | 'reset'; user: User } | null;

export function UsersTab() {
  const { t } = useTranslation();
  const me = useMe();
  const { byId } = useScope();
  const report = useReportError();
  const formatTime = useFormatTime();
  const [q, setQ] = useState('');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<{ items: User[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const refresh = async () => setVersion((v) => v + 1);

  useEffect(() => {
    let live = true;
    setLoading(true);
    listUsers({ q: q || undefined, ...paging })
      .then((r) => live && setData(r), (e) => live && report(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [q, paging, version, report]);

  const confirmThen = useConfirmAction(refresh);

  const columns: TableColumnsType<User> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      width: 200,
      render: (v: string, u) => (
        <Flex vertical>
          <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
            {v}
            {u.personId !== null && (
              <Tooltip title={t('users.person')}>
                <LinkOutlined style={{ marginInlineStart: 6, color: '#8c8c8c' }} />
              </Tooltip>
            )}
          </Typography.Text>
          {u.displayName && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{u.displayName}</Typography.Text>}
        </Flex>
      ),
    },
    { title: t('users.unit'), dataIndex: 'unitId', render: (id: number | null) => (id !== null ? (byId.get(id)?.name ?? `#${id}`) : '—') },
    {
      title: t('users.grants'),
      dataIndex: 'grants',
      render: (grants: User['grants'], u) =>
        grants.length === 0 ? (
          <Typography.Text type="secondary">{t('users.noGrants')}</Typography.Text>
        ) : (
          <Flex wrap gap={4}>
            {grants.map((g) => {
              // The server refuses to withdraw one's own admin grant; do not offer it.
              const removable = Boolean(u.abilities.grant) && !(u.id === me.user.id && g.role === 'admin');
              return (
                <Tag
                  key={g.id}
                  color={g.role === 'admin' ? 'red' : 'blue'}
                  closable={removable}
                  onClose={(e) => {
                    e.preventDefault(); // the tag stays until the server agrees
                    const role = roleLabel(t, g.role);
                    confirmThen(t('grants.confirmRemove', { role, unit: g.unitName }), true, () => deleteGrant(g.id), t('grants.removed'));
                  }}
                  data-testid={`grant-${g.id}`}
                >
                  {roleLabel(t, g.role)} · {g.unitName}
                </Tag>
              );
            })}
          </Flex>
        ),
    },
    { title: t('users.status'), dataIndex: 'disabled', width: 100, render: (d: boolean) => (d ? <Tag>{t('users.disabled')}</Tag> : <Tag color="green">{t('users.enabled')}</Tag>) },
    { title: t('users.createdAt'), dataIndex: 'createdAt', width: 170, render: (ms: number) => formatTime(ms) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 230,
      render: (_: unknown, u) => (
        <Space size={0}>
          {u.abilities.grant && <Button type="link" size="small" onClick={() => setDialog({ kind: 'grant', user: u })} data-testid="grant-add">{t('users.addGrant')}</Button>}
          {u.abilities.resetPassword && <Button type="link" size="small" onClick={() => setDialog({ kind: 'reset', user: u })}>{t('users.resetPassword')}</Button>}
          {u.abilities.disable && u.id !== me.user.id && (
            u.disabled ? (
              <Button type="link" size="small" onClick={() => confirmThen(t('users.confirmEnable', { name: u.username }), false, () => updateUser(u.id, { disabled: false }), t('users.enabledDone'))}>
                {t('users.enable')}
              </Button>
            ) : (
              <Button type="link" size="small" danger onClick={() => confirmThen(t('users.confirmDisable', { name: u.username }), true, () => updateUser(u.id, { disabled: true }), t('users.disabledDone'))}>
                {t('users.disable')}
              </Button>
            )
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card size="small">
      <Flex justify="space-between" gap={8} wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('users.search')}
          style={{ width: 280 }}
          onSearch={(v) => {
            setQ(v.trim());
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          data-testid="users-search"
        />
        {me.permissions.includes('users.write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })} data-testid="users-create">
            {t('users.create')}
          </Button>
        )}
      </Flex>
      <div data-testid="users-table">
        <Table<User>
          rowKey="id"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          scroll={{ x: 900 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('users.empty')} /> }}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: data.total,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { total }),
            onChange: (page, pageSize) => setPaging({ page: pageSize === paging.pageSize ? page : 1, pageSize }),
          }}
        />
      </div>
      {dialog?.kind === 'create' && <UserCreateModal onClose={() => setDialog(null)} onSaved={refresh} />}
      {dialog?.kind === 'grant' && <GrantModal user={dialog.user} onClose={() => setDialog(null)} onSaved={refresh} />}
      {dialog?.kind === 'reset' && <ResetPasswordModal user={dialog.user} onClose={() => setDialog(null)} />}
    </Card>
  );
}
