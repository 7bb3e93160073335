import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../state/session';

/** Epoch ms as a date-time in the deployment's time zone (not the browser's): one clock for everyone. */
export function useFormatTime(): (ms: number | null | undefined) => string {
  const { i18n } = useTranslation();
  const { me } = useSession();
  const timeZone = me?.organisation.timeZone ?? 'Asia/Shanghai';
  return useMemo(() => {
    const f = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });
    return (ms) => (ms === null || ms === undefined ? '—' : f.format(new Date(ms)));
  }, [i18n.language, timeZone]);
}
