import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { listUnits, type Unit } from '../api/org';
import { buildForest, type UnitNode } from '../components/unitTree';
import { useMe } from './session';

interface Scope {
  /** Every unit the user can see, archived ones included, in tree order. */
  units: Unit[];
  byId: Map<number, Unit>;
  forest: UnitNode[];
  loading: boolean;
  error: unknown;
  /** The unit the header's picker has selected: the scope of every page. */
  unitId: number | null;
  unit: Unit | null;
  setUnitId(id: number): void;
  reload(): Promise<void>;
}

const ScopeContext = createContext<Scope | null>(null);

/** The units in the user's scope and the selected one, remembered in the URL as ?unit=ID. */
export function ScopeProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const canRead = me.permissions.includes('units.read');
  const [units, setUnits] = useState<Unit[]>([]);
  const [loading, setLoading] = useState(canRead);
  const [error, setError] = useState<unknown>(null);
  const [params, setParams] = useSearchParams();

  const reload = useCallback(async () => {
    if (!canRead) return;
    try {
      const { items } = await listUnits({ includeArchived: true });
      setUnits(items);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [canRead]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const forest = useMemo(() => buildForest(units), [units]);

  const fallback = me.scopeRoots[0]?.id ?? null;
  const asked = Number(params.get('unit'));
  const valid = Number.isInteger(asked) && asked > 0 && (!canRead || loading || byId.has(asked));
  const unitId = valid ? asked : fallback;

  // Keep the URL honest: a missing or out-of-scope ?unit= becomes the default.
  useEffect(() => {
    if (loading || unitId === null || params.get('unit') === String(unitId)) return;
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('unit', String(unitId));
        return next;
      },
      { replace: true },
    );
  }, [loading, unitId, params, setParams]);

  const setUnitId = useCallback(
    (id: number) =>
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        next.set('unit', String(id));
        return next;
      }),
    [setParams],
  );

  const value = useMemo<Scope>(
    () => ({ units, byId, forest, loading, error, unitId, unit: unitId === null ? null : (byId.get(unitId) ?? null), setUnitId, reload }),
    [units, byId, forest, loading, error, unitId, setUnitId, reload],
  );
  return <ScopeContext.Provider value={value}>{children}</ScopeContext.Provider>;
}

export function useScope(): Scope {
  const s = useContext(ScopeContext);
  if (!s) throw new Error('useScope outside ScopeProvider');
  return s;
}
