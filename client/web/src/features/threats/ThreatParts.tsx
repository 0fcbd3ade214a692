import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { Badge, formatDate, formatDateTime, label, PriorityBadge, Value, Withheld, withheldReason } from '../../lib/ui';
import { ActivityChangePanel, type ActivityChange } from './ActivityChanges';
import { activityName, ASSESSOR_ROLE, managesThreat, statusLabels } from '../assessments/model';
import type { Viewer } from '../auth/viewer';
import { ThreatNetwork } from './ThreatNetwork';
import type { ThreatDetail } from './types';
import { LinkThreat, UnlinkThreat } from './LinkChanges';
import { AddMember, RemoveMember } from './MemberChanges';

/** Whether the viewer may score this threat's assessments: a threat assessor of an organisation managing it. */
export function canAssess(viewer: Viewer, threat: Pick<ThreatDetail, 'owningOrganisation' | 'leadOrganisation'>): boolean {
  return viewer.roles.includes(ASSESSOR_ROLE) && managesThreat(viewer.organisation, threat);
}

const scoreLink = (threatId: string, activityId?: string) => `/threats/${threatId}/assess${activityId ? `?activity=${encodeURIComponent(activityId)}` : ''}`;

/**
 * Every criminal activity with its assessment; unassessed ones stand out. `unassessedIds` is null
 * when assessments are withheld from you (each row then says so in its assessment cell).
 */
export function ThreatActivities({
  threat,
  activities,
  unassessedIds,
  canAssess,
  manage,
}: {
  threat: Pick<ThreatDetail, 'id'>;
  activities: ThreatDetail['criminalActivities'];
  unassessedIds: string[] | null;
  canAssess: boolean;
  /** For the owning organisation: the threat and its version, to add, change and remove activities. */
  manage?: { threatId: string; version: number } | null;
}) {
  const unassessedCount = unassessedIds?.length ?? 0;
  const [change, setChange] = useState<ActivityChange | null>(null);
  // When a change is saved or cancelled, keyboard focus returns to the add button, not to the page's start.
  const addButton = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (!change && wasOpen.current) addButton.current?.focus();
    wasOpen.current = !!change;
  }, [change]);
  return (
    <section aria-labelledby="activities">
      <h2 id="activities">
        Criminal activities ({activities.length}){unassessedCount > 0 && <Badge tone="warn">{unassessedCount} not assessed</Badge>}
      </h2>
      <table className="list" data-testid="activities">
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Description</th>
            <th scope="col">First identified</th>
            <th scope="col">Last evidenced</th>
            <th scope="col">Assessment</th>
            {manage && (
              <th scope="col">
                <span className="visually-hidden">Changes</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {activities.map((a) => {
            const unassessed = !!unassessedIds?.includes(a.id);
            const assessmentWithheld = withheldReason(a.withheld, 'assessment');
            return (
              <tr key={a.id} className={unassessed ? 'unassessed' : undefined}>
                <td>
                  {label(a.category)}
                  {a.subCategory && <div className="hint">{label(a.subCategory)}</div>}
                </td>
                <td>
                  <Value withheld={withheldReason(a.withheld, 'description')}>{a.description}</Value>
                </td>
                <td>{formatDate(a.firstIdentified)}</td>
                <td>
                  <Value>{formatDate(a.lastEvidenced)}</Value>
                </td>
                <td>
                  {assessmentWithheld && <Withheld reason={assessmentWithheld} />}
                  {a.assessment && a.assessment.status === 'APPROVED' && (
                    <Link to={`/assessments/${a.assessment.id}`}>
                      <PriorityBadge priority={a.assessment.priority} /> <span className="visually-hidden">Approved assessment of {activityName(a)}</span>
                    </Link>
                  )}
                  {unassessed && <Badge tone="warn">Not assessed</Badge>}
                  {a.assessment && a.assessment.status !== 'APPROVED' && (
                    <div>
                      <Link to={`/assessments/${a.assessment.id}`}>
                        {statusLabels[a.assessment.status]}
                        <span className="visually-hidden">: assessment of {activityName(a)}</span>
                      </Link>
                    </div>
                  )}
                  {canAssess && unassessed && !a.assessment && (
                    <div>
                      <Link to={scoreLink(threat.id, a.id)}>
                        Score this activity<span className="visually-hidden">: {activityName(a)}</span>
                      </Link>
                    </div>
                  )}
                </td>
                {manage && (
                  <td>
                    <div className="buttons">
                      <button type="button" className="small" onClick={() => setChange({ kind: 'edit', activity: a })}>
                        Change<span className="visually-hidden"> {label(a.category).toLowerCase()} activity: {a.description}</span>
                      </button>
                      <button type="button" className="small danger" onClick={() => setChange({ kind: 'remove', activity: a })}>
                        Remove<span className="visually-hidden"> {label(a.category).toLowerCase()} activity: {a.description}</span>
                      </button>
                    </div>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {manage && !change && (
        <p>
          <button type="button" ref={addButton} onClick={() => setChange({ kind: 'add' })}>
            Add a criminal activity
          </button>
        </p>
      )}
      {manage && change && (
        <ActivityChangePanel
          key={change.kind === 'add' ? 'add' : `${change.kind}:${change.activity.id}`}
          threatId={manage.threatId}
          version={manage.version}
          change={change}
          onDone={() => setChange(null)}
        />
      )}
    </section>
  );
}

/** Shown in place of a list the server withholds (null), so it never reads as an empty list. */
function WithheldList({ id, title, reason }: { id: string; title: string; reason: string | null }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p data-testid={`${id}-withheld`}>
        <Withheld reason={reason ?? 'not shown to your organisation.'} />
      </p>
    </section>
  );
}

/** For the owning organisation, with a role that may change it: the threat and its version. */
export type Manage = { threatId: string; version: number } | null;

/** Returns focus to `button` when the panel it opened closes, so the keyboard is not lost at the page's start. */
function useFocusBack(open: boolean) {
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (!open && wasOpen.current) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return button;
}

type Member = NonNullable<ThreatDetail['members']>[number];

export function ThreatMembers({ members, withheld, manage }: { members: ThreatDetail['members']; withheld: string | null; manage?: Manage }) {
  const [change, setChange] = useState<{ kind: 'add' } | { kind: 'remove'; member: Member } | null>(null);
  const addButton = useFocusBack(!!change);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (change) heading.current?.focus();
  }, [change]);
  if (!members || withheld) return <WithheldList id="members" title="Members" reason={withheld} />;
  const name = (m: Member) => m.nominal?.name ?? 'a person not visible to you';
  return (
    <section aria-labelledby="members">
      <h2 id="members">Members ({members.length})</h2>
      {members.length === 0 && <p>No members recorded.</p>}
      <ul className="plain" data-testid="members">
        {members.map((m) => (
          <li key={m.id}>
            {m.nominal ? <Link to={`/people/${m.nominal.id}`}>{m.nominal.name}</Link> : <span className="empty">person not visible to you</span>} · {label(m.role)}
            {m.nominal?.isChild && <Badge tone="warn">Child</Badge>}
            {m.underOffenderManagement && <Badge>Offender management</Badge>}
            {!!(m.from || m.to) && <span className="hint"> {formatDate(m.from)} – {formatDate(m.to)}</span>}
            {manage && (
              <>
                {' '}
                <button type="button" className="small danger" onClick={() => setChange({ kind: 'remove', member: m })}>
                  Remove<span className="visually-hidden"> {name(m)} from this threat</span>
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {manage && !change && (
        <p>
          <button type="button" ref={addButton} onClick={() => setChange({ kind: 'add' })}>
            Add a member
          </button>
        </p>
      )}
      {manage && change && (
        <section className="decision" aria-labelledby="member-change">
          <h3 id="member-change" ref={heading} tabIndex={-1}>
            {change.kind === 'add' ? 'Add a member' : `Remove ${name(change.member)} from this threat`}
          </h3>
          {change.kind === 'add' ? (
            <AddMember threatId={manage.threatId} version={manage.version} onDone={() => setChange(null)} />
          ) : (
            <RemoveMember key={change.member.id} threatId={manage.threatId} version={manage.version} member={change.member} onDone={() => setChange(null)} />
          )}
        </section>
      )}
    </section>
  );
}

type Linked = NonNullable<NonNullable<ThreatDetail['linkedThreats']>[number]['threat']>;

export function ThreatLinks({ threat, links, withheld, manage }: { threat: Pick<ThreatDetail, 'urn' | 'name'>; links: ThreatDetail['linkedThreats']; withheld: string | null; manage?: Manage }) {
  const [change, setChange] = useState<{ kind: 'link' } | { kind: 'unlink'; other: Linked } | null>(null);
  const linkButton = useFocusBack(!!change);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (change) heading.current?.focus();
  }, [change]);
  if (!links || withheld) return <WithheldList id="links" title="Linked threats" reason={withheld} />;
  return (
    <section aria-labelledby="links">
      <h2 id="links">Linked threats ({links.length})</h2>
      {links.length === 0 && <p>No linked threats.</p>}
      <ThreatNetwork threat={threat} links={links} />
      <ul className="plain" data-testid="links">
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
            {manage && l.threat && (
              <>
                {' '}
                <button type="button" className="small danger" onClick={() => setChange({ kind: 'unlink', other: l.threat! })}>
                  Remove link<span className="visually-hidden"> to {l.threat.urn} {l.threat.name}</span>
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {manage && !change && (
        <p>
          <button type="button" ref={linkButton} onClick={() => setChange({ kind: 'link' })}>
            Link to another threat
          </button>
        </p>
      )}
      {manage && change && (
        <section className="decision" aria-labelledby="link-change">
          <h3 id="link-change" ref={heading} tabIndex={-1}>
            {change.kind === 'link' ? 'Link to another threat' : `Remove the link to ${change.other.urn} ${change.other.name}`}
          </h3>
          {change.kind === 'link' ? (
            <LinkThreat
              threatId={manage.threatId}
              version={manage.version}
              linkedIds={links.flatMap((l) => (l.threat ? [l.threat.id] : []))}
              onDone={() => setChange(null)}
            />
          ) : (
            <UnlinkThreat key={change.other.id} threatId={manage.threatId} version={manage.version} other={change.other} onDone={() => setChange(null)} />
          )}
        </section>
      )}
    </section>
  );
}

/** Every assessment of the threat and of its activities, newest first, and a way to score the whole threat. */
export function ThreatAssessments({ threat, canAssess }: { threat: Pick<ThreatDetail, 'id' | 'assessmentHistory' | 'withheld'>; canAssess: boolean }) {
  const withheld = withheldReason(threat.withheld, 'assessmentHistory');
  if (!threat.assessmentHistory || withheld) return <WithheldList id="assessments" title="Assessments" reason={withheld} />;
  const newestFirst = [...threat.assessmentHistory].reverse();
  return (
    <section aria-labelledby="assessments">
      <h2 id="assessments">Assessments ({newestFirst.length})</h2>
      {canAssess && (
        <p>
          <Link to={scoreLink(threat.id)}>Assess the whole threat</Link>
        </p>
      )}
      {newestFirst.length === 0 && <p>No assessments yet.</p>}
      <ul className="plain" data-testid="assessment-history">
        {newestFirst.map((x) => (
          <li key={x.id}>
            <Link to={`/assessments/${x.id}`}>{x.criminalActivity ? activityName(x.criminalActivity) : 'The whole threat'}</Link> · {statusLabels[x.status]} · <PriorityBadge priority={x.priority} /> risk {x.riskScore}
            <span className="hint">
              {' '}
              by {x.assessedBy.displayName}, {formatDateTime(x.createdAt)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
