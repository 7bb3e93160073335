import type { ComponentType } from 'react';
import type { Permission } from '../../../common/roles.js';
import { CheckinPage } from './checkin/CheckinPage';
import type { MobileKey } from './i18n';

export type MobilePage = {
  /** The URL segment: /m/<path>. */
  path: string;
  /** Its name in the bottom bar, from web/src/i18n/mobile.*.ts. */
  title: MobileKey;
  /** One or two characters shown above the name (no icon font: it would cost the phone bytes). */
  icon: string;
  /** Shown only to people holding one of these permissions (a page for everyone leaves it out). */
  needs?: readonly Permission[];
} & (
  | { component: ComponentType }
  /** Fetched the first time the page opens, so the check-in page's download stays small. */
  | { load: () => Promise<{ default: ComponentType }> }
);

/**
 * The mobile pages, in the order of the bottom bar; the first is the landing page of /m.
 *
 * TO ADD A PAGE: add ONE line to this list, e.g.
 *   { path: 'trips', title: 'nav.trips', icon: '✈', load: () => import('./TripsPage') },
 * where web/src/mobile/TripsPage.tsx has a default export. Put its strings in its own top-level
 * block of web/src/i18n/mobile.zh-CN.ts and mobile.en.ts (nav.trips, nav.testCode and
 * nav.notices are already there). A page gets the session from useSession() (./session), the
 * translator from useI18n() (./i18n), and its styles from mobile.css (m-card, m-button, m-field…).
 */
export const PAGES: MobilePage[] = [
  { path: 'checkin', title: 'nav.checkin', icon: '✓', component: CheckinPage },
  { path: 'trips', title: 'nav.trips', icon: '✈', load: () => import('./TripsPage') },
  { path: 'test-code', title: 'nav.testCode', icon: '码', load: () => import('./TestingCodePage') },
  { path: 'notices', title: 'nav.notices', icon: '讯', load: () => import('./notices/NoticesPage') },
  { path: 'tasks', title: 'nav.tasks', icon: '办', load: () => import('./tasks/MyTasksPage') },
  { path: 'incidents', title: 'nav.incidents', icon: '急', load: () => import('./incidents/IncidentsPage') },
  { path: 'inbox', title: 'nav.inbox', icon: '铃', load: () => import('./inbox/InboxPage') },
  { path: 'duty', title: 'nav.duty', icon: '班', load: () => import('./duty/MyShiftsPage') },
  { path: 'dining', title: 'nav.dining', icon: '餐', load: () => import('./dining/MyDiningPage') },
  { path: 'volunteer', title: 'volunteers.nav', icon: '志', load: () => import('./volunteer/MyVolunteerPage') },
  { path: 'care', title: 'care.nav', icon: '助', load: () => import('./care/CarePage') },
  { path: 'inspect', title: 'nav.inspect', icon: '查', needs: ['places.inspect'], load: () => import('./places/InspectPage') },
];

/** The pages this person's permissions open (before /me has answered: all of them, so a link is not lost). */
export function pagesFor(permissions: readonly Permission[] | null): MobilePage[] {
  if (permissions === null) return PAGES;
  return PAGES.filter((p) => !p.needs || p.needs.some((n) => permissions.includes(n)));
}
