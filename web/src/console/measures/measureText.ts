import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { measureType, type MeasureValue } from '../../../../common/measures.catalogue.js';
import { currentLanguage } from '../../i18n';

/** A measure's name and a value with its unit, in the reader's language (names live in the catalogue). */
export function useMeasureText() {
  const { i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : currentLanguage();
  const name = useCallback((key: string) => measureType(key)?.name[lang] ?? key, [lang]);
  const value = useCallback(
    (key: string, v: MeasureValue | null | undefined) => {
      if (v === null || v === undefined) return '—';
      const unit = measureType(key)?.unit?.[lang];
      if (!unit) return String(v);
      return lang === 'en' ? `${String(v)} ${unit}` : `${String(v)}${unit.startsWith('（') ? '' : ' '}${unit}`;
    },
    [lang],
  );
  const unit = useCallback((key: string) => measureType(key)?.unit?.[lang], [lang]);
  return { name, value, unit };
}
