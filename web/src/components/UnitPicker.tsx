import { useMemo } from 'react';
import { TreeSelect, type TreeSelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Unit } from '../api/org';
import { useScope } from '../state/scope';
import { forestOf, unitOptions } from './unitTree';

type Props = Omit<TreeSelectProps, 'treeData' | 'value' | 'onChange'> & {
  value?: number | null;
  onChange?: (id: number | undefined) => void;
  /** Offer only this unit's subtree (default: the user's whole scope). */
  rootId?: number | null;
  /** Branches that may not be chosen (e.g. a unit cannot move under itself). */
  exclude?: Set<number>;
  /** Units shown but not selectable (e.g. where the user may not import). */
  disableUnit?: (u: Unit) => boolean;
};

/** A TreeSelect over the units in the user's scope; archived units are not offered. */
export function UnitPicker({ value, onChange, rootId = null, exclude, disableUnit, placeholder, ...rest }: Props) {
  const { t } = useTranslation();
  const { units, loading } = useScope();
  const treeData = useMemo(() => unitOptions(forestOf(units, rootId), { exclude, disabled: disableUnit }), [units, rootId, exclude, disableUnit]);
  // Open the top two levels: big organisations have hundreds of units.
  const expanded = useMemo(() => treeData.flatMap((n) => [n.value, ...n.children.map((c) => c.value)]), [treeData]);
  return (
    <TreeSelect
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandedKeys={expanded}
      loading={loading}
      placeholder={placeholder ?? t('shell.unitPicker')}
      popupMatchSelectWidth={false}
      {...rest}
      value={value ?? undefined}
      onChange={(v: number | undefined) => onChange?.(v)}
      treeData={treeData}
    />
  );
}
