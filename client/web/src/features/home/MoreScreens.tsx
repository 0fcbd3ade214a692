import { Link } from 'react-router-dom';
import { useViewer } from '../auth/viewer';

/** Screens not in the main navigation, one click from home (the audit trail and agreements by role). */
export function MoreScreens() {
  const viewer = useViewer();
  const auditor = viewer.roles.includes('AUDITOR');
  const admin = viewer.roles.includes('ADMIN');
  return (
    <section aria-labelledby="more-screens">
      <h2 id="more-screens">More</h2>
      <ul className="plain">
        <li>
          <Link to="/disruptions/new">Record a disruption</Link>
        </li>
        <li>
          <Link to="/referrals?box=outbox">Referrals you made</Link>
        </li>
        <li>
          <Link to="/agreements">{admin ? 'Manage sharing agreements' : 'Sharing agreements'}</Link>
        </li>
        {(admin || auditor) && (
          <li>
            <Link to="/admin/access">Who may read what</Link>
          </li>
        )}
        {admin && (
          <>
            <li>
              <Link to="/admin/users">Manage user accounts</Link>
            </li>
            <li>
              <Link to="/admin/api-keys">Manage API keys</Link>
            </li>
            <li>
              <Link to="/admin/assessment-model">Assessment model: publish a new version</Link>
            </li>
          </>
        )}
        {auditor && (
          <li>
            <Link to="/audit">Search the audit trail</Link>
          </li>
        )}
      </ul>
    </section>
  );
}
