import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Conn } from '../../db/database.js';
import { getSetting } from '../setup/settings.store.js';

/**
 * A person's testing code for one campaign: one AES block holding the campaign id, the person id
 * and 64 bits of an HMAC over both, all under keys derived from a server secret kept in settings.
 * The code shows no id, cannot be guessed or forged without the secret, and names its person
 * without a lookup table, so it works for someone added to the campaign after it started.
 * Written in Crockford base32 (no I, L, O, U): 26 characters, grouped for reading aloud.
 */

export const CODE_SECRET_SETTING = 'campaigns.code_secret';
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface CodeKeys {
  aes: Buffer;
  mac: Buffer;
}

export function keysOf(secret: string): CodeKeys {
  const derive = (label: string) => createHmac('sha256', secret).update(label).digest();
  return { aes: derive('campaign-code/aes'), mac: derive('campaign-code/mac') };
}

/** The secret, created on first use. Concurrent first uses agree: the first insert wins, the rest read it. */
export async function ensureCodeSecret(tx: Conn, now: number): Promise<void> {
  const fresh = JSON.stringify(randomBytes(32).toString('hex'));
  await tx
    .insertInto('settings')
    .values({ key: CODE_SECRET_SETTING, value: fresh, updated_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/** The keys, or null when no campaign was ever created (so no code can be valid). */
export async function codeKeys(db: Conn): Promise<CodeKeys | null> {
  const secret = await getSetting(db, CODE_SECRET_SETTING);
  return typeof secret === 'string' ? keysOf(secret) : null;
}

function tag(keys: CodeKeys, campaignId: number, personId: number): Buffer {
  return createHmac('sha256', keys.mac).update(`${campaignId}:${personId}`).digest().subarray(0, 8);
}

function toBase32(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Buffer | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Buffer.from(out);
}

/** The code of a person in a campaign, as shown: five groups, e.g. 'K3M9Q-…'. */
export function encodeCode(keys: CodeKeys, campaignId: number, personId: number): string {
  const block = Buffer.alloc(16);
  block.writeUInt32BE(campaignId, 0);
  block.writeUInt32BE(personId, 4);
  tag(keys, campaignId, personId).copy(block, 8);
  const c = createCipheriv('aes-256-ecb', keys.aes, null).setAutoPadding(false);
  const text = toBase32(Buffer.concat([c.update(block), c.final()]));
  return text.match(/.{1,5}/g)!.join('-');
}

/** Whom a typed or scanned code names, or null for anything that is not a valid code. */
export function decodeCode(keys: CodeKeys, code: string): { campaignId: number; personId: number } | null {
  // What a person types: any case, spaces or dashes, O for 0 and I or L for 1.
  const text = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (text.length !== 26) return null;
  const raw = fromBase32(text);
  if (!raw || raw.length !== 16) return null;
  const d = createDecipheriv('aes-256-ecb', keys.aes, null).setAutoPadding(false);
  const block = Buffer.concat([d.update(raw), d.final()]);
  const campaignId = block.readUInt32BE(0);
  const personId = block.readUInt32BE(4);
  if (!timingSafeEqual(block.subarray(8), tag(keys, campaignId, personId))) return null;
  return { campaignId, personId };
}
