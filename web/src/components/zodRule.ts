import type { z } from 'zod';
import type { FormRule } from 'antd';

/**
 * A form rule from the shared schema, so the browser checks a field exactly as the server will.
 * Empty values pass here (a separate `required` rule says they are missing); `message` replaces
 * zod's own text where that text is an English-only pattern description; `allow` lets a value through
 * that the form will not send (an unchanged masked phone number).
 */
export function zodRule(schema: z.ZodType, message?: string, allow?: (value: unknown) => boolean): FormRule {
  return {
    validator: async (_rule, value: unknown) => {
      if (value === undefined || value === null || value === '' || allow?.(value)) return;
      const r = schema.safeParse(value);
      if (!r.success) throw new Error(message ?? r.error.issues[0]?.message ?? 'invalid');
    },
  };
}

/** Form values use '' for an emptied text box; the API wants null (clear) or the trimmed text. */
export function emptyToNull(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s === '' ? null : s;
}
