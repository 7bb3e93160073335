import { useEffect, useRef, useState } from 'react';
import { Select, Spin, type SelectProps } from 'antd';
import { listPeople, type Person } from '../api/org';

type Props = Omit<SelectProps<number>, 'options' | 'onChange' | 'showSearch'> & {
  value?: number | null;
  onChange?: (id: number | undefined, person: Person | undefined) => void;
  /** Offer only the people of this unit's subtree (a task's responsible person must be one of them). */
  unitId?: number;
};

/** Pick a person by searching the server (name, employee number or phone), within the user's scope. */
export function PersonSelect({ value, onChange, unitId, ...rest }: Props) {
  const [query, setQuery] = useState('');
  const [people, setPeople] = useState<Person[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  // Search as the user types, a beat after they stop.
  useEffect(() => {
    clearTimeout(timer.current);
    let live = true;
    timer.current = setTimeout(() => {
      setLoading(true);
      listPeople({ q: query.trim() || undefined, unitId, status: 'active', pageSize: 20 })
        .then((r) => live && setPeople(r.items), () => live && setPeople([]))
        .finally(() => live && setLoading(false));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer.current);
    };
  }, [query, unitId]);

  return (
    <Select<number>
      allowClear
      showSearch={{ filterOption: false, onSearch: setQuery }}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      {...rest}
      value={value ?? undefined}
      onChange={(id) => onChange?.(id, people.find((p) => p.id === id))}
      options={people.map((p) => ({ value: p.id, label: `${p.name} · ${p.employeeNo} · ${p.unitName}` }))}
    />
  );
}
