import { liveCheckinsUrl } from '../../api/dashboard';
import { useLiveRefresh } from '../../components/useLiveRefresh';

/**
 * Call `refresh` when check-ins of the unit's subtree change on `day` (null: any day), at most once
 * every 2 s (events come at most ~4 a second at the morning peak), from the server's live stream;
 * while the stream is down, every 30 s instead.
 */
export function useLiveCheckins(unitId: number | null, day: string | null, refresh: () => void, enabled = true): void {
  useLiveRefresh(
    {
      url: unitId === null ? null : liveCheckinsUrl(unitId),
      events: ['checkins'],
      concerns: (data) => day === null || (typeof data === 'object' && data !== null && (data as { day?: unknown }).day === day),
      throttleMs: 2_000,
      enabled,
    },
    refresh,
  );
}
