import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader';
import { TokensTab } from './TokensTab';
import { UsersTab } from './UsersTab';

/** 用户授权: accounts with their grants, and API tokens for integrations. */
export default function UsersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'tokens' ? 'tokens' : 'users';
  return (
    <>
      <PageHeader title={t('users.title')} subtitle={t('users.subtitle')} />
      <Tabs
        activeKey={tab}
        onChange={(key) =>
          setParams((prev) => {
            const next = new URLSearchParams(prev);
            if (key === 'tokens') next.set('tab', 'tokens');
            else next.delete('tab');
            return next;
          })
        }
        items={[
          { key: 'users', label: <span data-testid="tab-users">{t('users.tabUsers')}</span>, children: <UsersTab /> },
          { key: 'tokens', label: <span data-testid="tab-tokens">{t('users.tabTokens')}</span>, children: <TokensTab /> },
        ]}
      />
    </>
  );
}
