import { describe, expect, it } from 'vitest';
import { daysOverlap, normaliseCity, normaliseDistrict, placeInArea } from './city.js';

describe('normaliseCity', () => {
  it('treats 武汉 and 武汉市 as one city, however spaced', () => {
    for (const s of ['武汉', '武汉市', ' 武汉市 ', '\u3000武汉\u3000', '武汉 市']) expect(normaliseCity(s), s).toBe('武汉');
  });
  it('keeps 市 when dropping it would leave one character', () => {
    expect(normaliseCity('沙市')).toBe('沙市');
    expect(normaliseCity('市')).toBe('市');
  });
  it('drops only one trailing 市 and never one inside the name', () => {
    expect(normaliseCity('市中区')).toBe('市中区');
    expect(normaliseCity('石家庄市')).toBe('石家庄');
  });
  it('compares Latin names without case and collapses spaces', () => {
    expect(normaliseCity('  Hong   Kong ')).toBe('hong kong');
    expect(normaliseCity('WUHAN')).toBe(normaliseCity('wuhan'));
  });
});

describe('normaliseDistrict', () => {
  it('trims, and an empty district is none', () => {
    expect(normaliseDistrict(' 洪山区 ')).toBe('洪山区');
    expect(normaliseDistrict('  ')).toBeNull();
    expect(normaliseDistrict(null)).toBeNull();
  });
});

describe('placeInArea', () => {
  const area = (city: string, district: string | null) => ({ city, district });
  it('a whole-city area holds every district of the city', () => {
    expect(placeInArea({ city: '武汉市', district: '洪山区' }, area('武汉', null))).toBe(true);
    expect(placeInArea({ city: '武汉', district: null }, area('武汉市', null))).toBe(true);
  });
  it('a district area holds that district, and a trip that named no district', () => {
    expect(placeInArea({ city: '武汉', district: '洪山区' }, area('武汉', '洪山区'))).toBe(true);
    expect(placeInArea({ city: '武汉', district: '江岸区' }, area('武汉', '洪山区'))).toBe(false);
    expect(placeInArea({ city: '武汉', district: null }, area('武汉', '洪山区'))).toBe(true);
  });
  it('another city is never in the area', () => {
    expect(placeInArea({ city: '青岛', district: null }, area('武汉', null))).toBe(false);
  });
});

describe('daysOverlap', () => {
  const span = (from: string, until: string | null) => ({ from, until });
  it('touching on one day is an overlap; a day apart is not', () => {
    expect(daysOverlap(span('2026-11-01', '2026-11-05'), span('2026-11-05', '2026-11-09'))).toBe(true);
    expect(daysOverlap(span('2026-11-01', '2026-11-05'), span('2026-11-06', null))).toBe(false);
    expect(daysOverlap(span('2026-11-10', '2026-11-12'), span('2026-11-01', '2026-11-09'))).toBe(false);
  });
  it('an open end runs on', () => {
    expect(daysOverlap(span('2026-11-01', '2026-11-05'), span('2026-10-01', null))).toBe(true);
    expect(daysOverlap(span('2026-11-01', null), span('2030-01-01', '2030-01-02'))).toBe(true);
  });
});
