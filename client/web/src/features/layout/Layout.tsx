import { useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigationType } from 'react-router-dom';
import { useConnectionStatus, useSession, type ConnectionStatus } from '../../lib/client';
import { dismissNotice, useNotices } from '../../lib/live';
import { useViewer } from '../auth/viewer';
import { HeaderSearch } from '../search/HeaderSearch';
import { PurposeInHeader } from './PurposeInHeader';
import { mayDeconflict } from '../deconfliction/deconflictionWords';
import { mayReviewRetention } from '../retention/retentionWords';

const sections: { to: string; label: string; end?: boolean }[] = [
  { to: '/', label: 'Home', end: true },
  { to: '/threats', label: 'Threats' },
  { to: '/people', label: 'People' },
  { to: '/plans', label: '4P plans' },
  { to: '/disruptions', label: 'Disruptions' },
  { to: '/referrals', label: 'Referrals' },
  { to: '/practice', label: 'Practice' },
  { to: '/intelligence', label: 'Intelligence' },
  { to: '/analysis', label: 'Analysis requests' },
];
/** Shown to the roles that make deconfliction checks. */
const deconfliction = { to: '/deconfliction', label: 'Deconfliction', end: false };

/** Sections for some roles only. */
const reviewSection: { to: string; label: string; end?: boolean } = { to: '/reviews', label: 'Reviews due' };

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
          {n.link && (
            <>
              <Link to={n.link.to}>{n.link.text}</Link>{' '}
            </>
          )}
          <button type="button" className="small" onClick={() => dismissNotice(n.id)}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}

/**
 * After moving to another screen, focus its main region, as a page load would start there: the
 * link that was followed has usually gone, and without this the keyboard would restart at the top
 * of the page (or nowhere) and a screen reader would not announce the new content. A new screen
 * opens at its top; Back (a POP) keeps the browser's scroll position. Search and filter changes
 * (same path) leave focus where the user is typing.
 */
function useFocusOnNewScreen() {
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const navigationType = useNavigationType();
  // The path last focused for, not a first-render flag, so StrictMode's double effects change nothing.
  const focusedFor = useRef(pathname);
  useEffect(() => {
    if (focusedFor.current === pathname) return;
    focusedFor.current = pathname;
    main.current?.focus({ preventScroll: true });
    if (navigationType !== 'POP') window.scrollTo(0, 0);
  }, [pathname, navigationType]);
  return main;
}

/** The top navigation: every screen is one or two clicks from here. */
export function Layout() {
  const viewer = useViewer();
  const { signOut } = useSession();
  const main = useFocusOnNewScreen();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">SOC Hub</span>
        <nav aria-label="Main">
          {[...sections, ...(mayDeconflict(viewer.roles) ? [deconfliction] : []), ...(mayReviewRetention(viewer.roles) ? [reviewSection] : [])].map((s) => (
            <NavLink key={s.to} to={s.to} end={s.end}>
              {s.label}
            </NavLink>
          ))}
        </nav>
        <HeaderSearch />
        <ConnectionState />
        <PurposeInHeader />
        <span className="who" data-testid="signed-in">
          {viewer.displayName} · {viewer.organisation.code}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <LiveNotices />
      <main id="main" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
    </>
  );
}
