import type { z } from 'zod';
import type { CareNeedKind, CareRequest as CareRequestSchema, MyCare as MyCareSchema, MyCareRequestCreate } from '../../../../common/schemas/care.js';
import { call } from '../api';

/** The 求助 page's calls. Types come from the shared schemas (type imports only: no zod on the phone). */
export type MyCare = z.infer<typeof MyCareSchema>;
export type MyCareCase = MyCare['cases'][number];
export type CareRequest = z.infer<typeof CareRequestSchema>;

/** The need kinds, kept here because the shared list sits beside zod; `satisfies` keeps them in step with it. */
export const NEED_KINDS = ['supplies', 'financial', 'psychological', 'medical', 'family'] as const satisfies readonly CareNeedKind[];

export const myCare = () => call<MyCare>('GET', '/api/v1/me/care');
/** One request under its Idempotency-Key: a resend after a lost answer does not ask twice. */
export const askForHelp = (body: MyCareRequestCreate, key: string) => call<CareRequest>('POST', '/api/v1/me/care-requests', { body, headers: { 'idempotency-key': key } });

/** A key no other request of this phone will carry; crypto.randomUUID needs https, getRandomValues does not. */
export function newKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return `care-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}
