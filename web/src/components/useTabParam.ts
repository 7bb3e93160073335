import { useSearchParams } from 'react-router-dom';

/**
 * A page's tab kept in the address (`?tab=`), so a reload or a shared link opens the same tab; the
 * first tab is the bare address. Other query parameters are kept as they are.
 */
export function useTabParam<K extends string>(tabs: readonly K[]): [K, (k: string) => void] {
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab = tabs.find((k) => k === asked) ?? tabs[0]!;
  const setTab = (k: string) => {
    const next = new URLSearchParams(params);
    if (k === tabs[0]) next.delete('tab');
    else next.set('tab', k);
    setParams(next, { replace: true });
  };
  return [tab, setTab];
}
