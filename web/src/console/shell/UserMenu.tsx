import { useState } from 'react';
import { App, Avatar, Button, Dropdown, Flex, Tag, Typography } from 'antd';
import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { roleLabel } from '../../components/labels';
import { useMe, useSession } from '../../state/session';
import { PasswordModal } from './PasswordModal';

export function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useSession();
  const { message } = App.useApp();
  const [changing, setChanging] = useState(false);
  const name = me.user.displayName || me.user.username;

  const grants = (
    <div style={{ maxWidth: 280, padding: '4px 0' }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('shell.myGrants')}
      </Typography.Text>
      <Flex wrap gap={4} style={{ marginTop: 4 }}>
        {me.grants.length === 0 && <Typography.Text type="secondary">{t('shell.noGrants')}</Typography.Text>}
        {me.grants.map((g) => (
          <Tag key={`${g.role}-${g.unitId}`} color="blue">
            {roleLabel(t, g.role)} · {g.unitName}
          </Tag>
        ))}
      </Flex>
    </div>
  );

  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'grants', label: grants, disabled: true, style: { cursor: 'default' } },
            { type: 'divider' },
            { key: 'password', icon: <KeyOutlined />, label: t('shell.changePassword') },
            { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="logout">{t('shell.logout')}</span> },
          ],
          onClick: async ({ key }) => {
            if (key === 'password') setChanging(true);
            if (key === 'logout') {
              await signOut(); // the route guard then shows the sign-in page
              void message.success(t('shell.loggedOut'));
            }
          },
        }}
      >
        <Button type="text" data-testid="user-menu" style={{ height: 40 }}>
          <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1f5fbf' }} />
          <span>{name}</span>
        </Button>
      </Dropdown>
      <PasswordModal open={changing} onClose={() => setChanging(false)} />
    </>
  );
}
