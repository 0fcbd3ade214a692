import { useCallback, useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { SignIn } from './features/auth/SignIn';
import { ViewerGate } from './features/auth/viewer';
import { DisruptionForm } from './features/disruptions/DisruptionForm';
import { DisruptionPage } from './features/disruptions/DisruptionPage';
import { Disruptions } from './features/disruptions/Disruptions';
import { Home } from './features/home/Home';
import { Layout } from './features/layout/Layout';
import { PlanEditor } from './features/plans/PlanEditor';
import { PracticeRegister } from './features/practice/PracticeRegister';
import { ReferralPage } from './features/referrals/ReferralPage';
import { Referrals } from './features/referrals/Referrals';
import { ThreatEdit } from './features/threats/ThreatEdit';
import { ThreatList } from './features/threats/ThreatList';
import { ThreatPage } from './features/threats/ThreatPage';
import { ApiProvider, SessionContext } from './lib/client';
import { resetLive } from './lib/live';
import { session } from './lib/session';

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
                <Route path="referrals" element={<Referrals />} />
                <Route path="referrals/:id" element={<ReferralPage />} />
                <Route path="practice" element={<PracticeRegister />} />
                <Route path="*" element={<p>No such page.</p>} />
              </Route>
            </Routes>
          </BrowserRouter>
        </ViewerGate>
      </SessionContext.Provider>
    </ApiProvider>
  );
}
