import type { z } from 'zod';
import type { GapList, GapQuery, NowAnswer, NowLevel } from '../../../common/schemas/duty.js';
import type { Deps } from '../../deps.js';
import { ancestorIds } from '../../db/tree.js';
import { scopeFor, type Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { phoneAsSeenBy } from '../org/people.service.js';
import { requireActor } from '../org/org.policy.js';
import { findUnit, findUnitsByIds } from '../org/units.store.js';
import { coverageGaps } from './duty.gaps.js';
import { onDutyAt, type OnDutyPerson } from './duty.onduty.js';
import { hasGrantOver } from './duty.policy.js';
import { unitFor } from './duty.service.js';
import * as store from './duty.store.js';

const DAY = 86_400_000;

/**
 * Who is on duty now at a unit and at each level above it that keeps duty, nearest first. Anyone
 * with a grant over the unit may ask (whoever works there must know whom to call, up the line);
 * phones are whole only where the actor holds people.phone over the person's unit.
 */
export async function whoIsOnDutyNow(deps: Deps, ctx: Ctx, unitId: number): Promise<NowAnswer> {
  const actor = requireActor(ctx.actor);
  const unit = await findUnit(deps.db, unitId);
  if (!unit || !hasGrantOver(actor, unit.path)) throw errors.notFound('unit');
  const at = deps.clock.now();
  const above = ancestorIds(unit.path).reverse(); // nearest first
  const keeping = await store.unitsKeepingDuty(deps.db, [unit.id, ...above]);
  const levels = [unit.id, ...above.filter((id) => keeping.has(id))];
  const units = new Map((await findUnitsByIds(deps.db, levels)).map((u) => [u.id, u]));
  const onDuty = await onDutyAt(deps.db, levels, at);
  // The people's units, for the phone rule: one query for everyone on every level.
  const personIds = [...onDuty.values()].flatMap((o) => [...o.leaders, ...o.officers].map((p) => p.personId));
  const personUnits = personIds.length
    ? await deps.db.selectFrom('people').innerJoin('units', 'units.id', 'people.unit_id').select(['people.id', 'units.id as unit_id', 'units.name', 'units.path']).where('people.id', 'in', [...new Set(personIds)]).execute()
    : [];
  const unitOf = new Map(personUnits.map((p) => [p.id, p]));
  const shiftIds = [...new Set(personIds.length ? [...onDuty.values()].flatMap((o) => [...o.leaders, ...o.officers].map((p) => p.shiftId)) : [])];
  const shifts = new Map((await store.findShifts(deps.db, shiftIds)).map((s) => [s.id, s]));
  const person = (p: OnDutyPerson) => {
    const u = unitOf.get(p.personId)!;
    return { personId: p.personId, name: p.name, phone: phoneAsSeenBy(actor, { phone: p.phone, unit_path: u.path }), unitId: u.unit_id, unitName: u.name };
  };
  const out: NowLevel[] = levels.map((id) => {
    const u = units.get(id)!;
    const o = onDuty.get(id)!;
    const shiftId = o.leaders[0]?.shiftId ?? o.officers[0]?.shiftId;
    const s = shiftId === undefined ? undefined : shifts.get(shiftId);
    return {
      unitId: id,
      unitName: u.name,
      depth: u.depth,
      keepsDuty: keeping.has(id),
      shift: s ? { id: s.id, startsAt: Number(s.starts_at), endsAt: Number(s.ends_at) } : null,
      leaders: o.leaders.map(person),
      officers: o.officers.map(person),
    };
  });
  return { at, levels: out };
}

/** Coverage gaps of the units that keep duty in a subtree (or the actor's whole duty.read scope), from now. */
export async function listGaps(deps: Deps, ctx: Ctx, q: z.infer<typeof GapQuery>): Promise<GapList> {
  const actor = requireActor(ctx.actor);
  let paths = scopeFor(actor, 'duty.read');
  if (paths.length === 0) throw errors.forbidden();
  if (q.unitId !== undefined) paths = [(await unitFor(deps, actor, q.unitId, 'duty.read')).path];
  const rosters = await store.rostersIn(deps.db, paths);
  const now = deps.clock.now();
  const items = await coverageGaps(
    deps.db,
    rosters.map((r) => ({ id: r.unit_id, name: r.unit_name })),
    now,
    q.days,
  );
  return { from: now, to: now + q.days * DAY, units: rosters.length, items };
}
