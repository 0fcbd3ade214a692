import { lazy, Suspense, useCallback, useState, type ComponentType } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { SignIn } from './features/auth/SignIn';
import { ViewerGate } from './features/auth/viewer';
import { Layout } from './features/layout/Layout';
import { ApiProvider, SessionContext } from './lib/client';
import { resetLive } from './lib/live';
import { session } from './lib/session';

/**
 * Each screen is its own chunk, loaded when first visited, so the first page downloads only the
 * shell (sign-in, layout, client) and the screen it opens on.
 */
function screen<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): ComponentType {
  const Lazy = lazy<ComponentType>(() => load().then((m) => ({ default: m[name] as ComponentType })));
  return function Screen() {
    return (
      <Suspense fallback={<p aria-busy="true">Loading…</p>}>
        <Lazy />
      </Suspense>
    );
  };
}

const Home = screen(() => import('./features/home/Home'), 'Home');
const ThreatList = screen(() => import('./features/threats/ThreatList'), 'ThreatList');
const ThreatPage = screen(() => import('./features/threats/ThreatPage'), 'ThreatPage');
const ThreatEdit = screen(() => import('./features/threats/ThreatEdit'), 'ThreatEdit');
const PlanEditor = screen(() => import('./features/plans/PlanEditor'), 'PlanEditor');
const Disruptions = screen(() => import('./features/disruptions/Disruptions'), 'Disruptions');
const DisruptionEdit = screen(() => import('./features/disruptions/DisruptionEdit'), 'DisruptionEdit');
const DisruptionForm = screen(() => import('./features/disruptions/DisruptionForm'), 'DisruptionForm');
const DisruptionPage = screen(() => import('./features/disruptions/DisruptionPage'), 'DisruptionPage');
const Referrals = screen(() => import('./features/referrals/Referrals'), 'Referrals');
const ReferralPage = screen(() => import('./features/referrals/ReferralPage'), 'ReferralPage');
const PracticeRegister = screen(() => import('./features/practice/PracticeRegister'), 'PracticeRegister');
const AuditSearch = screen(() => import('./features/audit/AuditSearch'), 'AuditSearch');
const SharingAgreements = screen(() => import('./features/agreements/SharingAgreements'), 'SharingAgreements');


/** Signed out: the sign-in page. Signed in: a client for this session, the viewer, the screens. */
export function App() {
  const [token, setToken] = useState(session.token());
  const [notice, setNotice] = useState<string | null>(null);
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
                <Route index element={<Home />} />
                <Route path="threats" element={<ThreatList />} />
                <Route path="threats/:id" element={<ThreatPage />} />
                <Route path="threats/:id/edit" element={<ThreatEdit />} />
                <Route path="plans/:id" element={<PlanEditor />} />
                <Route path="disruptions" element={<Disruptions />} />
                <Route path="disruptions/new" element={<DisruptionForm />} />
                <Route path="disruptions/:id" element={<DisruptionPage />} />
                <Route path="disruptions/:id/edit" element={<DisruptionEdit />} />
                <Route path="referrals" element={<Referrals />} />
                <Route path="referrals/:id" element={<ReferralPage />} />
                <Route path="practice" element={<PracticeRegister />} />
                <Route path="audit" element={<AuditSearch />} />
                <Route path="agreements" element={<SharingAgreements />} />
                <Route path="*" element={<p>No such page.</p>} />
              </Route>
            </Routes>
          </BrowserRouter>
        </ViewerGate>
      </SessionContext.Provider>
    </ApiProvider>
  );
}
