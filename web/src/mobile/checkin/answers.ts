import type { CheckinSubmit } from '../../../../common/schemas/health.js';

/** A filled-in form: what the phone sends besides the day. */
export type Answers = Required<Pick<CheckinSubmit, 'temperature' | 'symptoms' | 'location' | 'city'>> & { note: string | null };
