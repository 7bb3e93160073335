import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { useMe } from '../../state/session';
import { visibleModules } from './modules';

/** The console's front door: the first module the user may open, or a word on why there is none. */
export function Home() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const first = visibleModules(me.permissions)[0];
  // A module with sub-pages opens on the first one the user may see (值班值守 may hold only incidents pages for some).
  if (first) return <Navigate to={`${first.children?.[0]?.path ?? first.path}${location.search}`} replace />;
  return <Result status="info" title={t('shell.noAccessTitle')} subTitle={t('shell.noAccessDesc')} />;
}
