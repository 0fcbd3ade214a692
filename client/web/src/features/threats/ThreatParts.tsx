import { Link } from 'react-router-dom';
import { Badge, formatDate, label, PriorityBadge, Value } from '../../lib/ui';
import type { ThreatDetail } from './types';

/** Every criminal activity with its assessment; unassessed ones stand out. */
export function ThreatActivities({ activities, unassessedIds }: { activities: ThreatDetail['criminalActivities']; unassessedIds: string[] }) {
  return (
    <section aria-labelledby="activities">
      <h2 id="activities">
        Criminal activities ({activities.length}){unassessedIds.length > 0 && <Badge tone="warn">{unassessedIds.length} not assessed</Badge>}
      </h2>
      <table className="list" data-testid="activities">
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Description</th>
            <th scope="col">First identified</th>
            <th scope="col">Last evidenced</th>
            <th scope="col">Assessment</th>
          </tr>
        </thead>
        <tbody>
          {activities.map((a) => {
            const unassessed = unassessedIds.includes(a.id);
            return (
              <tr key={a.id} className={unassessed ? 'unassessed' : undefined}>
                <td>
                  {label(a.category)}
                  {a.subCategory && <div className="hint">{label(a.subCategory)}</div>}
                </td>
                <td>{a.description}</td>
                <td>{formatDate(a.firstIdentified)}</td>
                <td>
                  <Value>{formatDate(a.lastEvidenced)}</Value>
                </td>
                <td>
                  {a.assessment && <PriorityBadge priority={a.assessment.priority} />} {a.assessment && a.assessment.status !== 'APPROVED' && label(a.assessment.status)}
                  {unassessed && <Badge tone="warn">Not assessed</Badge>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function ThreatMembers({ members }: { members: ThreatDetail['members'] }) {
  return (
    <section aria-labelledby="members">
      <h2 id="members">Members ({members.length})</h2>
      {members.length === 0 && <p>No members recorded.</p>}
      <ul className="plain">
        {members.map((m) => (
          <li key={m.id}>
            <Value empty="person not visible to you">{m.nominal?.name}</Value> · {label(m.role)}
            {m.nominal?.isChild && <Badge tone="warn">Child</Badge>}
            {m.underOffenderManagement && <Badge>Offender management</Badge>}
            {!!(m.from || m.to) && <span className="hint"> {formatDate(m.from)} – {formatDate(m.to)}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ThreatLinks({ links }: { links: ThreatDetail['linkedThreats'] }) {
  return (
    <section aria-labelledby="links">
      <h2 id="links">Linked threats ({links.length})</h2>
      {links.length === 0 && <p>No linked threats.</p>}
      <ul className="plain">
        {links.map((l, i) => (
          <li key={l.threat?.id ?? i}>
            {l.threat ? (
              <Link to={`/threats/${l.threat.id}`}>
                {l.threat.urn} {l.threat.name}
              </Link>
            ) : (
              <span className="empty">a threat not visible to you</span>
            )}{' '}
            <span className="hint">{l.reason}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
