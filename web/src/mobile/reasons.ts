import { useMemo } from 'react';
import { ApiError } from '../api/client';
import type { Me } from './api';
import { useI18n, type MobileKey, type Translate } from './i18n';

/**
 * Why a call failed, in the page's words: no network, else the server's first field reason (or its
 * message), translated when the page's table knows it (the server's reasons are English and stable).
 */
export function reasonOf(t: Translate, err: unknown, known: Readonly<Record<string, MobileKey>> = {}): string {
  if (!(err instanceof ApiError)) return t('app.error');
  if (err.code === 'network') return t('app.offline');
  const said = Object.values(err.fields)[0] ?? err.message;
  const key = known[said];
  return key ? t(key) : said;
}

/** "MM-DD HH:mm" in the deployment's time zone (not the phone's): one clock for everyone. */
export function useShortTime(me: Me): (ms: number) => string {
  const { lang } = useI18n();
  return useMemo(() => {
    const f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { timeZone: me.organisation.timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    return (ms: number) => f.format(new Date(ms));
  }, [lang, me.organisation.timeZone]);
}
