import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { z } from 'zod';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import zhCN from './zh-CN';
import en from './en';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'bulwark.lang';

function stored(): Language | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return (LANGUAGES as readonly string[]).includes(v ?? '') ? (v as Language) : null;
  } catch {
    return null; // storage disabled (private mode): fall back to the browser's language
  }
}

/** The user's explicit choice wins; otherwise the browser's language: zh* is Chinese, anything else English. */
export function detectLanguage(): Language {
  const chosen = stored();
  if (chosen) return chosen;
  const browser = navigator.languages?.[0] ?? navigator.language ?? '';
  return browser.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Everything outside React that speaks the language: <html lang>, zod's messages, dayjs. */
function applyLanguage(lang: Language): void {
  document.documentElement.lang = lang;
  z.config(lang === 'zh-CN' ? z.locales.zhCN() : z.locales.en());
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
}

const initial = detectLanguage();
applyLanguage(initial);
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false }, // React escapes
});

export function setLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage disabled: the switch lasts for this page only */
  }
  applyLanguage(lang);
  void i18n.changeLanguage(lang);
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

export default i18n;
