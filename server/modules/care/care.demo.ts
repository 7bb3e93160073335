import { addDays, dayOf } from '../../../common/day.js';
import type { CareActionKind, CareKind, CareNeedKind } from '../../../common/schemas/care.js';
import type { Conn } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import * as store from './care.store.js';

/**
 * The demo organisation's care cases (called inside the demo's own transaction): a bounded number
 * (at most 12) of quarantine, front-line and overseas cases, with needs and actions; some contacted
 * lately, some not contacted for longer than care.contact_days (7 by default), so the board, the
 * figures and the supervision view have something to show. No counselling notes: those are the
 * care officers' own. Cases have no care officer yet: the care officers of the organisation take them.
 */
export interface CareDemoShape {
  units: readonly { id: number; parent: number | null; kind: string; name: string; overseas?: boolean }[];
  people: readonly { id: number; unit: number; active: boolean }[];
}

const DAY = 24 * 60 * 60 * 1000;
const PLAN: { kind: CareKind; openedDaysAgo: number; contactDaysAgo: number | null; needs: [CareNeedKind, string][]; actions: CareActionKind[] }[] = [
  { kind: 'centralised_quarantine', openedDaysAgo: 5, contactDaysAgo: 1, needs: [['supplies', 'met']], actions: ['call', 'delivery'] },
  { kind: 'centralised_quarantine', openedDaysAgo: 12, contactDaysAgo: 9, needs: [['psychological', 'open']], actions: ['call'] },
  { kind: 'home_quarantine', openedDaysAgo: 3, contactDaysAgo: 0, needs: [['supplies', 'in_progress']], actions: ['delivery'] },
  { kind: 'home_quarantine', openedDaysAgo: 10, contactDaysAgo: null, needs: [['family', 'open']], actions: [] },
  { kind: 'front_line', openedDaysAgo: 20, contactDaysAgo: 2, needs: [['financial', 'met']], actions: ['visit', 'allowance'] },
  { kind: 'front_line', openedDaysAgo: 15, contactDaysAgo: 8, needs: [['supplies', 'open']], actions: ['visit'] },
  { kind: 'front_line', openedDaysAgo: 6, contactDaysAgo: 1, needs: [], actions: ['call'] },
  { kind: 'family_illness', openedDaysAgo: 9, contactDaysAgo: 3, needs: [['medical', 'in_progress'], ['financial', 'open']], actions: ['visit'] },
  { kind: 'overseas_post', openedDaysAgo: 30, contactDaysAgo: 4, needs: [['psychological', 'met']], actions: ['call', 'call'] },
  { kind: 'overseas_post', openedDaysAgo: 25, contactDaysAgo: 11, needs: [['family', 'open']], actions: ['call'] },
  { kind: 'overseas_post', openedDaysAgo: 2, contactDaysAgo: null, needs: [], actions: [] },
];
const ZONES = ['Europe/Berlin', 'Asia/Singapore', 'Africa/Nairobi'];
const NOTES: Record<CareActionKind, string> = { call: '电话慰问，情况稳定', visit: '上门走访家属', delivery: '送去生活物资一箱', allowance: '发放慰问金', counselling: '' };

export async function seedDemoCare(tx: Conn, deps: Deps, shape: CareDemoShape): Promise<{ cases: number }> {
  const now = deps.clock.now();
  const tz = deps.config.timeZone;
  const active = shape.people.filter((p) => p.active);
  if (active.length === 0) return { cases: 0 };
  const abroad = active.filter((p) => shape.units[p.unit]?.overseas);
  // Spread over the organisation: every n-th person, overseas cases from overseas units when there are any.
  const step = Math.max(1, Math.floor(active.length / (PLAN.length + 1)));
  const used = new Set<number>();
  let cases = 0;
  for (const [i, plan] of PLAN.entries()) {
    const pool = plan.kind === 'overseas_post' && abroad.length > 0 ? abroad : active;
    const person = [pool[(i * step) % pool.length]!, ...pool].find((p) => !used.has(p.id));
    if (!person) break;
    used.add(person.id);
    const unitId = shape.units[person.unit]!.id;
    const openedAt = now - plan.openedDaysAgo * DAY;
    const lastAt = plan.contactDaysAgo === null ? null : now - plan.contactDaysAgo * DAY;
    const id = await store.insertCase(tx, {
      person_id: person.id,
      unit_id: unitId,
      kind: plan.kind,
      status: 'open',
      source: 'hand',
      source_key: null,
      starts_on: dayOf(openedAt, tz),
      expected_end: plan.kind.endsWith('quarantine') ? addDays(dayOf(openedAt, tz), 14) : null,
      care_officer_user_id: null,
      time_zone: plan.kind === 'overseas_post' ? ZONES[i % ZONES.length]! : null,
      note: null,
      outcome: null,
      outcome_note: null,
      opened_by_user_id: null,
      opened_at: openedAt,
      closed_by_user_id: null,
      closed_at: null,
      last_contact_at: lastAt,
      updated_at: lastAt ?? openedAt,
    });
    for (const [kind, state] of plan.needs) {
      await store.insertNeed(tx, { case_id: id, kind, state, note: null, request_id: null, created_at: openedAt, updated_at: lastAt ?? openedAt, updated_by_user_id: null });
    }
    // The actions spread between the opening and the last contact, the last one at it.
    for (const [k, kind] of plan.actions.entries()) {
      const at = lastAt === null ? openedAt : Math.round(openedAt + ((lastAt - openedAt) * (k + 1)) / plan.actions.length);
      await store.insertAction(tx, { case_id: id, kind, at, user_id: null, note: NOTES[kind] || null, note_cipher: null, created_at: at });
    }
    cases++;
  }
  return { cases };
}
