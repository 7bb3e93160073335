/**
 * The contact search (密接排查) on the 100,000-person demo organisation: for people who sat in the
 * demo's meetings, are on its duty rosters and eat at its canteens, the time of one
 * GET /people/:id/contact-candidates through the service (four sources, one pass each, the
 * people look-up, the watch marks, the audit row), 14 days back; median and max over 20 people.
 *
 *   npx tsx bench/contacts.bench.ts            (SQLite file)
 *   DATABASE_URL=postgres://… npx tsx bench/contacts.bench.ts   (also PostgreSQL)
 */
import { performance } from 'node:perf_hooks';
import type { DbHandle } from '../server/db/database.js';
import { contactCandidates } from '../server/modules/places/contacts.service.js';
import { demoDeps } from './demo-deps.js';
import { onBenchDatabases } from './databases.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(handle: DbHandle, label: string) {
  const { deps, ctx } = await demoDeps(handle);
  // People who were in a meeting and on a shift: every source has something to find.
  const onShift = await handle.db.selectFrom('duty_shift_members').select('person_id').distinct().execute();
  const inMeetings = new Set((await handle.db.selectFrom('meeting_attendees').select('person_id').distinct().execute()).map((r) => r.person_id));
  const both = onShift.map((r) => r.person_id).filter((id) => inMeetings.has(id));
  const chosen = (both.length >= 20 ? both : [...both, ...onShift.map((r) => r.person_id)]).slice(0, 20);
  const times: number[] = [];
  const counts: number[] = [];
  for (const id of chosen) {
    const t0 = performance.now();
    const r = await contactCandidates(deps, ctx, id, {});
    times.push(performance.now() - t0);
    counts.push(r.total);
  }
  console.log(`${label}: contact candidates of ${chosen.length} people (${both.length} in both a meeting and a shift): median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms; candidates median ${median(counts)}, max ${Math.max(...counts)}`);
}

await onBenchDatabases('contacts', run);
