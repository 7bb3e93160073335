import { dayOf } from '../../../common/day.js';
import { CARE_KINDS, type CareCounts, type CareKind } from '../../../common/schemas/care.js';
import type { Conn } from '../../db/database.js';
import { effectiveMeasuresOn } from '../measures/measures.effective.js';
import * as store from './care.store.js';

/**
 * Care figures without contents, for the care board, the command office, supervisors and other
 * modules (the supervision scorecard and overdue view): counts, contact duties and uncontacted
 * cases. Nothing here names the person cared for or the kind of one case.
 *
 * The contact rule: a case must have a care action every `care.contact_days` days (the measure in
 * force at the person's unit). The first contact falls due that many days after the case opened,
 * each next one that many days after the previous contact (or after the previous due time, when
 * that one was missed). An open case past its due time is "uncontacted".
 */

export const DAY_MS = 24 * 60 * 60 * 1000;
export const CONTACT_DAYS_KEY = 'care.contact_days';
const DEFAULT_ZONE = 'Asia/Shanghai';

export interface FigureOptions {
  /** The deployment's zone, for the day the measure is read on (default Asia/Shanghai). */
  timeZone?: string;
}

/** care.contact_days at each of these units on the day of `now`. */
export async function contactDaysAt(db: Conn, unitIds: readonly number[], now: number, opts: FigureOptions = {}): Promise<Map<number, number>> {
  const ids = [...new Set(unitIds)];
  if (ids.length === 0) return new Map();
  const m = await effectiveMeasuresOn(db, CONTACT_DAYS_KEY, ids, dayOf(now, opts.timeZone ?? DEFAULT_ZONE));
  return new Map(ids.map((id) => [id, Number(m.get(id)!.value)]));
}

/** When the next contact of an open case falls due: contact days after its last contact, else after its opening. */
export function contactDueAt(c: { opened_at: number; last_contact_at: number | null }, contactDays: number): number {
  return Number(c.last_contact_at ?? c.opened_at) + contactDays * DAY_MS;
}

export interface CareContactDuty {
  unitId: number;
  caseId: number;
  careOfficerUserId: number | null;
  careOfficerName: string | null;
  dueAt: number;
  metAt: number | null;
}

/**
 * The contact duties of a case: every time a contact fell due in [from, until), with the contact
 * that met it (the first care action after the previous contact), or null. A contact made before
 * its due time restarts the count from itself; a missed one counts the next from its due time.
 */
export function dutiesOf(openedAt: number, closedAt: number | null, actionTimes: readonly number[], contactDays: number, from: number, until: number): { dueAt: number; metAt: number | null }[] {
  const out: { dueAt: number; metAt: number | null }[] = [];
  const span = contactDays * DAY_MS;
  const end = closedAt === null ? until : Math.min(until, closedAt);
  let prev = openedAt;
  let i = 0;
  for (;;) {
    const due = prev + span;
    while (i < actionTimes.length && actionTimes[i]! <= prev) i++;
    const met = i < actionTimes.length && actionTimes[i]! < until ? actionTimes[i]! : null;
    // A contact in time is a duty met, not a duty skipped: the scorecard's rate needs both.
    if (due >= end) break;
    if (due >= from) out.push({ dueAt: due, metAt: met });
    prev = met ?? due;
  }
  return out;
}

/** Every contact that fell due in [from, min(to, now)) for the cases of the subtree (open, or closed after it fell due). */
export async function careContactDuties(db: Conn, rootPath: string, from: number, to: number, now: number, opts: FigureOptions = {}): Promise<CareContactDuty[]> {
  const until = Math.min(to, now);
  if (until <= from) return [];
  const cases = await store.casesActiveIn(db, [rootPath], from, until);
  if (cases.length === 0) return [];
  const [days, times] = await Promise.all([contactDaysAt(db, cases.map((c) => c.unit_id), now, opts), store.actionTimesOf(db, cases.map((c) => c.id))]);
  const out: CareContactDuty[] = [];
  for (const c of cases) {
    for (const d of dutiesOf(c.opened_at, c.closed_at, times.get(c.id) ?? [], days.get(c.unit_id)!, from, until)) {
      out.push({ unitId: c.unit_id, caseId: c.id, careOfficerUserId: c.care_officer_user_id, careOfficerName: c.officer_name, dueAt: d.dueAt, metAt: d.metAt });
    }
  }
  return out.sort((a, b) => a.dueAt - b.dueAt || a.caseId - b.caseId);
}

export interface UncontactedCase {
  caseId: number;
  unitId: number;
  unitName: string;
  careOfficerUserId: number | null;
  careOfficerName: string | null;
  lastContactAt: number | null;
  dueAt: number;
}

/** Open cases of the subtree past their contact due time, most overdue first. No person's name, no kind. */
export async function uncontactedCases(db: Conn, rootPath: string, now: number, opts: FigureOptions = {}): Promise<UncontactedCase[]> {
  const rows = await store.openCasesIn(db, [rootPath]);
  const days = await contactDaysAt(db, rows.map((r) => r.unit_id), now, opts);
  return rows
    .map((r) => ({ r, dueAt: contactDueAt(r, days.get(r.unit_id)!) }))
    .filter((x) => now >= x.dueAt)
    .sort((a, b) => a.dueAt - b.dueAt || a.r.id - b.r.id)
    .map(({ r, dueAt }) => ({ caseId: r.id, unitId: r.unit_id, unitName: r.unit_name, careOfficerUserId: r.care_officer_user_id, careOfficerName: r.officer_name, lastContactAt: r.last_contact_at, dueAt }));
}

export type { CareCounts };

export const zeroCounts = (): CareCounts => ({ openCases: 0, byKind: Object.fromEntries(CARE_KINDS.map((k) => [k, 0])) as Record<CareKind, number>, needsOpen: 0, uncontacted: 0, requestsOpen: 0 });

/** One open case's part of the counts. */
export function addCase(into: CareCounts, c: { kind: string; needs_open: number }, uncontacted: boolean): void {
  into.openCases += 1;
  if ((CARE_KINDS as readonly string[]).includes(c.kind)) into.byKind[c.kind as CareKind] += 1;
  into.needsOpen += c.needs_open;
  if (uncontacted) into.uncontacted += 1;
}

/** Counts for a subtree: open cases by kind, needs not met, uncontacted, requests open. */
export async function careCounts(db: Conn, rootPath: string, now: number, opts: FigureOptions = {}): Promise<CareCounts> {
  const [rows, requests] = await Promise.all([store.openCasesIn(db, [rootPath]), store.openRequestUnits(db, [rootPath])]);
  const days = await contactDaysAt(db, rows.map((r) => r.unit_id), now, opts);
  const out = zeroCounts();
  for (const r of rows) addCase(out, r, now >= contactDueAt(r, days.get(r.unit_id)!));
  out.requestsOpen = requests.length;
  return out;
}
