import type { ReactNode } from 'react';
import { AlertOutlined, ApartmentOutlined, AuditOutlined, ControlOutlined, DashboardOutlined, EnvironmentOutlined, FlagOutlined, HeartOutlined, SafetyCertificateOutlined, SecurityScanOutlined, SmileOutlined } from '@ant-design/icons';
import type { ParseKeys } from 'i18next';
import type { Permission } from '../../../../common/roles.js';

/** A page inside a module's sub-menu; `label` is its i18n key (kept in the owning module's block). */
interface SubEntry {
  key: string;
  path: string;
  label: ParseKeys;
  needs: readonly Permission[];
}

interface ModuleEntry {
  key: string;
  path: string;
  icon: ReactNode;
  needs: readonly Permission[];
  children?: readonly SubEntry[];
}

/** The console's modules that exist so far, and the permissions that open each (and each sub-page). */
export const MODULES = [
  // 总览 first: whoever may read any of its figures starts the day here (Home opens the first entry).
  { key: 'overview', path: '/overview', icon: <DashboardOutlined />, needs: ['health.read', 'tasks.read', 'incidents.read', 'duty.read', 'care.figures', 'supervision.read'] },
  { key: 'org', path: '/org', icon: <ApartmentOutlined />, needs: ['units.read', 'people.read'] },
  {
    key: 'health',
    path: '/health',
    icon: <HeartOutlined />,
    needs: ['health.read'],
    children: [
      { key: 'health.dashboard', path: '/health/dashboard', label: 'health.menu.dashboard', needs: ['health.read'] },
      { key: 'health.nonReporters', path: '/health/non-reporters', label: 'health.menu.nonReporters', needs: ['health.read'] },
      { key: 'health.watches', path: '/health/watches', label: 'watches.menu', needs: ['health.read'] },
      { key: 'health.campaigns', path: '/health/campaigns', label: 'campaigns.menu', needs: ['health.read'] },
      { key: 'health.trips', path: '/health/trips', label: 'trips.menu.trips', needs: ['health.read'] },
      { key: 'health.riskAreas', path: '/health/risk-areas', label: 'trips.menu.riskAreas', needs: ['health.read', 'riskareas.write'] },
      { key: 'health.quality', path: '/health/quality', label: 'healthData.menu.quality', needs: ['health.read'] },
      { key: 'health.settings', path: '/health/settings', label: 'healthSettings.menu', needs: ['health.settings', 'units.write'] },
    ],
  },
  {
    key: 'directives',
    path: '/directives',
    icon: <FlagOutlined />,
    needs: ['tasks.read', 'directives.write', 'tasks.work', 'notices.write'],
    children: [
      { key: 'directives.list', path: '/directives', label: 'directives.menu.list', needs: ['tasks.read', 'directives.write'] },
      { key: 'directives.tasks', path: '/directives/tasks', label: 'directives.menu.tasks', needs: ['tasks.read', 'tasks.work'] },
      { key: 'directives.boards', path: '/directives/boards', label: 'directives.menu.boards', needs: ['tasks.read'] },
      { key: 'directives.meetings', path: '/directives/meetings', label: 'directives.menu.meetings', needs: ['tasks.read', 'directives.write'] },
      { key: 'directives.reports', path: '/directives/reports', label: 'reports.menu', needs: ['tasks.read', 'tasks.work'] },
      { key: 'directives.notices', path: '/directives/notices', label: 'notices.menu', needs: ['notices.write'] },
    ],
  },
  { key: 'measures', path: '/measures', icon: <ControlOutlined />, needs: ['measures.read'] },
  {
    // 值班值守: rosters here; the incidents pages add their own entries to `children` below.
    key: 'duty',
    path: '/duty',
    icon: <AlertOutlined />,
    needs: ['duty.read', 'incidents.read', 'incidents.handle', 'plans.read', 'volunteers.read'],
    children: [
      { key: 'duty.rosters', path: '/duty/rosters', label: 'duty.menu.rosters', needs: ['duty.read'] },
      { key: 'duty.incidents', path: '/duty/incidents', label: 'incidents.menu.board', needs: ['incidents.read', 'incidents.handle'] },
      { key: 'duty.plans', path: '/duty/plans', label: 'plans.menu.plans', needs: ['plans.read'] },
      { key: 'duty.drills', path: '/duty/drills', label: 'plans.menu.drills', needs: ['plans.read'] },
      { key: 'duty.volunteers', path: '/duty/volunteers', label: 'volunteers.menu', needs: ['volunteers.read'] },
    ],
  },
  {
    // 重点场所: key places, inspections, blind spots, key groups; rooms/meetings and canteens add their lines below.
    key: 'places',
    path: '/places',
    icon: <EnvironmentOutlined />,
    needs: ['places.read', 'places.write', 'meetings.register', 'dining.plan', 'groups.write', 'people.read'],
    children: [
      { key: 'places.register', path: '/places/register', label: 'places.menu.register', needs: ['places.read'] },
      { key: 'places.findings', path: '/places/findings', label: 'places.menu.findings', needs: ['places.read'] },
      { key: 'places.blindSpots', path: '/places/blind-spots', label: 'places.menu.blindSpots', needs: ['places.read'] },
      { key: 'places.groups', path: '/places/groups', label: 'keyGroups.menu', needs: ['groups.write', 'people.read'] },
      { key: 'places.meetings', path: '/places/meetings', label: 'meetingRegs.menu', needs: ['places.read', 'meetings.register', 'meetings.approve'] },
      { key: 'places.rooms', path: '/places/rooms', label: 'rooms.menu', needs: ['places.read'] },
      { key: 'places.dining', path: '/places/dining', label: 'canteens.menu', needs: ['places.read', 'dining.plan'] },
    ],
  },
  {
    // 关爱帮扶: care officers run cases; the command office and supervisors (care.figures) see the board as counts only.
    key: 'care',
    path: '/care',
    icon: <SmileOutlined />,
    needs: ['care.read', 'care.write', 'care.figures'],
    children: [
      { key: 'care.board', path: '/care/board', label: 'care.menu.board', needs: ['care.read', 'care.figures'] },
      { key: 'care.cases', path: '/care/cases', label: 'care.menu.cases', needs: ['care.read'] },
      { key: 'care.suggestions', path: '/care/suggestions', label: 'care.menu.suggestions', needs: ['care.write'] },
      { key: 'care.requests', path: '/care/requests', label: 'care.menu.requests', needs: ['care.write'] },
    ],
  },
  {
    // 监督考核: who failed which duty and when; 问题线索 (findings) only for supervision.findings.
    key: 'supervision',
    path: '/supervision',
    icon: <SecurityScanOutlined />,
    needs: ['supervision.read', 'supervision.findings'],
    children: [
      { key: 'supervision.matrix', path: '/supervision/matrix', label: 'supervision.menu.matrix', needs: ['supervision.read'] },
      { key: 'supervision.scorecard', path: '/supervision/scorecard', label: 'supervision.menu.scorecard', needs: ['supervision.read'] },
      { key: 'supervision.overdue', path: '/supervision/overdue', label: 'supervision.menu.overdue', needs: ['supervision.read'] },
      { key: 'supervision.findings', path: '/supervision/findings', label: 'supervision.menu.findings', needs: ['supervision.findings'] },
    ],
  },
  { key: 'users', path: '/users', icon: <SafetyCertificateOutlined />, needs: ['users.read'] },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, needs: ['audit.read'] },
] as const satisfies readonly ModuleEntry[];

/** A module's key: its menu label is `menu.<key>`. */
export type ModuleKey = (typeof MODULES)[number]['key'];

const opens = (needs: readonly Permission[], permissions: readonly Permission[]) => needs.some((p) => permissions.includes(p));

/** The modules the permissions open, each with only the sub-pages they open. */
export function visibleModules(permissions: readonly Permission[]): ModuleEntry[] {
  return MODULES.flatMap((m: ModuleEntry) => {
    if (!opens(m.needs, permissions)) return [];
    if (!m.children) return [m];
    const children = m.children.filter((c) => opens(c.needs, permissions));
    return children.length > 0 ? [{ ...m, children }] : [];
  });
}
