import { useEffect, useState } from 'react';
import { Radio, Select, Spin, type SelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { listGroups, type Group } from '../../api/groups';

/** How a form picks its target population: by units and tags, or a saved key group. */
export type TargetMode = 'units' | 'group';

/** The choice between "按单位/标签" and "从重点人群选择", for the campaign and notice forms. */
export function TargetModeChoice({ value, onChange, testId }: { value?: TargetMode; onChange?: (m: TargetMode) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Radio.Group
      optionType="button"
      value={value}
      onChange={(e) => onChange?.(e.target.value as TargetMode)}
      options={[
        { value: 'units', label: <span data-testid={`${testId}-units`}>{t('keyGroups.byUnits')}</span> },
        { value: 'group', label: <span data-testid={`${testId}-group`}>{t('keyGroups.fromGroup')}</span> },
      ]}
    />
  );
}

/** Pick a key group usable in the given unit (owned there or above), searching by name. */
export function GroupSelect({ unitId, ...rest }: Omit<SelectProps<number>, 'options' | 'showSearch'> & { unitId?: number }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [groups, setGroups] = useState<Group[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    let live = true;
    setLoading(true);
    const timer = setTimeout(() => {
      listGroups({ unitId, q: q.trim() || undefined, pageSize: 50 })
        .then((r) => live && setGroups(r.items), () => live && setGroups([]))
        .finally(() => live && setLoading(false));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [unitId, q]);
  return (
    <Select<number>
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={t('keyGroups.pick')}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      {...rest}
      options={groups.map((g) => ({ value: g.id, label: `${g.name} · ${g.ownerUnit.name}` }))}
    />
  );
}
