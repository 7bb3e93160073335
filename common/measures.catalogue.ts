/**
 * The catalogue of measure types (防控措施), as data: every measure a unit may set, its value type,
 * unit, which direction is stricter, the values it accepts and the built-in default that applies at
 * a root no one has set. Server and console both read this file; adding a measure is adding a row.
 *
 * Values are stored as integers so that comparing strictness is exact on both databases:
 *   integer → itself; decimal → hundredths (0.5 → 50); time of day 'HH:MM' → minutes after midnight
 *   (24:00 → 1440, the end of the day).
 *
 * Not here: how long before a task's deadline its responsible person is reminded. The 层层加码 guard
 * exists to stop a unit burdening people with rules stricter than the level above requires; a
 * reminder lead burdens no one, has no "stricter" side to guard, and belongs to the task (whoever
 * sets a deadline knows how much warning it needs), not to the unit where the person sits. It is a
 * setting of the tasks module, not a measure.
 */

export type MeasureValueType = 'integer' | 'decimal' | 'time';
/** Which way is stricter: 'lower' (a smaller number, an earlier time) or 'higher'. */
export type Stricter = 'lower' | 'higher';

export interface Localized {
  'zh-CN': string;
  en: string;
}

export interface MeasureTypeDef {
  key: string;
  name: Localized;
  /** What the value counts, shown next to it (人 / people); null for a time of day. */
  unit: Localized | null;
  valueType: MeasureValueType;
  stricter: Stricter;
  /** Bounds and default in the API's own form: numbers, or 'HH:MM' for a time. */
  min: number | string;
  max: number | string;
  default: number | string;
  /** Which module reads it, for the operator page. */
  usedBy: string;
}

/** Incident severities, most severe first (Ⅰ 特别重大 … Ⅳ 一般); issue 5 reads one time limit per level. */
export const INCIDENT_SEVERITIES = ['critical', 'major', 'serious', 'general'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

const SEVERITY_NAMES: Record<IncidentSeverity, Localized> = {
  critical: { 'zh-CN': 'Ⅰ级（特别重大）', en: 'level I (critical)' },
  major: { 'zh-CN': 'Ⅱ级（重大）', en: 'level II (major)' },
  serious: { 'zh-CN': 'Ⅲ级（较大）', en: 'level III (serious)' },
  general: { 'zh-CN': 'Ⅳ级（一般）', en: 'level IV (general)' },
};
const SEVERITY_DEFAULT_MINUTES: Record<IncidentSeverity, number> = { critical: 15, major: 30, serious: 60, general: 120 };

const PEOPLE: Localized = { 'zh-CN': '人', en: 'people' };
const MINUTES: Localized = { 'zh-CN': '分钟', en: 'minutes' };
const DAYS: Localized = { 'zh-CN': '天', en: 'days' };
const SHARE: Localized = { 'zh-CN': '（占容量比例）', en: 'of capacity' };

export const MEASURE_TYPES: readonly MeasureTypeDef[] = [
  {
    key: 'meeting.max_size',
    name: { 'zh-CN': '会议最大规模', en: 'Largest meeting' },
    unit: PEOPLE,
    valueType: 'integer',
    stricter: 'lower',
    min: 1,
    max: 10_000,
    default: 50,
    usedBy: 'places (meetings)',
  },
  {
    key: 'meeting.max_minutes',
    name: { 'zh-CN': '会议最长时长', en: 'Longest meeting' },
    unit: MINUTES,
    valueType: 'integer',
    stricter: 'lower',
    min: 5,
    max: 1_440,
    default: 90,
    usedBy: 'places (meetings)',
  },
  {
    key: 'room.density',
    name: { 'zh-CN': '会议室使用密度', en: 'Room density' },
    unit: SHARE,
    valueType: 'decimal',
    stricter: 'lower',
    min: 0.05,
    max: 1,
    default: 0.5,
    usedBy: 'places (meetings)',
  },
  {
    key: 'canteen.slot_density',
    name: { 'zh-CN': '食堂就餐时段密度', en: 'Canteen slot density' },
    unit: SHARE,
    valueType: 'decimal',
    stricter: 'lower',
    min: 0.05,
    max: 1,
    default: 0.5,
    usedBy: 'places (dining slots)',
  },
  {
    // How far back the contact candidates of a positive case look (issue 6): a longer look finds
    // more people to follow up, so 'higher' is stricter.
    key: 'contact.lookback_days',
    name: { 'zh-CN': '密接排查回溯天数', en: 'Days a contact search looks back' },
    unit: DAYS,
    valueType: 'integer',
    stricter: 'higher',
    min: 1,
    max: 30,
    default: 14,
    usedBy: 'places (contact candidates)',
  },
  {
    key: 'trip.watch_days',
    name: { 'zh-CN': '风险地区返回后健康监测天数', en: 'Health watch after a return from a risk area' },
    unit: DAYS,
    valueType: 'integer',
    stricter: 'higher',
    // The same bounds and default as the health module's watch days (WATCH_DAYS_MAX, DEFAULT_WATCH_DAYS).
    min: 1,
    max: 90,
    default: 14,
    usedBy: 'health (trips, watches)',
  },
  {
    // How many days a care case may go without a care action before its care officer is alerted
    // and the unit's care figures count it (issue 7): fewer days is stricter.
    key: 'care.contact_days',
    name: { 'zh-CN': '关爱对象联系间隔天数', en: 'Days a care case may go without contact' },
    unit: DAYS,
    valueType: 'integer',
    stricter: 'lower',
    min: 1,
    max: 60,
    default: 7,
    usedBy: 'care (care cases)',
  },
  {
    key: 'checkin.cutoff',
    name: { 'zh-CN': '每日健康打卡截止时间', en: 'Daily check-in cut-off' },
    unit: null,
    valueType: 'time',
    stricter: 'lower',
    // As the health settings always allowed: 00:00 closes a day as it begins (a drill, a test).
    min: '00:00',
    max: '24:00',
    // The health module's own default cut-off: the end of the day.
    default: '24:00',
    usedBy: 'health (check-ins)',
  },
  ...INCIDENT_SEVERITIES.map(
    (s): MeasureTypeDef => ({
      key: `incident.ack_minutes.${s}`,
      name: { 'zh-CN': `${SEVERITY_NAMES[s]['zh-CN']}紧急事项确认时限`, en: `Time to acknowledge a ${SEVERITY_NAMES[s].en} incident` },
      unit: MINUTES,
      valueType: 'integer',
      stricter: 'lower',
      min: 1,
      max: 1_440,
      default: SEVERITY_DEFAULT_MINUTES[s],
      usedBy: 'duty (incident escalation)',
    }),
  ),
];

export const MEASURE_KEYS: readonly string[] = MEASURE_TYPES.map((m) => m.key);
const BY_KEY = new Map(MEASURE_TYPES.map((m) => [m.key, m]));

export function measureType(key: string): MeasureTypeDef | undefined {
  return BY_KEY.get(key);
}

// ── values: the API's form ↔ the stored integer ─────────────────────────────────────────────────

export type MeasureValue = number | string;

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** The stored integer of a value, or why it is not acceptable for this measure. */
export function encodeMeasureValue(def: MeasureTypeDef, value: unknown): { ok: true; stored: number } | { ok: false; message: string } {
  const raw = parseRaw(def, value);
  if (!raw.ok) return raw;
  const lo = parseRaw(def, def.min) as { stored: number };
  const hi = parseRaw(def, def.max) as { stored: number };
  if (raw.stored < lo.stored || raw.stored > hi.stored) return { ok: false, message: `must be between ${String(def.min)} and ${String(def.max)}` };
  return raw;
}

function parseRaw(def: MeasureTypeDef, value: unknown): { ok: true; stored: number } | { ok: false; message: string } {
  switch (def.valueType) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return { ok: false, message: 'must be a whole number' };
      return { ok: true, stored: value };
    case 'decimal': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, message: 'must be a number' };
      const hundredths = Math.round(value * 100);
      // More than two decimals would be silently rounded: refuse instead.
      if (Math.abs(hundredths - value * 100) > 1e-6) return { ok: false, message: 'must have at most two decimals' };
      return { ok: true, stored: hundredths };
    }
    case 'time': {
      const m = typeof value === 'string' ? HHMM.exec(value) : null;
      if (!m) return { ok: false, message: 'must be a time of day as HH:MM' };
      const minutes = Number(m[1]) * 60 + Number(m[2]);
      if (minutes > 1_440) return { ok: false, message: 'must be a time of day as HH:MM' };
      return { ok: true, stored: minutes };
    }
  }
}

/** A stored integer back in the API's form. */
export function decodeMeasureValue(def: MeasureTypeDef, stored: number): MeasureValue {
  switch (def.valueType) {
    case 'integer':
      return stored;
    case 'decimal':
      return stored / 100;
    case 'time':
      return `${String(Math.floor(stored / 60)).padStart(2, '0')}:${String(stored % 60).padStart(2, '0')}`;
  }
}

/** The built-in root default, stored form. */
export function defaultStored(def: MeasureTypeDef): number {
  return (parseRaw(def, def.default) as { stored: number }).stored;
}

/** How `a` compares with `b` in strictness (both stored form): 'stricter', 'equal' or 'looser'. */
export function compareStrictness(def: Pick<MeasureTypeDef, 'stricter'>, a: number, b: number): 'stricter' | 'equal' | 'looser' {
  if (a === b) return 'equal';
  const aLower = a < b;
  return aLower === (def.stricter === 'lower') ? 'stricter' : 'looser';
}

/** The same comparison on values in the API's form (the console's preview before submitting). */
export function compareValues(def: MeasureTypeDef, a: MeasureValue, b: MeasureValue): 'stricter' | 'equal' | 'looser' | null {
  const x = parseRaw(def, a);
  const y = parseRaw(def, b);
  return x.ok && y.ok ? compareStrictness(def, x.stored, y.stored) : null;
}
