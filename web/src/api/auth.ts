import { z } from 'zod';
import { Me, SetupStatus, type SetupBody, type LoginBody, type PasswordChange } from '../../../common/schemas/auth.js';
import { Ok } from '../../../common/schemas/shared.js';
import { request } from './client';

export type { Me } from '../../../common/schemas/auth.js';
export type SetupStatus = z.infer<typeof SetupStatus>;

/** What POST /api/v1/setup/demo answers: the demo's size and its sign-ins, shown once. */
export const DemoLoaded = z.object({
  units: z.number().int(),
  people: z.number().int(),
  logins: z.array(z.object({ username: z.string(), password: z.string(), description: z.string().nullish() })),
});
export type DemoLoaded = z.infer<typeof DemoLoaded>;

export const getSetupStatus = () => request('GET', '/api/v1/setup', { schema: SetupStatus });
export const completeSetup = (body: z.input<typeof SetupBody>) => request('POST', '/api/v1/setup', { schema: Me, body });
export const loadDemo = () => request('POST', '/api/v1/setup/demo', { schema: DemoLoaded, body: {} });

export const getMe = () => request('GET', '/api/v1/me', { schema: Me, expect401: true });
export const login = (body: z.input<typeof LoginBody>) => request('POST', '/api/v1/auth/login', { schema: Me, body, expect401: true });
export const logout = () => request('POST', '/api/v1/auth/logout', { schema: Ok, expect401: true });
export const changePassword = (body: z.input<typeof PasswordChange>) => request('POST', '/api/v1/me/password', { schema: Ok, body });
