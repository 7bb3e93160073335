import type { MissPerson, ScorecardMetric, ScorecardMiss } from '../../../common/schemas/scorecard.js';
import { chainIds, nearestUp } from '../../db/tree.js';
import type { Deps } from '../../deps.js';
import { careContactDuties } from '../care/care.figures.js';
import { onDutyAt } from '../duty/duty.onduty.js';
import { checkinFiguresByUnit } from '../health/dashboard.service.js';
import { personNames } from '../org/people.store.js';
import { dutyCoverage, inspectionDuties, type Window } from './scorecard.service.js';
import { grantHolders, usersOfPeople } from './overdue.store.js';
import * as store from './scorecard.store.js';

/**
 * The drill-down of a scorecard metric: every miss of the period with the named people answerable
 * for it. Check-in misses are counts per unit (who did not check in is health data): the unit's
 * liaison and head answer for them. No health or care details anywhere: an incident shows no title
 * (it may say "suspected case"), a care contact no person or kind.
 */

export interface Misses {
  total: number;
  present(offset: number, limit: number): Promise<ScorecardMiss[]>;
}

/**
 * The unit head and the liaison of each unit: the holders on the unit, else on the nearest unit
 * above that has any (the supervision helper's grantHolders reads the grants, once per role).
 */
async function postsOf(deps: Deps, units: readonly { id: number; path: string }[], roles: readonly ('unit_head' | 'liaison')[]): Promise<Map<number, MissPerson[]>> {
  const chain = [...new Set(units.flatMap((u) => chainIds(u.path)))];
  const holders = await Promise.all(roles.map((role) => grantHolders(deps.db, chain, role)));
  const out = new Map<number, MissPerson[]>();
  for (const u of units) {
    const people: MissPerson[] = [];
    roles.forEach((role, i) => {
      const byUnit = holders[i]!;
      const at = nearestUp(u.path, (id) => (byUnit.get(id)?.length ?? 0) > 0);
      for (const h of at === undefined ? [] : byUnit.get(at)!) people.push({ ...h, as: role });
    });
    out.set(u.id, people);
  }
  return out;
}

/** A page of a list computed in memory. */
function inMemory(items: ScorecardMiss[], fill: (page: ScorecardMiss[]) => Promise<void>): Misses {
  return {
    total: items.length,
    async present(offset, limit) {
      const page = items.slice(offset, offset + limit);
      await fill(page);
      return page;
    },
  };
}

const blank = (metric: ScorecardMetric, entity: ScorecardMiss['entity'], unitId: number, unitName: string): ScorecardMiss => ({
  metric,
  entity,
  entityId: null,
  unitId,
  unitName,
  title: null,
  dueAt: null,
  metAt: null,
  endsAt: null,
  missing: null,
  late: null,
  people: [],
  link: null,
});

/** Every miss of one metric in the subtree over the window's current period. */
export async function missesOf(deps: Deps, path: string, metric: ScorecardMetric, w: Window, now: number): Promise<Misses> {
  const from = w.starts[w.split]!;
  const cap = w.cap;
  const withPosts = async (page: ScorecardMiss[], roles: readonly ('unit_head' | 'liaison')[]) => {
    const units = await store.unitsByIds(deps.db, page.map((m) => m.unitId));
    const posts = await postsOf(deps, page.map((m) => ({ id: m.unitId, path: units.get(m.unitId)?.path ?? '/' })), roles);
    for (const m of page) m.people.push(...(posts.get(m.unitId) ?? []));
  };
  switch (metric) {
    case 'checkin_completeness':
    case 'checkin_timeliness': {
      const [byUnit, units] = await Promise.all([checkinFiguresByUnit(deps, path, w.from, w.to), store.unitsOf(deps.db, path)]);
      const names = new Map(units.map((u) => [u.id, u.name]));
      const items = byUnit
        .map((r) => ({ r, missing: r.headcount_days - r.met, late: r.checked_in - r.on_time }))
        .filter((x) => (metric === 'checkin_completeness' ? x.missing > 0 : x.late > 0))
        .sort((a, b) => (metric === 'checkin_completeness' ? b.missing - a.missing : b.late - a.late) || a.r.unit_id - b.r.unit_id)
        .map((x) => ({ ...blank(metric, 'checkins', x.r.unit_id, names.get(x.r.unit_id) ?? ''), missing: x.missing, late: x.late, link: `/health/dashboard?unitId=${x.r.unit_id}` }));
      return inMemory(items, (page) => withPosts(page, ['liaison', 'unit_head']));
    }
    case 'tasks_on_time':
      return {
        total: (await store.missedTasks(deps.db, path, from, cap, 0, 0)).total,
        async present(offset, limit) {
          const { rows } = await store.missedTasks(deps.db, path, from, cap, offset, limit);
          const users = await usersOfPeople(deps.db, rows.map((t) => t.responsible_person_id));
          return rows.map((t) => ({
            ...blank(metric, 'task', t.unit_id, t.unit_name),
            entityId: t.id,
            title: t.title,
            dueAt: Number(t.deadline),
            metAt: t.completed_at === null ? null : Number(t.completed_at),
            people: [{ personId: t.responsible_person_id, userId: users.get(t.responsible_person_id) ?? null, name: t.person_name ?? '', as: 'responsible' as const }],
            link: `/directives/tasks/${t.id}`,
          }));
        },
      };
    case 'incidents_acknowledged':
      return {
        total: (await store.missedLevels(deps.db, path, from, cap, now, 0, 0)).total,
        async present(offset, limit) {
          const { rows } = await store.missedLevels(deps.db, path, from, cap, now, offset, limit);
          const heads = await postsOf(deps, rows.map((r) => ({ id: r.unit_id, path: r.unit_path })), ['unit_head']);
          const out: ScorecardMiss[] = [];
          for (const l of rows) {
            // Who was on shift at the level's unit when its time ran out.
            const duty = (await onDutyAt(deps.db, [l.unit_id], Number(l.deadline))).get(l.unit_id);
            const onShift = duty ? [...duty.leaders, ...duty.officers].map((p): MissPerson => ({ personId: p.personId, userId: p.userId, name: p.name, as: 'duty' })) : [];
            out.push({
              ...blank(metric, 'incident_level', l.unit_id, l.unit_name),
              entityId: l.incident_id,
              dueAt: Number(l.deadline),
              metAt: l.acknowledged_at === null ? null : Number(l.acknowledged_at),
              people: [...(heads.get(l.unit_id) ?? []), ...onShift],
              link: `/duty/incidents/${l.incident_id}`,
            });
          }
          return out;
        },
      };
    case 'inspections_on_schedule': {
      const [duties, places] = await Promise.all([inspectionDuties(deps, path, w, now), store.placesForSchedule(deps.db, path, w.base)]);
      const placeOf = new Map(places.map((p) => [p.id, p]));
      const units = await store.unitsByIds(deps.db, places.map((p) => p.unit_id));
      const items = duties
        .filter((d) => !d.met && d.day >= w.split)
        .sort((a, b) => a.dueAt - b.dueAt || a.placeId - b.placeId)
        .map((d) => ({ ...blank(metric, 'place', d.unitId, units.get(d.unitId)?.name ?? ''), entityId: d.placeId, title: placeOf.get(d.placeId)?.name ?? null, dueAt: d.dueAt, metAt: d.metAt, link: `/places/register/${d.placeId}` }));
      return inMemory(items, async (page) => {
        const ids = page.flatMap((m) => {
          const id = placeOf.get(m.entityId!)?.responsible_person_id;
          return id ? [id] : [];
        });
        const [names, users] = await Promise.all([personNames(deps.db, ids), usersOfPeople(deps.db, ids)]);
        for (const m of page) {
          const id = placeOf.get(m.entityId!)?.responsible_person_id;
          if (id) m.people.push({ personId: id, userId: users.get(id) ?? null, name: names.get(id) ?? '', as: 'responsible' });
        }
      });
    }
    case 'duty_hours_covered': {
      const cov = await dutyCoverage(deps, path, w);
      const names = new Map(cov.units.map((u) => [u.id, u.name]));
      const items = cov.gaps
        .filter((g) => g.endsAt > from)
        .map((g) => ({ ...blank(metric, 'duty_gap', g.unitId, names.get(g.unitId) ?? ''), dueAt: Math.max(g.startsAt, from), endsAt: g.endsAt, link: `/duty/rosters?unitId=${g.unitId}` }))
        .sort((a, b) => a.dueAt - b.dueAt || a.unitId - b.unitId);
      return inMemory(items, (page) => withPosts(page, ['unit_head']));
    }
    case 'measure_exceptions':
      return {
        total: (await store.refusedExceptions(deps.db, path, from, cap, 0, 0)).total,
        async present(offset, limit) {
          const { rows } = await store.refusedExceptions(deps.db, path, from, cap, offset, limit);
          const heads = await postsOf(deps, rows.map((r) => ({ id: r.unit_id, path: r.unit_path })), ['unit_head']);
          return rows.map((v) => ({
            ...blank(metric, 'measure_exception', v.unit_id, v.unit_name),
            entityId: v.id,
            title: v.measure_key,
            dueAt: Number(v.requested_at),
            metAt: v.decided_at === null ? null : Number(v.decided_at),
            people: [
              ...(v.requested_by_user_id === null ? [] : [{ personId: v.person_id, userId: v.requested_by_user_id, name: v.person_name ?? v.display_name ?? v.username ?? '', as: 'requester' as const }]),
              ...(heads.get(v.unit_id) ?? []),
            ],
            link: `/measures?unitId=${v.unit_id}`,
          }));
        },
      };
    case 'care_contacts_in_time': {
      // The case's id and unit and its care officer: never the person cared for or the kind of case.
      const duties = await careContactDuties(deps.db, path, from, cap, now, { timeZone: deps.config.timeZone });
      const units = await store.unitsByIds(deps.db, duties.map((d) => d.unitId));
      const items = duties
        .filter((d) => d.metAt === null || d.metAt > d.dueAt)
        .map((d) => ({
          ...blank(metric, 'care_contact', d.unitId, units.get(d.unitId)?.name ?? ''),
          entityId: d.caseId,
          dueAt: d.dueAt,
          metAt: d.metAt,
          people: d.careOfficerUserId === null ? [] : [{ personId: null, userId: d.careOfficerUserId, name: d.careOfficerName ?? '', as: 'care_officer' as const }],
          link: `/care/board?unitId=${d.unitId}`,
        }));
      return inMemory(items, async () => {});
    }
  }
}
