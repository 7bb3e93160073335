import type { CheckinsChanged } from '../../../common/schemas/dashboard.js';
import type { Deps } from '../../deps.js';
import { liveBusFor, MAX_PAYLOAD_BYTES } from '../../live/bus.js';

/**
 * "Check-ins changed" events for the live dashboard. The write paths call checkinsCommitted after
 * their COMMIT; the calls of ~250 ms are coalesced into one event per day carrying the affected
 * units' paths, so a morning peak of thousands of check-ins a second sends a few events a second.
 */
export const CHECKINS_TOPIC = 'checkins';
export const COALESCE_MS = 250;

interface Pending {
  byDay: Map<string, Set<number>>;
  timer: NodeJS.Timeout | null;
}
const pending = new WeakMap<object, Pending>();

/** Note committed check-ins (their day and unit); the event follows within COALESCE_MS. */
export function checkinsCommitted(deps: Deps, rows: readonly { day: string; unit_id: number }[]): void {
  if (rows.length === 0) return;
  let p = pending.get(deps.handle);
  if (!p) pending.set(deps.handle, (p = { byDay: new Map(), timer: null }));
  for (const r of rows) {
    let units = p.byDay.get(r.day);
    if (!units) p.byDay.set(r.day, (units = new Set()));
    units.add(r.unit_id);
  }
  if (!p.timer) {
    const state = p;
    state.timer = setTimeout(() => void flush(deps, state), COALESCE_MS);
    state.timer.unref();
  }
}

async function flush(deps: Deps, p: Pending): Promise<void> {
  p.timer = null;
  const byDay = p.byDay;
  p.byDay = new Map();
  try {
    const ids = [...new Set([...byDay.values()].flatMap((s) => [...s]))];
    const rows = await deps.db.selectFrom('units').select(['id', 'path']).where('id', 'in', ids).execute();
    const pathOf = new Map(rows.map((r) => [r.id, r.path]));
    const bus = liveBusFor(deps);
    for (const [day, units] of byDay) {
      const paths = [...units].flatMap((id) => (pathOf.has(id) ? [pathOf.get(id)!] : []));
      await bus.publish(CHECKINS_TOPIC, fitPayload(day, paths));
    }
  } catch {
    // The database closed under us or NOTIFY failed: the screens' polling catches up.
  }
}

/**
 * The event for a day's changed units. Thousands of units changing in one window would not fit
 * in a NOTIFY: their paths are then cut to shallower ancestors (`prefixes`: "something in these
 * subtrees changed") until the list fits.
 */
export function fitPayload(day: string, paths: string[]): CheckinsChanged {
  const fits = (list: string[]) => JSON.stringify(list).length <= MAX_PAYLOAD_BYTES - 100;
  let out = [...new Set(paths)];
  if (fits(out)) return { day, paths: out.sort(), prefixes: false };
  // A morning's window holds a thousand units or more: find each path's slashes once and cut at
  // them, and sort only what is sent (re-splitting and re-sorting every round held the event loop
  // for milliseconds). A path is "/1/5/9/": the prefix of depth d ends at its (d+1)-th slash.
  const slashes = out.map((p) => {
    const at: number[] = [];
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) at.push(i);
    return at;
  });
  let depth = Math.max(0, ...slashes.map((at) => at.length - 1));
  const whole = out;
  while (depth > 1) {
    depth -= 1;
    out = [...new Set(whole.map((p, i) => p.slice(0, (slashes[i]![depth] ?? p.length - 1) + 1)))];
    if (fits(out)) break;
  }
  return { day, paths: out.sort(), prefixes: true };
}

/** Whether an event concerns the subtree at `path`. */
export function touchesSubtree(e: CheckinsChanged, path: string): boolean {
  return e.paths.some((p) => p.startsWith(path) || (e.prefixes && path.startsWith(p)));
}

/** Stop pending events (the app is closing). */
export function cancelCheckinEvents(deps: Deps): void {
  const p = pending.get(deps.handle);
  if (p?.timer) clearTimeout(p.timer);
  pending.delete(deps.handle);
}
