import { useCallback, useEffect, useState, type ComponentType } from 'react';
import { BrowserRouter, matchPath, Route, Routes } from 'react-router-dom';
import { SignIn } from './features/auth/SignIn';
import { ViewerGate } from './features/auth/viewer';
import { Layout } from './features/layout/Layout';
import { ApiProvider, SessionContext } from './lib/client';
import { resetLive } from './lib/live';
import { session } from './lib/session';

type Screen = ComponentType & { preload: () => Promise<ComponentType> };

/**
 * Each screen is its own chunk, loaded when first visited, so the first page downloads only the
 * shell (sign-in, layout, client) and the screen it opens on. Not React.lazy: React holds back
 * content that suspended for up to 300 ms (to reveal several boundaries together), and a screen's
 * query only starts once it is shown, so every first visit waited that much longer for its data.
 */
function screen<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): Screen {
  let loaded: ComponentType | null = null;
  let loading: Promise<ComponentType> | null = null;
  const preload = () =>
    (loading ??= load().then(
      (m) => (loaded = m[name]),
      (e: unknown) => {
        loading = null; // a later visit tries again (e.g. after a brief network failure)
        throw e;
      },
    ));
  function Screen() {
    const [Component, setComponent] = useState<ComponentType | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Component) return;
      let current = true;
      preload().then(
        (c) => current && setComponent(() => c),
        () => current && setFailed(true),
      );
      return () => {
        current = false;
      };
    }, [Component]);
    if (failed) return <p role="alert" className="error">This screen could not be loaded: check your connection and reload the page.</p>;
    return Component ? <Component /> : <p aria-busy="true">Loading…</p>;
  }
  return Object.assign(Screen, { preload });
}

const Home = screen(() => import('./features/home/Home'), 'Home');
const ThreatList = screen(() => import('./features/threats/ThreatList'), 'ThreatList');
const ThreatPage = screen(() => import('./features/threats/ThreatPage'), 'ThreatPage');
const ThreatEdit = screen(() => import('./features/threats/ThreatEdit'), 'ThreatEdit');
const ThreatPrint = screen(() => import('./features/threats/ThreatPrint'), 'ThreatPrint');
const ThreatNew = screen(() => import('./features/threats/ThreatNew'), 'ThreatNew');
const NewAssessment = screen(() => import('./features/assessments/NewAssessment'), 'NewAssessment');
const AssessmentPage = screen(() => import('./features/assessments/AssessmentPage'), 'AssessmentPage');
const PlansRegister = screen(() => import('./features/plans/PlansRegister'), 'PlansRegister');
const PlanEditor = screen(() => import('./features/plans/PlanEditor'), 'PlanEditor');
const Disruptions = screen(() => import('./features/disruptions/Disruptions'), 'Disruptions');
const DisruptionForm = screen(() => import('./features/disruptions/DisruptionForm'), 'DisruptionForm');
const DisruptionPage = screen(() => import('./features/disruptions/DisruptionPage'), 'DisruptionPage');
const DisruptionEdit = screen(() => import('./features/disruptions/DisruptionEdit'), 'DisruptionEdit');
const Referrals = screen(() => import('./features/referrals/Referrals'), 'Referrals');
const ReferralPage = screen(() => import('./features/referrals/ReferralPage'), 'ReferralPage');
const ReferralNew = screen(() => import('./features/referrals/ReferralNew'), 'ReferralNew');
const PracticeRegister = screen(() => import('./features/practice/PracticeRegister'), 'PracticeRegister');
const IntelligenceList = screen(() => import('./features/intelligence/IntelligenceList'), 'IntelligenceList');
const IntelligenceNew = screen(() => import('./features/intelligence/IntelligenceNew'), 'IntelligenceNew');
const IntelligenceEdit = screen(() => import('./features/intelligence/IntelligenceEdit'), 'IntelligenceEdit');
const IntelligencePage = screen(() => import('./features/intelligence/IntelligencePage'), 'IntelligencePage');
const Deconfliction = screen(() => import('./features/deconfliction/Deconfliction'), 'Deconfliction');
const AnalysisList = screen(() => import('./features/analysis/AnalysisList'), 'AnalysisList');
const AnalysisNew = screen(() => import('./features/analysis/AnalysisNew'), 'AnalysisNew');
const AnalysisPage = screen(() => import('./features/analysis/AnalysisPage'), 'AnalysisPage');
const AuditSearch = screen(() => import('./features/audit/AuditSearch'), 'AuditSearch');
const People = screen(() => import('./features/people/People'), 'People');
const PersonNew = screen(() => import('./features/people/PersonNew'), 'PersonNew');
const PersonPage = screen(() => import('./features/people/PersonPage'), 'PersonPage');
const PersonEdit = screen(() => import('./features/people/PersonEdit'), 'PersonEdit');
const SharingAgreements = screen(() => import('./features/agreements/SharingAgreements'), 'SharingAgreements');
const SearchPage = screen(() => import('./features/search/SearchPage'), 'SearchPage');
const ModelAdmin = screen(() => import('./features/assessments/ModelAdmin'), 'ModelAdmin');
const AccessPolicy = screen(() => import('./features/access/AccessPolicy'), 'AccessPolicy');
const UsersAdmin = screen(() => import('./features/admin/UsersAdmin'), 'UsersAdmin');
const ApiKeysAdmin = screen(() => import('./features/admin/ApiKeysAdmin'), 'ApiKeysAdmin');
const ReviewsDue = screen(() => import('./features/retention/ReviewsDue'), 'ReviewsDue');

/** Every screen by its path (under the layout); '' is the home page. */
const screens: [path: string, Screen][] = [
  ['', Home],
  ['threats', ThreatList],
  ['threats/new', ThreatNew],
  ['threats/:id', ThreatPage],
  ['threats/:id/edit', ThreatEdit],
  ['threats/:id/print', ThreatPrint],
  ['threats/:id/assess', NewAssessment],
  ['assessments/:id', AssessmentPage],
  ['people', People],
  ['people/new', PersonNew],
  ['people/:id', PersonPage],
  ['people/:id/edit', PersonEdit],
  ['plans', PlansRegister],
  ['plans/:id', PlanEditor],
  ['disruptions', Disruptions],
  ['disruptions/new', DisruptionForm],
  ['disruptions/:id', DisruptionPage],
  ['disruptions/:id/edit', DisruptionEdit],
  ['referrals', Referrals],
  ['referrals/new', ReferralNew],
  ['referrals/:id', ReferralPage],
  ['practice', PracticeRegister],
  ['intelligence', IntelligenceList],
  ['intelligence/new', IntelligenceNew],
  ['intelligence/:id', IntelligencePage],
  ['intelligence/:id/edit', IntelligenceEdit],
  ['deconfliction', Deconfliction],
  ['analysis', AnalysisList],
  ['analysis/new', AnalysisNew],
  ['analysis/:id', AnalysisPage],
  ['audit', AuditSearch],
  ['agreements', SharingAgreements],
  ['admin/access', AccessPolicy],
  ['admin/assessment-model', ModelAdmin],
  ['search', SearchPage],
  ['admin/users', UsersAdmin],
  ['admin/api-keys', ApiKeysAdmin],
  ['reviews', ReviewsDue],
];

/** Starts fetching the code of the screen at `pathname`, so it arrives alongside the viewer query rather than after it. */
function preloadScreenAt(pathname: string): void {
  // Ranked as the router ranks them: 'disruptions/new' before 'disruptions/:id'.
  const found = screens.find(([path]) => !path.includes(':') && matchPath(`/${path}`, pathname)) ?? screens.find(([path]) => matchPath(`/${path}`, pathname));
  void found?.[1].preload().catch(() => undefined); // a failure shows when the screen renders
}

/** Signed out: the sign-in page. Signed in: a client for this session, the viewer, the screens. */
export function App() {
  const [token, setToken] = useState(session.token());
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => preloadScreenAt(window.location.pathname), []);
  const signOut = useCallback((message: string | null = null) => {
    session.signOut();
    resetLive();
    setNotice(message);
    setToken(null);
  }, []);

  if (!token) return <SignIn notice={notice} onSignedIn={() => setToken(session.token())} />;
  return (
    <ApiProvider sessionKey={token} onSignedOut={() => signOut('Your session has ended: please sign in again.')}>
      <SessionContext.Provider value={{ signOut: () => signOut() }}>
        <ViewerGate>
          <BrowserRouter>
            <Routes>
              <Route element={<Layout />}>
                {screens.map(([path, Screen]) => (path ? <Route key={path} path={path} element={<Screen />} /> : <Route key="home" index element={<Screen />} />))}
                <Route path="*" element={<p>No such page.</p>} />
              </Route>
            </Routes>
          </BrowserRouter>
        </ViewerGate>
      </SessionContext.Provider>
    </ApiProvider>
  );
}
