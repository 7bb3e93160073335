import { can, type Actor } from '../../http/actor.js';
import { errors } from '../../http/errors.js';
import type { ChannelKind } from './channels.js';

/**
 * Who may do what with notifications. A notification is its addressee's alone (anyone else's reads
 * as not found); a unit's robots are part of the unit's set-up: units.write over the unit.
 */
export function assertChannelsOfUnit(actor: Actor, unitPath: string | undefined, entity: 'unit' | 'channel' | 'message'): string {
  if (!unitPath || !can(actor, 'units.read', unitPath)) throw errors.notFound(entity);
  if (!can(actor, 'units.write', unitPath)) throw errors.forbidden();
  return unitPath;
}

/** What each robot accepts as a secret: DingTalk's 加签 key starts with SEC, WeCom has none (the key is in the URL), ours needs one. */
export function secretProblem(kind: ChannelKind, secret: string | null): string | null {
  if (kind === 'dingtalk' && secret !== null && !secret.startsWith('SEC')) return 'a DingTalk signing secret starts with SEC';
  if (kind === 'wecom' && secret !== null) return 'WeCom robots are not signed: the key is part of the URL';
  if (kind === 'generic' && secret === null) return 'a generic webhook is always signed: give it a secret';
  if (kind === 'email' && secret !== null) return 'an e-mail channel has no secret';
  return null;
}

/** Whether the URL fits the kind: e-mail takes mailto: and its addresses, the others http(s). */
export function urlProblem(kind: ChannelKind, url: string): string | null {
  const mailto = url.startsWith('mailto:');
  if (kind === 'email' && !mailto) return 'an e-mail channel is mailto: and its addresses separated by commas';
  if (kind !== 'email' && mailto) return 'a robot or webhook needs an http(s) URL';
  return null;
}
