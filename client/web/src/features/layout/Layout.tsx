import { NavLink, Outlet } from 'react-router-dom';
import { useConnectionStatus, useSession } from '../../lib/client';
import { useViewer } from '../auth/viewer';

const sections = [
  { to: '/', label: 'Home', end: true },
  { to: '/threats', label: 'Threats' },
  { to: '/disruptions', label: 'Disruptions' },
  { to: '/referrals', label: 'Referrals' },
  { to: '/practice', label: 'Practice' },
];

/** The top navigation: every screen is one or two clicks from here. */
export function Layout() {
  const viewer = useViewer();
  const { signOut } = useSession();
  const status = useConnectionStatus();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">SOC Hub</span>
        <nav aria-label="Main">
          {sections.map((s) => (
            <NavLink key={s.to} to={s.to} end={s.end}>
              {s.label}
            </NavLink>
          ))}
        </nav>
        <span className={`connection connection-${status}`} role="status" title="Connection to the server">
          {status === 'offline' ? 'Offline' : status === 'online' ? 'Connected' : 'Connecting'}
        </span>
        <span className="who" data-testid="signed-in">
          {viewer.displayName} · {viewer.organisation.code}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
