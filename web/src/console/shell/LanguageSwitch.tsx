import { Button, Tooltip } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../../i18n';

/** One click to the other language; the choice is remembered in localStorage. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('lang.switchHint')}>
      <Button type="text" icon={<GlobalOutlined />} data-testid="lang-switch" onClick={() => setLanguage(currentLanguage() === 'en' ? 'zh-CN' : 'en')}>
        {t('lang.switchTo')}
      </Button>
    </Tooltip>
  );
}
