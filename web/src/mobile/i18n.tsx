import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import zhCN from '../i18n/mobile.zh-CN';
import en from '../i18n/mobile.en';

/**
 * The mobile pages' translator. Not i18next: the phone's budget is the whole check-in page under
 * 100 KB gzip, and these pages need only keys and {{name}} values. The language choice is the
 * console's (same storage key, same rule), so a person sees one language on both.
 */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'bulwark.lang';
const RESOURCES: Record<Language, typeof zhCN> = { 'zh-CN': zhCN, en };

type Leaves<T, P extends string = ''> = { [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`> }[keyof T & string];
/** Every key of the mobile resources, as 'block.key'. */
export type MobileKey = Leaves<typeof zhCN>;
export type Translate = (key: MobileKey, values?: Record<string, string | number>) => string;

function detect(): Language {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'zh-CN' || v === 'en') return v;
  } catch {
    /* storage disabled: go by the browser */
  }
  const browser = navigator.languages?.[0] ?? navigator.language ?? '';
  return browser.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function lookup(lang: Language, key: string): string {
  let node: unknown = RESOURCES[lang];
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string' ? node : key;
}

export function translator(lang: Language): Translate {
  return (key, values) => lookup(lang, key).replace(/\{\{(\w+)\}\}/g, (m, name: string) => (values && name in values ? String(values[name]) : m));
}

interface I18n {
  lang: Language;
  t: Translate;
  setLang(lang: Language): void;
}
const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(() => {
    const l = detect();
    document.documentElement.lang = l;
    return l;
  });
  const setLang = useCallback((l: Language) => {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* the switch lasts for this page only */
    }
    document.documentElement.lang = l;
    setLangState(l);
  }, []);
  const value = useMemo(() => ({ lang, t: translator(lang), setLang }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
