/**
 * Cities are typed freely ("武汉", "武汉市", " 武汉市 "), and a trip must meet the risk area of the
 * same city whatever way each was typed. The rule, used on both sides (server stores the result,
 * the mobile page compares with it while the employee types):
 *  - trim, and collapse runs of spaces (full-width included) to one space;
 *  - drop one trailing 市 when at least two characters stay before it ("武汉市" → "武汉"), so a
 *    name that is itself two characters ending in 市, like 沙市 (a district of Jingzhou), keeps it;
 *  - Latin letters compare without case ("Wuhan" = "wuhan"): stored as typed the first time would
 *    make "trips by destination" split one city in two, so they are lower-cased.
 */
export function normaliseCity(input: string): string {
  let s = input.replace(/[\s\u3000]+/g, ' ').trim();
  if (s.endsWith('市') && [...s].length >= 3) s = s.slice(0, -1).trimEnd();
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Districts are compared trimmed, with inner spaces collapsed; an empty one means none. */
export function normaliseDistrict(input: string | null | undefined): string | null {
  if (input == null) return null;
  const s = input.replace(/[\s\u3000]+/g, ' ').trim();
  return s === '' ? null : s;
}

/**
 * Whether a place (city, district or none) lies in an area (city, district or null = whole city).
 * A trip naming only the city meets a district area of that city: the employee may have been in
 * that district, and a missed watch costs more than a needless one.
 */
export function placeInArea(place: { city: string; district: string | null }, area: { city: string; district: string | null }): boolean {
  if (normaliseCity(place.city) !== normaliseCity(area.city)) return false;
  const d = normaliseDistrict(area.district);
  const pd = normaliseDistrict(place.district);
  return d === null || pd === null || d === pd;
}

/** Whether two spans of days [from, until] overlap; a null `until` runs on without end. */
export function daysOverlap(a: { from: string; until: string | null }, b: { from: string; until: string | null }): boolean {
  return (a.until === null || b.from <= a.until) && (b.until === null || a.from <= b.until);
}
