import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { useScope } from '../../state/scope';

/** 值班表: a unit's duty roster (the month, gaps, swaps, who is on duty now, the duty log). */
export default function RostersPage() {
  const { t } = useTranslation();
  const { unit } = useScope();
  return (
    <div data-testid="duty-rosters">
      <PageHeader title={t('duty.rosters.title')} subtitle={unit ? t('duty.rosters.subtitle', { unit: unit.name }) : undefined} />
    </div>
  );
}
