import { z } from 'zod';

/** Database ids are positive integers; a path or query id that is not one is a validation error. */
export const Id = z.coerce.number().int().positive().max(2_147_483_647);
export const IdParams = z.strictObject({ id: Id });

/** Trimmed, non-empty, bounded text: the shape of every name the user types. */
export const Name = (max = 100) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export const Page = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};

export const Timestamp = z.number().int(); // epoch milliseconds

export const Ok = z.strictObject({ ok: z.literal(true) });

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}
