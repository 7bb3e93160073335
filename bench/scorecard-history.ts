import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { addDays, dayOf, endOfDay } from '../common/day.js';
import type { DbHandle } from '../server/db/database.js';
import { snapshotHeadcounts } from '../server/modules/health/dashboard.store.js';

/**
 * 60 days of history for the scorecard bench on top of the demo organisation (which has none):
 * headcount snapshots and check-in counts for every unit and day, a directive to every unit every
 * third day (a fifth of its tasks missed, a fifth late) and a drill's, incidents with two levels,
 * exceptions; the demo's rosters are dated back so that their past hours count.
 */
export async function seedScorecardHistory(handle: DbHandle, now: number, tz: string) {
  const db = handle.db;
  const today = dayOf(now, tz);
  const days = Array.from({ length: 60 }, (_, i) => addDays(today, i - 60));
  const t0 = performance.now();
  // Headcount snapshots and check-in counts for every unit and day: ~95 % checked in, ~90 % of them on time.
  for (const day of days) {
    await snapshotHeadcounts(db, day, now);
    await sql`insert into checkin_counts (day, unit_id, checked_in, normal, abnormal, at_work, remote, leave, trip, quarantine, on_time)
      select ${day}, h.unit_id, h.headcount - (h.unit_id % 3), h.headcount - (h.unit_id % 3), 0, h.headcount - (h.unit_id % 3), 0, 0, 0, 0, h.headcount - (h.unit_id % 3) - (h.unit_id % 2)
      from headcounts h where h.day = ${day} and h.headcount >= 3
      on conflict (day, unit_id) do nothing`.execute(db);
  }
  // The demo's rosters are kept from its load on; kept since before the window, their past hours count (uncovered).
  await db.updateTable('duty_rosters').set({ created_at: now - 61 * 86_400_000 }).execute();
  const person = (await db.selectFrom('people').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
  // A directive to every unit every third day, due the same evening; and a drill's on the same days.
  let tasks = 0;
  for (const [i, day] of days.entries()) {
    if (i % 3 !== 0) continue;
    for (const drill of [0, 1]) {
      if (drill && i % 9 !== 0) continue;
      const d = await db
        .insertInto('directives')
        .values({ unit_id: 1, source: 'group', document_no: null, title: `bench ${day}`, body: '', received_at: now, attachment_ids: '[]', meeting_id: null, created_by_user_id: null, created_at: now, updated_at: now, drill })
        .returning('id')
        .executeTakeFirstOrThrow();
      const deadline = endOfDay(day, tz);
      const r = await sql`insert into tasks (directive_id, parent_id, unit_id, title, instructions, responsible_person_id, deadline, evidence, status, assigned_by_user_id, assigned_at, acknowledged_at, completed_at, report, photo_ids, file_ids, verified_at, return_reason, overdue_at, reminded_at, updated_at)
        select ${d.id}, null, u.id, 'bench', null, ${person}, ${deadline}, 'report',
          case when (u.id + ${i}) % 5 = 0 then 'assigned' else 'done' end, null, ${deadline - 86_400_000}, null,
          case when (u.id + ${i}) % 5 = 0 then null when (u.id + ${i}) % 5 = 1 then cast(${deadline + 3_600_000} as bigint) else cast(${deadline - 3_600_000} as bigint) end,
          null, '[]', '[]', null, null, null, null, ${now}
        from units u where u.archived_at is null`.execute(db);
      tasks += Number(r.numAffectedRows ?? 0);
    }
  }
  // Incidents at units across the tree, two levels each (the unit, its parent): the second skipped one time in three.
  const units = await db.selectFrom('units').select(['id', 'parent_id']).where('parent_id', 'is not', null).orderBy('id').execute();
  for (let k = 0; k < 300; k++) {
    const u = units[(k * 16) % units.length]!;
    const at = now - ((k % 58) + 1) * 86_400_000;
    const inc = await db
      .insertInto('incidents')
      .values({ unit_id: u.id, kind: 'other', severity: 'major', title: 'bench', description: '', occurred_at: at, place: null, status: 'closed', top_position: 1, current_position: 1, filed_by_user_id: null, filed_at: at, resolution: null, resolved_at: null, resolved_by_user_id: null, review: null, closed_at: null, closed_by_user_id: null, updated_at: at, drill: k % 10 === 0 ? 1 : 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('incident_levels')
      .values([
        { incident_id: inc.id, position: 0, unit_id: u.id, state: 'acknowledged', limit_minutes: 30, arrived_at: at, deadline: at + 1_800_000, acknowledged_at: at + 600_000, acknowledged_by_user_id: null, ack_note: null, alerted_at: null, skipped_at: null, realerted_at: null },
        { incident_id: inc.id, position: 1, unit_id: u.parent_id!, state: k % 3 ? 'acknowledged' : 'skipped', limit_minutes: 30, arrived_at: at + 600_000, deadline: at + 2_400_000, acknowledged_at: k % 3 ? at + 1_200_000 : null, acknowledged_by_user_id: null, ack_note: null, alerted_at: null, skipped_at: k % 3 ? null : at + 2_400_000, realerted_at: null },
      ])
      .execute();
  }
  for (let k = 0; k < 200; k++) {
    const u = units[(k * 23) % units.length]!;
    await db
      .insertInto('measure_values')
      .values({ unit_id: u.id, measure_key: 'checkin.cutoff', value: 600, effective_from: today, status: k % 4 === 0 ? 'refused' : 'approved', reason: 'bench', parent_value: 720, requested_by_user_id: null, requested_at: now - ((k % 58) + 1) * 86_400_000, decided_by_user_id: null, decided_at: null, decided_day: null, decision_note: null })
      .execute();
  }
  console.log(`history seeded: 60 days of snapshots and check-in counts, ${tasks} tasks, 300 incidents, 200 exceptions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

