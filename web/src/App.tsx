import { lazy, Suspense, type ReactNode } from 'react';
import { App as AntApp, Button, ConfigProvider, Result } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useParams } from 'react-router-dom';
import type { Permission } from '../../common/roles.js';
import { ErrorBoundary } from './components/ErrorBoundary';
import { FullPageSpin } from './components/FullPageSpin';
import { NotFound } from './components/NotFound';
import { describeError } from './components/apiErrors';
import { SessionProvider, useSession } from './state/session';
import { Shell } from './console/shell/Shell';
import { Home } from './console/shell/Home';
import { LoginPage } from './console/login/LoginPage';
import { SetupPage } from './console/setup/SetupPage';

const OrgPage = lazy(() => import('./console/org/OrgPage'));
const ImportPage = lazy(() => import('./console/import/ImportPage'));
const UsersPage = lazy(() => import('./console/users/UsersPage'));
const AuditPage = lazy(() => import('./console/audit/AuditPage'));
const WatchesPage = lazy(() => import('./console/health/WatchesPage'));
const CampaignsPage = lazy(() => import('./console/health/campaigns/CampaignsPage'));
const CampaignPage = lazy(() => import('./console/health/campaigns/CampaignPage'));
const HealthSettingsPage = lazy(() => import('./console/health/HealthSettingsPage'));
const HealthDashboardPage = lazy(() => import('./console/health/DashboardPage'));
const NonReportersPage = lazy(() => import('./console/health/NonReportersPage'));
const TripsPage = lazy(() => import('./console/health/trips/TripsPage'));
const RiskAreasPage = lazy(() => import('./console/health/trips/RiskAreasPage'));
const QualityPage = lazy(() => import('./console/health/QualityPage'));
const MeasuresPage = lazy(() => import('./console/measures/MeasuresPage'));
const ReportsPage = lazy(() => import('./console/directives/reports/ReportsPage'));
const ReportRequestPage = lazy(() => import('./console/directives/reports/ReportRequestPage'));
const NoticesPage = lazy(() => import('./console/directives/notices/NoticesPage'));
const NoticeComposePage = lazy(() => import('./console/directives/notices/NoticeComposePage'));
const NoticePage = lazy(() => import('./console/directives/notices/NoticePage'));
const MyNoticesPage = lazy(() => import('./console/directives/notices/MyNoticesPage'));
const DirectivesPage = lazy(() => import('./console/directives/DirectivesPage'));
const DirectivePage = lazy(() => import('./console/directives/DirectivePage'));
const TasksPage = lazy(() => import('./console/directives/TasksPage'));
const TaskPage = lazy(() => import('./console/directives/TaskPage'));
const TaskBoardsPage = lazy(() => import('./console/directives/BoardsPage'));
const MeetingsPage = lazy(() => import('./console/directives/MeetingsPage'));
const MeetingPage = lazy(() => import('./console/directives/MeetingPage'));
const DutyRostersPage = lazy(() => import('./console/duty/RostersPage'));
const VolunteersPage = lazy(() => import('./console/volunteers/VolunteersPage'));
const IncidentsPage = lazy(() => import('./console/incidents/IncidentsPage'));
const IncidentPage = lazy(() => import('./console/incidents/IncidentPage'));
const PlansPage = lazy(() => import('./console/plans/PlansPage'));
const PlanPage = lazy(() => import('./console/plans/PlanPage'));
const DrillsPage = lazy(() => import('./console/plans/DrillsPage'));
const PlacesPage = lazy(() => import('./console/places/PlacesPage'));
const PlacePage = lazy(() => import('./console/places/PlacePage'));
const InspectPage = lazy(() => import('./console/places/InspectPage'));
const FindingsPage = lazy(() => import('./console/places/FindingsPage'));
const BlindSpotsPage = lazy(() => import('./console/places/BlindSpotsPage'));
const GroupsPage = lazy(() => import('./console/places/GroupsPage'));
const MeetingRegsPage = lazy(() => import('./console/meetings/MeetingsPage'));
const RoomsPage = lazy(() => import('./console/meetings/RoomsPage'));
const DiningPage = lazy(() => import('./console/dining/DiningPage'));
const CareBoardPage = lazy(() => import('./console/care/BoardPage'));
const CareCasesPage = lazy(() => import('./console/care/CasesPage'));
const CareCasePage = lazy(() => import('./console/care/CasePage'));
const CareSuggestionsPage = lazy(() => import('./console/care/SuggestionsPage'));
const CareRequestsPage = lazy(() => import('./console/care/RequestsPage'));
const OverviewPage = lazy(() => import('./console/overview/OverviewPage'));
const MatrixPage = lazy(() => import('./console/supervision/MatrixPage'));
const ScorecardPage = lazy(() => import('./console/supervision/ScorecardPage'));
const OverduePage = lazy(() => import('./console/supervision/OverduePage'));
const SupervisionFindingsPage = lazy(() => import('./console/supervision/FindingsPage'));
const SupervisionFindingPage = lazy(() => import('./console/supervision/FindingPage'));

/** A page the user's permissions do not open does not exist for them. */
function Gate({ any, children }: { any: Permission[]; children: ReactNode }) {
  const { me } = useSession();
  if (!me || !any.some((p) => me.permissions.includes(p))) return <NotFound />;
  return <Suspense fallback={<FullPageSpin />}>{children}</Suspense>;
}

/** A notification's link to a task (/tasks/:id) opens the task's page in the directives module. */
function TaskLink() {
  const { id } = useParams();
  return <Navigate to={`/directives/tasks/${id ?? ''}`} replace />;
}

/** A notification's link to an incident (/incidents/:id) opens its page in the duty module. */
function IncidentLink() {
  const { id } = useParams();
  return <Navigate to={`/duty/incidents/${id ?? ''}`} replace />;
}

/** First answers decide where the user starts: setup, sign-in, or the console. */
function Boot() {
  const { t } = useTranslation();
  const { loading, bootError, status, retryBoot } = useSession();
  const location = useLocation();
  if (loading) return <FullPageSpin />;
  if (bootError || !status) {
    return (
      <Result
        status="warning"
        title={describeError(t, bootError)}
        extra={
          <Button type="primary" onClick={retryBoot}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (status.needsSetup && location.pathname !== '/setup') return <Navigate to="/setup" replace />;
  return (
    <Routes>
      <Route path="/setup" element={<SetupPage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route element={<Shell />}>
        <Route index element={<Home />} />
        <Route path="org" element={<Gate any={['units.read', 'people.read']}><OrgPage /></Gate>} />
        <Route path="org/import" element={<Gate any={['people.import']}><ImportPage /></Gate>} />
        <Route path="health" element={<Navigate to="/health/dashboard" replace />} />
        <Route path="health/dashboard" element={<Gate any={['health.read']}><HealthDashboardPage /></Gate>} />
        <Route path="health/non-reporters" element={<Gate any={['health.read']}><NonReportersPage /></Gate>} />
        <Route path="users" element={<Gate any={['users.read']}><UsersPage /></Gate>} />
        <Route path="audit" element={<Gate any={['audit.read']}><AuditPage /></Gate>} />
        <Route path="measures" element={<Gate any={['measures.read']}><MeasuresPage /></Gate>} />
        <Route path="health/watches/:id?" element={<Gate any={['health.read']}><WatchesPage /></Gate>} />
        <Route path="health/campaigns" element={<Gate any={['health.read']}><CampaignsPage /></Gate>} />
        <Route path="health/campaigns/:id" element={<Gate any={['health.read']}><CampaignPage /></Gate>} />
        <Route path="health/settings" element={<Gate any={['health.settings', 'units.write']}><HealthSettingsPage /></Gate>} />
        <Route path="health/trips" element={<Gate any={['health.read']}><TripsPage /></Gate>} />
        <Route path="health/risk-areas" element={<Gate any={['health.read', 'riskareas.write']}><RiskAreasPage /></Gate>} />
        <Route path="health/quality" element={<Gate any={['health.read']}><QualityPage /></Gate>} />
        <Route path="directives/reports" element={<Gate any={['tasks.read', 'tasks.work']}><ReportsPage /></Gate>} />
        <Route path="directives/reports/to-submit" element={<Gate any={['tasks.work']}><ReportsPage /></Gate>} />
        <Route path="directives/reports/requests/:id" element={<Gate any={['tasks.read']}><ReportRequestPage /></Gate>} />
        <Route path="directives/notices" element={<Gate any={['notices.write']}><NoticesPage /></Gate>} />
        <Route path="directives/notices/new" element={<Gate any={['notices.write']}><NoticeComposePage /></Gate>} />
        <Route path="directives/notices/:id" element={<Gate any={['notices.write']}><NoticePage /></Gate>} />
        {/* One's own notices: every signed-in user, whatever their grants (the bell leads here). */}
        <Route path="notices/:id?" element={<Suspense fallback={<FullPageSpin />}><MyNoticesPage /></Suspense>} />
        <Route path="directives" element={<Gate any={['tasks.read', 'directives.write']}><DirectivesPage /></Gate>} />
        <Route path="directives/:id" element={<Gate any={['tasks.read', 'directives.write', 'tasks.work']}><DirectivePage /></Gate>} />
        <Route path="directives/tasks" element={<Gate any={['tasks.read', 'tasks.work']}><TasksPage /></Gate>} />
        <Route path="directives/tasks/:id" element={<Gate any={['tasks.read', 'tasks.work', 'directives.write']}><TaskPage /></Gate>} />
        <Route path="tasks/:id" element={<TaskLink />} />
        <Route path="directives/boards" element={<Gate any={['tasks.read']}><TaskBoardsPage /></Gate>} />
        <Route path="directives/meetings" element={<Gate any={['tasks.read', 'directives.write']}><MeetingsPage /></Gate>} />
        <Route path="directives/meetings/:id" element={<Gate any={['tasks.read', 'directives.write']}><MeetingPage /></Gate>} />
        <Route path="duty" element={<Navigate to="/duty/rosters" replace />} />
        <Route path="duty/rosters" element={<Gate any={['duty.read']}><DutyRostersPage /></Gate>} />
        <Route path="duty/incidents" element={<Gate any={['incidents.read', 'incidents.handle']}><IncidentsPage /></Gate>} />
        <Route path="duty/incidents/:id" element={<Gate any={['incidents.read', 'incidents.handle']}><IncidentPage /></Gate>} />
        <Route path="duty/volunteers" element={<Gate any={['volunteers.read']}><VolunteersPage /></Gate>} />
        <Route path="incidents/:id" element={<IncidentLink />} />
        <Route path="duty/plans" element={<Gate any={['plans.read']}><PlansPage /></Gate>} />
        <Route path="duty/plans/:id" element={<Gate any={['plans.read']}><PlanPage /></Gate>} />
        <Route path="duty/drills" element={<Gate any={['plans.read']}><DrillsPage /></Gate>} />
        <Route path="places" element={<Navigate to="/places/register" replace />} />
        <Route path="places/register" element={<Gate any={['places.read']}><PlacesPage /></Gate>} />
        <Route path="places/register/:id" element={<Gate any={['places.read']}><PlacePage /></Gate>} />
        <Route path="places/register/:id/inspect" element={<Gate any={['places.inspect']}><InspectPage /></Gate>} />
        <Route path="places/findings" element={<Gate any={['places.read']}><FindingsPage /></Gate>} />
        <Route path="places/blind-spots" element={<Gate any={['places.read']}><BlindSpotsPage /></Gate>} />
        <Route path="places/groups" element={<Gate any={['groups.write', 'people.read']}><GroupsPage /></Gate>} />
        <Route path="places/meetings" element={<Gate any={['places.read', 'meetings.register', 'meetings.approve']}><MeetingRegsPage /></Gate>} />
        <Route path="places/rooms" element={<Gate any={['places.read']}><RoomsPage /></Gate>} />
        <Route path="places/dining" element={<Gate any={['places.read', 'dining.plan']}><DiningPage /></Gate>} />
        <Route path="care" element={<Navigate to="/care/board" replace />} />
        <Route path="care/board" element={<Gate any={['care.read', 'care.figures']}><CareBoardPage /></Gate>} />
        <Route path="care/cases" element={<Gate any={['care.read']}><CareCasesPage /></Gate>} />
        <Route path="care/cases/:id" element={<Gate any={['care.read']}><CareCasePage /></Gate>} />
        <Route path="care/suggestions" element={<Gate any={['care.write']}><CareSuggestionsPage /></Gate>} />
        <Route path="care/requests" element={<Gate any={['care.write']}><CareRequestsPage /></Gate>} />
        <Route path="overview" element={<Gate any={['health.read', 'tasks.read', 'incidents.read', 'duty.read', 'care.figures', 'supervision.read']}><OverviewPage /></Gate>} />
        <Route path="supervision" element={<Navigate to="/supervision/matrix" replace />} />
        <Route path="supervision/matrix" element={<Gate any={['supervision.read']}><MatrixPage /></Gate>} />
        <Route path="supervision/scorecard" element={<Gate any={['supervision.read']}><ScorecardPage /></Gate>} />
        <Route path="supervision/overdue" element={<Gate any={['supervision.read']}><OverduePage /></Gate>} />
        <Route path="supervision/findings" element={<Gate any={['supervision.findings']}><SupervisionFindingsPage /></Gate>} />
        <Route path="supervision/findings/:id" element={<Gate any={['supervision.findings']}><SupervisionFindingPage /></Gate>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function Localised({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1f5fbf', borderRadius: 6 } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <Localised>
      <ErrorBoundary>
        <BrowserRouter>
          <SessionProvider>
            <Boot />
          </SessionProvider>
        </BrowserRouter>
      </ErrorBoundary>
    </Localised>
  );
}
