import { z } from 'zod';
import { Role, Permission } from './org.js';

export const LoginBody = z.strictObject({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

export const Me = z.object({
  user: z.object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string().nullable(),
    personId: z.number().int().nullable(),
  }),
  grants: z.array(z.object({ role: Role, unitId: z.number().int(), unitName: z.string() })),
  /** Permissions the user holds anywhere; the console shows a menu entry only when it is here. */
  permissions: z.array(Permission),
  /** The top units of the user's scope, for the unit picker. */
  scopeRoots: z.array(z.object({ id: z.number().int(), name: z.string() })),
  organisation: z.object({ name: z.string().nullable(), demo: z.boolean(), timeZone: z.string() }),
});
export type Me = z.infer<typeof Me>;

export const SetupStatus = z.object({ needsSetup: z.boolean(), demo: z.boolean(), organisation: z.string().nullable() });
export const SetupBody = z.strictObject({
  token: z.string().trim().min(1).max(200),
  username: z.string().trim().min(3).max(40).regex(/^[A-Za-z0-9_.@-]+$/, 'letters, digits, _ . @ - only'),
  password: z.string().min(10).max(200),
  organisation: z.string().trim().min(1).max(100),
});

export const PasswordChange = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(10).max(200),
});
