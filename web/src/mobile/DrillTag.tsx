import { useI18n } from './i18n';

/** 【演练】 before the title of a drill's task or incident on the phone, as the console marks them (plans/bits.tsx). */
export function DrillTag({ testId }: { testId: string }) {
  const { t } = useI18n();
  return (
    <span className="m-tag m-tag-drill" style={{ marginInlineEnd: 6 }} data-testid={testId}>
      {t('app.drill')}
    </span>
  );
}
