import type { z } from 'zod';
import {
  ApiTokenCreated,
  ApiTokenList,
  Grant,
  User,
  UserPage,
  type ApiTokenCreate,
  type GrantCreate,
  type UserCreate,
  type UserPatch,
} from '../../../common/schemas/org.js';
import { Ok } from '../../../common/schemas/shared.js';
import { request } from './client';

export type { User } from '../../../common/schemas/org.js';
export type ApiToken = z.infer<typeof ApiTokenList>['items'][number];
export type ApiTokenCreated = z.infer<typeof ApiTokenCreated>;

export const listUsers = (q: { q?: string; page?: number; pageSize?: number }) => request('GET', '/api/v1/users', { schema: UserPage, query: q });
export const createUser = (body: z.input<typeof UserCreate>) => request('POST', '/api/v1/users', { schema: User, body });
export const updateUser = (id: number, body: z.input<typeof UserPatch>) => request('PATCH', `/api/v1/users/${id}`, { schema: User, body });

export const createGrant = (body: z.input<typeof GrantCreate>) => request('POST', '/api/v1/grants', { schema: Grant, body });
export const deleteGrant = (id: number) => request('DELETE', `/api/v1/grants/${id}`, { schema: Ok });

export const listTokens = () => request('GET', '/api/v1/tokens', { schema: ApiTokenList });
export const createToken = (body: z.input<typeof ApiTokenCreate>) => request('POST', '/api/v1/tokens', { schema: ApiTokenCreated, body });
export const revokeToken = (id: number) => request('DELETE', `/api/v1/tokens/${id}`, { schema: Ok });
