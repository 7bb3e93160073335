import { useEffect, type ReactNode } from 'react';
import { Card, Flex, Typography, theme } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../shell/LanguageSwitch';

/** The frame of the pages seen before the console: sign-in and first-run setup. */
export function AuthFrame({ children, width = 420 }: { children: ReactNode; width?: number }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  useEffect(() => {
    document.title = t('app.name');
  }, [t]);
  return (
    <Flex vertical style={{ minHeight: '100vh', background: `linear-gradient(160deg, ${token.colorPrimaryBg} 0%, ${token.colorBgLayout} 55%)` }}>
      <Flex justify="flex-end" style={{ padding: 16 }}>
        <LanguageSwitch />
      </Flex>
      <Flex vertical align="center" style={{ flex: 1, padding: '24px 16px 64px' }}>
        <Flex align="center" gap={12} style={{ marginBottom: 24 }}>
          <SafetyOutlined style={{ fontSize: 36, color: token.colorPrimary }} />
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </div>
        </Flex>
        <Card style={{ width: '100%', maxWidth: width, boxShadow: token.boxShadowTertiary }}>{children}</Card>
      </Flex>
    </Flex>
  );
}
