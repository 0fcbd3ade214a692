import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { Sharing } from '../../gql/graphql';
import { formatDate, label, Loaded, PriorityBadge, Value, withheldReason } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { History } from '../records/History';
import { mayRecordThreats } from './activityFields';
import { canAssess, ThreatActivities, ThreatAssessments, ThreatLinks, ThreatMembers } from './ThreatParts';
import { ThreatDisruptions, ThreatPlanSummary } from './ThreatPlanAndDisruptions';
import { WhoCanSee } from '../access/WhoCanSee';
import { MoveThreat } from './Lifecycle';
import { ThreatIntelligence } from '../intelligence/ThreatIntelligence';
import { DisposedNotice } from '../retention/DisposedNotice';

const ThreatPageDocument = graphql(`
  query ThreatPage($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on SocThreat {
        urn
        name
        status
        archiveReason
        closedOn
        summary
        priority
        riskScore
        subjectType
        taskingLevel
        geographicScope
        identifiedOn
        nextReviewDue
        version
        protectiveMarking
        sharing
        withheld {
          field
          reason
        }
        leadOrganisation {
          id
          code
          name
        }
        owningOrganisation {
          id
          code
        }
        lro {
          id
          displayName
        }
        sro {
          id
          displayName
        }
        criminalActivities {
          id
          category
          subCategory
          description
          firstIdentified
          lastEvidenced
          withheld {
            field
            reason
          }
          assessment {
            id
            priority
            status
            riskScore
          }
        }
        unassessedActivities {
          id
        }
        assessmentHistory {
          id
          status
          priority
          riskScore
          createdAt
          assessedBy {
            id
            displayName
          }
          criminalActivity {
            id
            category
            subCategory
          }
        }
        members {
          id
          role
          from
          to
          underOffenderManagement
          nominal {
            id
            name
            isChild
          }
        }
        linkedThreats {
          reason
          createdAt
          threat {
            id
            urn
            name
            priority
          }
        }
        plan {
          id
          status
          nextReviewDue
          protectiveMarking
          owningOrganisation {
            id
          }
          quality {
            score
            passes
            problems {
              code
              message
            }
          }
        }
        disruptionSummary {
          validatedCount
          countingCount
        }
        disruptions {
          id
          date
          level
          strand
          status
          description
          claimingOrganisation {
            id
            code
          }
        }
        history {
          at
          action
          part
          version
          actor {
            id
            displayName
          }
          changes {
            field
            from
            to
          }
        }
      }
    }
  }
`);

/** Who a record's sharing setting reaches, in words. */
function sharedWith(sharing: Sharing): string {
  return {
    OWNER_ONLY: 'with the owning organisation only',
    REGIONAL_LAW_ENFORCEMENT: 'with regional law enforcement',
    NAMED_ORGANISATIONS: 'with named organisations',
    ALL_PARTNERS: 'with all partners',
  }[sharing];
}

/** One threat: every criminal activity and its assessment, people, links, plan, disruptions, history. */
export function ThreatPage() {
  const { id = '' } = useParams();
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: ThreatPageDocument, variables: { id } });
  const threat = data?.node?.__typename === 'SocThreat' ? data.node : data && null;
  if (data && !threat) return <DisposedNotice id={id} otherwise="This threat does not exist or you may not see it." />;
  return (
    <Loaded data={threat} fetching={fetching} error={error}>
      {(t) => {
        const why = (field: string) => withheldReason(t.withheld, field);
        // The owning organisation, with a role that records threats, changes its activities, members, links and status.
        const manage = t.owningOrganisation.id === viewer.organisation.id && mayRecordThreats(viewer.roles) ? { threatId: t.id, version: t.version } : null;
        return (
        <>
          <p className="crumbs">
            <Link to="/threats">Threats</Link> / {t.urn} · <Link to={`/threats/${t.id}/print`}>Printable profile</Link>
            {t.owningOrganisation.id === viewer.organisation.id && (
              <>
                {' '}
                · <Link to={`/threats/${t.id}/edit`}>Edit details and sharing</Link>
              </>
            )}
          </p>
          <h1>
            {t.name} {!why('priority') && <PriorityBadge priority={t.priority} />}
          </h1>
          <dl className="facts">
            <dt>Protective marking</dt>
            <dd data-testid="protective-marking">
              <strong>{label(t.protectiveMarking)}</strong>, shared {sharedWith(t.sharing)}
            </dd>
            <dt>Status</dt>
            <dd data-testid="status">
              {label(t.status)}
              {t.archiveReason && <> ({label(t.archiveReason).toLowerCase()})</>}
              {t.closedOn && <span className="hint"> since {formatDate(t.closedOn)}</span>}
            </dd>
            <dt>Priority</dt>
            <dd>
              <PriorityBadge priority={t.priority} withheld={why('priority')} />
            </dd>
            <dt>Risk score</dt>
            <dd>
              <Value empty="not assessed" withheld={why('riskScore')}>
                {t.riskScore}
              </Value>
            </dd>
            <dt>Type</dt>
            <dd>{label(t.subjectType)}</dd>
            <dt>Lead</dt>
            <dd>{t.leadOrganisation.name}</dd>
            <dt>Owner</dt>
            <dd>{t.owningOrganisation.code}</dd>
            <dt>Tasking</dt>
            <dd>
              {label(t.taskingLevel)}, {label(t.geographicScope)} scope
            </dd>
            <dt>LRO</dt>
            <dd>
              <Value>{t.lro?.displayName}</Value>
            </dd>
            <dt>SRO</dt>
            <dd>
              <Value>{t.sro?.displayName}</Value>
            </dd>
            <dt>Identified</dt>
            <dd>{formatDate(t.identifiedOn)}</dd>
            <dt>Next review</dt>
            <dd>
              <Value>{formatDate(t.nextReviewDue)}</Value>
            </dd>
          </dl>
          {manage && <MoveThreat threatId={t.id} version={t.version} status={t.status} />}
          <section aria-labelledby="summary">
            <h2 id="summary">Summary</h2>
            <p data-testid="summary">
              <Value empty="no summary recorded" withheld={why('summary')}>
                {t.summary}
              </Value>
            </p>
          </section>
          <ThreatActivities
            threat={t}
            activities={t.criminalActivities}
            unassessedIds={t.unassessedActivities?.map((a) => a.id) ?? null}
            canAssess={canAssess(viewer, t)}
            manage={manage}
          />
          <ThreatAssessments threat={t} canAssess={canAssess(viewer, t)} />
          <ThreatIntelligence threatId={t.id} />
          <div className="two">
            <ThreatMembers members={t.members} withheld={why('members')} manage={manage} />
            <ThreatLinks threat={t} links={t.linkedThreats} withheld={why('linkedThreats')} manage={manage} />
          </div>
          <ThreatPlanSummary threat={t} plan={t.plan} />
          <ThreatDisruptions threatId={t.id} disruptions={t.disruptions} summary={t.disruptionSummary} />
          <History entries={t.history} withheld={why('history')} />
          <WhoCanSee recordId={t.id} />
        </>
        );
      }}
    </Loaded>
  );
}
