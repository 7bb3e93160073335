import type { Channel, ChannelCreate, ChannelPatch } from '../../../common/schemas/notify.js';
import type { Deps } from '../../deps.js';
import { transact } from '../../db/transact.js';
import type { Ctx } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { requireActor } from '../org/org.policy.js';
import { buildRequest, maskUrl, sendRequest, type ChannelKind, type RobotMessage } from './channels.js';
import { renderMessage } from './messages.js';
import { emailAddresses, sendEmail } from './email.js';
import { assertChannelsOfUnit, secretProblem, urlProblem } from './notify.policy.js';
import * as store from './notify.store.js';

/** A unit's chat robots: set up by who may change the unit, and the job that delivers to them. */

export function presentChannel(r: store.ChannelRow): Channel {
  return {
    id: r.id,
    unitId: r.unit_id,
    kind: r.kind as ChannelKind,
    name: r.name,
    url: maskUrl(r.url),
    secret: r.secret ? 'set' : 'none',
    enabled: Boolean(r.enabled),
    lastSentAt: r.last_sent_at === null ? null : Number(r.last_sent_at),
    lastError: r.last_error,
    createdAt: Number(r.created_at),
  };
}

/** What the audit log keeps of a channel: never its secret nor its URL's token. */
const audited = (r: store.ChannelRow) => ({ kind: r.kind, name: r.name, url: maskUrl(r.url), secret: r.secret ? 'set' : 'none', enabled: Boolean(r.enabled) });

const targetOf = (r: store.ChannelRow) => ({ kind: r.kind as ChannelKind, url: r.url, secret: r.secret });

async function channelInScope(deps: Deps, ctx: Ctx, id: number) {
  const actor = requireActor(ctx.actor);
  const row = await store.findChannel(deps.db, id);
  assertChannelsOfUnit(actor, row?.unit_path, 'channel');
  return row!;
}

/** The robots of a unit. */
export async function listChannels(deps: Deps, ctx: Ctx, unitId: number): Promise<{ items: Channel[] }> {
  const actor = requireActor(ctx.actor);
  assertChannelsOfUnit(actor, await store.unitPath(deps.db, unitId), 'unit');
  return { items: (await store.channelsOfUnit(deps.db, unitId)).map(presentChannel) };
}

/** Add a robot to a unit. */
export async function createChannel(deps: Deps, ctx: Ctx, unitId: number, input: ChannelCreate): Promise<Channel> {
  const actor = requireActor(ctx.actor);
  assertChannelsOfUnit(actor, await store.unitPath(deps.db, unitId), 'unit');
  const secret = input.secret ?? null;
  const problem = secretProblem(input.kind, secret);
  if (problem) throw errors.validation({ secret: problem });
  const badUrl = urlProblem(input.kind, input.url);
  if (badUrl) throw errors.validation({ url: badUrl });
  if (input.kind === 'email' && !deps.config.smtp) throw errors.validation({ kind: 'e-mail is off: the server has no SMTP settings (BULWARK_SMTP_URL, BULWARK_SMTP_FROM)' });
  const now = deps.clock.now();
  return transact(deps, ctx, async (tx) => {
    const row = await store.insertChannel(tx, { unit_id: unitId, kind: input.kind, name: input.name, url: input.url, secret, enabled: input.enabled ? 1 : 0, last_sent_at: null, last_error: null, created_at: now, updated_at: now });
    await recordAudit(tx, deps, ctx, { action: 'channel.created', entity: 'channel', entityId: row.id, unitId, after: audited(row) });
    return presentChannel(row);
  });
}

/** Rename, re-point, re-key, enable or disable a robot. */
export async function updateChannel(deps: Deps, ctx: Ctx, id: number, patch: ChannelPatch): Promise<Channel> {
  const before = await channelInScope(deps, ctx, id);
  const secret = patch.secret === undefined ? before.secret : patch.secret;
  const problem = secretProblem(before.kind as ChannelKind, secret);
  if (problem) throw errors.validation({ secret: problem });
  const badUrl = patch.url === undefined ? null : urlProblem(before.kind as ChannelKind, patch.url);
  if (badUrl) throw errors.validation({ url: badUrl });
  return transact(deps, ctx, async (tx) => {
    const row = await store.updateChannel(tx, id, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.url !== undefined && { url: patch.url }),
      ...(patch.enabled !== undefined && { enabled: patch.enabled ? 1 : 0 }),
      secret,
      updated_at: deps.clock.now(),
    });
    await recordAudit(tx, deps, ctx, { action: 'channel.updated', entity: 'channel', entityId: id, unitId: row.unit_id, before: audited(before), after: audited(row) });
    return presentChannel(row);
  });
}

/** Remove a robot; deliveries still queued for it are dropped when their job runs. */
export async function deleteChannel(deps: Deps, ctx: Ctx, id: number): Promise<{ ok: true }> {
  const before = await channelInScope(deps, ctx, id);
  await transact(deps, ctx, async (tx) => {
    await store.deleteChannel(tx, id);
    await recordAudit(tx, deps, ctx, { action: 'channel.deleted', entity: 'channel', entityId: id, unitId: before.unit_id, before: audited(before) });
  });
  return { ok: true };
}

/**
 * Send a test message now and say whether the robot took it: the person setting it up waits for
 * the answer, so this one send is not queued (and counts against the robot's minute like any other).
 */
export async function testChannel(deps: Deps, ctx: Ctx, id: number): Promise<{ ok: boolean; error: string | null }> {
  const channel = await channelInScope(deps, ctx, id);
  const unit = await deps.db.selectFrom('units').select('name').where('id', '=', channel.unit_id).executeTakeFirstOrThrow();
  const now = deps.clock.now();
  const params = { unit: unit.name };
  const { title, text } = renderMessage('channel.test', params, 'zh-CN');
  const message: RobotMessage = { eventId: `test-${id}-${now}`, title, text, mentions: [], event: { kind: 'channel.test', params, unitId: channel.unit_id, entity: 'channel', entityId: String(id), link: null, createdAt: now } };
  const outcome =
    channel.kind === 'email'
      ? await sendEmail(deps.config.smtp, emailAddresses(channel.url) ?? [], message)
      : (await store.claimSendSlot(deps.db, id, now))
        ? await sendRequest(channel.kind as ChannelKind, buildRequest(targetOf(channel), message, now))
        : ({ ok: false, error: 'throttled: this robot has had 20 messages in the last minute' } as const);
  const error = outcome.ok ? null : outcome.error;
  await transact(deps, ctx, async (tx) => {
    await store.recordDelivery(tx, id, now, error);
    await recordAudit(tx, deps, ctx, { action: 'channel.tested', entity: 'channel', entityId: id, unitId: channel.unit_id, note: { ok: outcome.ok, error } });
  });
  return { ok: outcome.ok, error };
}
