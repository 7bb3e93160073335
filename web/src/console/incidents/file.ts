import type { Dayjs } from 'dayjs';
import type { IncidentFile, IncidentKind, IncidentSeverity, Involvement } from '../../../../common/schemas/incidents.js';
import { instantOf } from '../directives/assign.js';

/** The filing form's values (console). */
export interface FileValues {
  unitId?: number;
  kind?: IncidentKind;
  severity?: IncidentSeverity;
  title?: string;
  description?: string;
  occurredAt?: Dayjs | null;
  place?: string;
  people?: { personId?: number; involvement?: Involvement; note?: string }[];
}

/** The field names a server validation error may name, for putting it on the form. */
export const FILE_FIELDS = ['unitId', 'kind', 'severity', 'title', 'description', 'occurredAt', 'place', 'people'] as const;

/**
 * The body of POST /incidents from the form: texts trimmed, empty ones left out, the picked time read
 * as a wall-clock time in the deployment's zone, rows without a person dropped.
 */
export function fileBody(v: FileValues, timeZone: string): IncidentFile {
  const trimmed = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
  const place = trimmed(v.place);
  return {
    unitId: v.unitId!,
    kind: v.kind!,
    severity: v.severity!,
    title: v.title?.trim() ?? '',
    description: v.description?.trim() ?? '',
    ...(v.occurredAt ? { occurredAt: instantOf(v.occurredAt, timeZone) } : {}),
    ...(place ? { place } : {}),
    people: (v.people ?? []).flatMap((p) => {
      if (!p.personId) return [];
      const note = trimmed(p.note);
      return [{ personId: p.personId, involvement: p.involvement ?? 'other', ...(note ? { note } : {}) }];
    }),
  };
}
