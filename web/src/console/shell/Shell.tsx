import { useState } from 'react';
import { Alert, Flex, Layout, Menu, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { UnitPicker } from '../../components/UnitPicker';
import { ScopeProvider, useScope } from '../../state/scope';
import { useMe, useSession } from '../../state/session';
import { NotificationBell } from '../notify/NotificationBell';
import { LanguageSwitch } from './LanguageSwitch';
import { UserMenu } from './UserMenu';
import { visibleModules, type ModuleKey } from './modules';

function ShellLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const { unitId, setUnitId } = useScope();
  const { token } = theme.useToken();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const modules = visibleModules(me.permissions);
  // Sub-pages are menu entries of their own; the module of the page open is the sub-menu unfolded.
  const entries = modules.flatMap((m) => [m, ...(m.children ?? [])]);
  const under = (path: string) => location.pathname === path || location.pathname.startsWith(`${path}/`);
  const selected = entries.filter((e) => under(e.path)).sort((a, b) => b.path.length - a.path.length)[0]?.key;
  const openModule = modules.find((m) => m.children && under(m.path))?.key;
  const withUnit = (path: string) => (unitId ? `${path}?unit=${unitId}` : path);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} breakpoint="lg" width={216}>
        <Flex align="center" justify="center" style={{ height: 64, color: '#fff', fontSize: collapsed ? 16 : 18, fontWeight: 600, letterSpacing: 1 }}>
          {collapsed ? '防' : t('app.name')}
        </Flex>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          defaultOpenKeys={openModule ? [openModule] : []}
          onClick={({ key }) => navigate(withUnit(entries.find((e) => e.key === key)!.path))}
          items={modules.map((m) => ({
            key: m.key,
            icon: m.icon,
            label: <span data-testid={`menu-${m.key}`}>{t(`menu.${m.key as ModuleKey}`)}</span>,
            children: m.children?.map((c) => ({ key: c.key, label: <span data-testid={`menu-${c.key}`}>{t(c.label)}</span> })),
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{ background: token.colorBgContainer, padding: '0 24px', borderBottom: `1px solid ${token.colorBorderSecondary}`, position: 'sticky', top: 0, zIndex: 10 }}
        >
          <Flex align="center" justify="space-between" style={{ height: '100%' }} gap={16}>
            <Flex align="center" gap={16} style={{ minWidth: 0 }}>
              <Typography.Text strong ellipsis style={{ fontSize: 16, maxWidth: 280 }}>
                {me.organisation.name ?? t('app.name')}
              </Typography.Text>
              {me.permissions.includes('units.read') && (
                <Flex align="center" gap={8}>
                  <Typography.Text type="secondary">{t('shell.scope')}</Typography.Text>
                  <UnitPicker data-testid="unit-picker" value={unitId} onChange={(id) => id && setUnitId(id)} style={{ width: 260 }} />
                </Flex>
              )}
            </Flex>
            <Flex align="center" gap={8}>
              <NotificationBell />
              <LanguageSwitch />
              <UserMenu />
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {me.organisation.demo && <Alert type="warning" showIcon title={t('shell.demoBanner')} style={{ marginBottom: 16 }} data-testid="demo-banner" />}
          <ErrorBoundary key={location.pathname}>
            <Outlet />
          </ErrorBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** The console frame; anyone not signed in goes to the sign-in page and comes back afterwards. */
export function Shell() {
  const { me, signedOut } = useSession();
  const location = useLocation();
  if (!me) return <Navigate to={signedOut ? '/login' : `/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <ScopeProvider>
      <ShellLayout />
    </ScopeProvider>
  );
}
