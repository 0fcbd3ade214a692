import { NavLink, Outlet } from 'react-router-dom';
import { useConnectionStatus, useSession, type ConnectionStatus } from '../../lib/client';
import { dismissNotice, useNotices } from '../../lib/live';
import { useViewer } from '../auth/viewer';

const sections = [
  { to: '/', label: 'Home', end: true },
  { to: '/threats', label: 'Threats' },
  { to: '/disruptions', label: 'Disruptions' },
  { to: '/referrals', label: 'Referrals' },
  { to: '/practice', label: 'Practice' },
];

const connectionText: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** Whether changes made by others are arriving: live, reconnecting, or offline (still retrying). */
function ConnectionState() {
  const status = useConnectionStatus();
  return (
    <span className={`connection connection-${status}`} role="status" data-testid="connection" title="Live updates from the server">
      <span aria-hidden="true" className="dot" /> <span className="visually-hidden">Live updates: </span>
      <span>{connectionText[status]}</span>
    </span>
  );
}

/** What live updates took away (a record no longer shared with you), until dismissed. */
function LiveNotices() {
  const notices = useNotices();
  return (
    <div className="notices" role="status" aria-live="polite" data-testid="live-notices">
      {notices.map((n) => (
        <p key={n.id} className="notice">
          {n.text}{' '}
          <button type="button" className="small" onClick={() => dismissNotice(n.id)}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}

/** The top navigation: every screen is one or two clicks from here. */
export function Layout() {
  const viewer = useViewer();
  const { signOut } = useSession();
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
        <ConnectionState />
        <span className="who" data-testid="signed-in">
          {viewer.displayName} · {viewer.organisation.code}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <LiveNotices />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
