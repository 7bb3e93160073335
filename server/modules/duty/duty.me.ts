import { randomBytes } from 'node:crypto';
import { MY_SHIFTS_DAYS, type MyShift } from '../../../common/schemas/duty.js';
import { transact } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import type { Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { sha256 } from '../auth/auth.service.js';
import { requireActor } from '../org/org.policy.js';
import { HANDOVER_GRACE_MS } from './duty.policy.js';
import { renderCalendar, type CalendarEvent } from './duty.ical.js';
import { presentShifts } from './duty.present.js';
import * as store from './duty.store.js';

const DAY = 86_400_000;
/** The feed also shows the last days' shifts, so a calendar keeps what happened. */
const FEED_PAST_DAYS = 30;
export const FEED_PATH = '/api/v1/duty/feed/';

/**
 * The signed-in person's shifts: those not yet over, 60 days ahead, and those ended so recently
 * that their handover can still be written (HANDOVER_GRACE_MS), so the phone offers it whatever
 * device the person was on during the shift.
 */
export async function myShifts(deps: Deps, ctx: Ctx): Promise<{ items: MyShift[] }> {
  const actor = requireActor(ctx.actor);
  if (actor.personId === null) return { items: [] };
  const now = deps.clock.now();
  const rows = await store.shiftsOfPerson(deps.db, actor.personId, now - HANDOVER_GRACE_MS, now + MY_SHIFTS_DAYS * DAY);
  const shifts = await presentShifts(deps.db, actor, rows, now);
  return {
    items: shifts.map((s, i) => ({
      id: s.id,
      unitId: s.unitId,
      unitName: s.unitName,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      role: rows[i]!.role === 'leader' ? 'leader' : 'officer',
      note: s.note,
      leaders: s.leaders,
      officers: s.officers,
      abilities: s.abilities,
    })),
  };
}

export async function feedStatus(deps: Deps, ctx: Ctx) {
  const actor = requireActor(ctx.actor);
  const t = await store.findFeedToken(deps.db, actor.userId);
  return { exists: Boolean(t), createdAt: t ? Number(t.created_at) : null, lastUsedAt: t?.last_used_at == null ? null : Number(t.last_used_at) };
}

/** Make (or rotate: the old URL stops working) the secret URL of my calendar feed. Shown once. */
export async function createFeed(deps: Deps, ctx: Ctx, origin: string) {
  const actor = requireActor(ctx.actor);
  if (actor.personId === null) throw errors.forbidden('Your account is not linked to a person');
  const token = randomBytes(32).toString('base64url');
  return transact(deps, ctx, async (tx) => {
    const now = deps.clock.now();
    const had = await store.findFeedToken(tx, actor.userId);
    await store.putFeedToken(tx, actor.userId, sha256(token), now);
    await recordAudit(tx, deps, ctx, { action: had ? 'duty.feed_rotated' : 'duty.feed_created', entity: 'duty_feed', entityId: actor.userId });
    const path = `${FEED_PATH}${token}.ics`;
    return { url: `${origin}${path}`, path, createdAt: now };
  });
}

export async function deleteFeed(deps: Deps, ctx: Ctx): Promise<{ ok: true }> {
  const actor = requireActor(ctx.actor);
  return transact(deps, ctx, async (tx) => {
    if ((await store.deleteFeedToken(tx, actor.userId)) > 0) await recordAudit(tx, deps, ctx, { action: 'duty.feed_deleted', entity: 'duty_feed', entityId: actor.userId });
    return { ok: true as const };
  });
}

const ROLE_WORDS = { leader: '带班领导', officer: '值班员' } as const;

/**
 * The calendar of the feed token's owner: their shifts from 30 days back to 60 days ahead. An
 * unknown token, or the account disabled or unlinked since, reads as not found.
 */
export async function feedCalendar(deps: Deps, token: string): Promise<string> {
  const owner = await store.feedUserByHash(deps.db, sha256(token));
  if (!owner || owner.disabled_at !== null || owner.person_id === null) throw errors.notFound('feed');
  const now = deps.clock.now();
  const rows = await store.shiftsOfPerson(deps.db, owner.person_id, now - FEED_PAST_DAYS * DAY, now + MY_SHIFTS_DAYS * DAY);
  const members = await store.membersOf(
    deps.db,
    rows.map((r) => r.id),
  );
  await store.touchFeedToken(deps.db, owner.user_id, now);
  const events: CalendarEvent[] = rows.map((r) => {
    const role = r.role === 'leader' ? 'leader' : 'officer';
    const lines = [
      `带班领导 Leader on duty: ${members.filter((m) => m.shift_id === r.id && m.role === 'leader').map((m) => m.name).join('、') || '-'}`,
      `值班员 Duty officers: ${members.filter((m) => m.shift_id === r.id && m.role === 'officer').map((m) => m.name).join('、') || '-'}`,
    ];
    if (r.note) lines.push(r.note);
    return {
      uid: `duty-shift-${r.id}-person-${owner.person_id}@bulwark`,
      stamp: Number(r.updated_at),
      start: Number(r.starts_at),
      end: Number(r.ends_at),
      summary: `值班 · ${ROLE_WORDS[role]} · ${r.unit_name}`,
      description: lines.join('\n'),
      location: r.unit_name,
    };
  });
  return renderCalendar({ prodId: '-//Bulwark//Duty roster//ZH', name: '我的值班 My shifts', events });
}
