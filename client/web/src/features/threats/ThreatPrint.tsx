import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { formatDate, label, Loaded, withheldReason } from '../../lib/ui';
import { activityName } from '../assessments/model';

const ThreatPrintDocument = graphql(`
  query ThreatPrint($id: ID!) {
    node(id: $id) {
      __typename
      ... on SocThreat {
        id
        urn
        name
        summary
        status
        subjectType
        taskingLevel
        geographicScope
        identifiedOn
        adoptedOn
        nextReviewDue
        priority
        riskScore
        protectiveMarking
        leadOrganisation {
          id
          name
        }
        owningOrganisation {
          id
          name
        }
        lro {
          id
          displayName
        }
        withheld {
          field
          reason
        }
        criminalActivities {
          id
          category
          subCategory
          description
          firstIdentified
          lastEvidenced
          assessment {
            id
            status
            priority
            riskScore
            decidedAt
          }
        }
        currentAssessment {
          id
          priority
          riskScore
          decidedAt
        }
        members {
          id
          role
          from
          to
          nominal {
            id
            name
          }
        }
        plan {
          id
          status
          nextReviewDue
          quality {
            score
          }
          objectives {
            id
            strand
            description
          }
        }
      }
    }
  }
`);

/** The marking as the national scheme writes it: OFFICIAL_SENSITIVE → OFFICIAL-SENSITIVE. */
const nationalMarking = (marking: string) => marking.replace(/_/g, '-');

/**
 * A threat profile for paper: the marking banner at the top and foot of every printed page, then the profile, every activity with its
 * assessment, the members and a summary of the plan. What the reader may not see is said, not left out.
 */
export function ThreatPrint() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: ThreatPrintDocument, variables: { id } });
  const threat = data?.node?.__typename === 'SocThreat' ? data.node : data && null;
  if (data && !threat) return <p role="alert">This threat does not exist or you may not see it.</p>;
  return (
    <Loaded data={threat} fetching={fetching} error={error}>
      {(t) => {
        const why = (field: string) => withheldReason(t.withheld, field);
        const marking = nationalMarking(t.protectiveMarking);
        return (
          // A frame whose header and footer rows repeat on every printed page (Chromium repeats a
          // table's thead and tfoot on each page it spans): the banner can never be left off a page.
          <table className="print-frame" role="presentation">
            <thead>
              <tr>
                <td className="print-banner" data-testid="print-banner">
                  {marking}
                </td>
              </tr>
            </thead>
            <tfoot>
              <tr>
                <td className="print-banner" data-testid="print-banner">
                  {marking}
                </td>
              </tr>
            </tfoot>
            <tbody>
              <tr>
                <td>
          <article className="print-profile">
            <p className="crumbs no-print">
              <Link to={`/threats/${t.id}`}>Back to the threat</Link> ·{' '}
              <button type="button" className="small" onClick={() => window.print()}>
                Print
              </button>
            </p>
            <h1>
              Threat profile: {t.urn} {t.name}
            </h1>
            <dl className="facts">
              <dt>Status</dt>
              <dd>{label(t.status)}</dd>
              <dt>Subject</dt>
              <dd>{label(t.subjectType)}</dd>
              <dt>Lead organisation</dt>
              <dd>{t.leadOrganisation.name}</dd>
              <dt>Owned by</dt>
              <dd>{t.owningOrganisation.name}</dd>
              <dt>Tasking level, scope</dt>
              <dd>
                {label(t.taskingLevel)}, {label(t.geographicScope).toLowerCase()}
              </dd>
              <dt>Identified</dt>
              <dd>{formatDate(t.identifiedOn)}</dd>
              {t.adoptedOn && (
                <>
                  <dt>Adopted</dt>
                  <dd>{formatDate(t.adoptedOn)}</dd>
                </>
              )}
              <dt>Next review</dt>
              <dd>{t.nextReviewDue ? formatDate(t.nextReviewDue) : 'not set'}</dd>
              <dt>LRO</dt>
              <dd>{t.lro?.displayName ?? 'not named'}</dd>
              <dt>Priority</dt>
              <dd>{why('priority') ? `Withheld: ${why('priority')}` : t.priority ? `${label(t.priority)} (risk ${Math.round(t.riskScore ?? 0)})` : 'not assessed'}</dd>
            </dl>
            <h2>Summary</h2>
            <p>{why('summary') ? `Withheld: ${why('summary')}` : t.summary || 'No summary recorded.'}</p>

            <h2>Criminal activities and their assessments ({t.criminalActivities.length})</h2>
            <table className="list">
              <thead>
                <tr>
                  <th scope="col">Activity</th>
                  <th scope="col">Description</th>
                  <th scope="col">Evidenced</th>
                  <th scope="col">Assessment</th>
                </tr>
              </thead>
              <tbody>
                {t.criminalActivities.map((a) => (
                  <tr key={a.id}>
                    <td>{activityName({ category: a.category, subCategory: a.subCategory })}</td>
                    <td>{a.description ?? 'Withheld from your organisation.'}</td>
                    <td>
                      {formatDate(a.firstIdentified)}
                      {a.lastEvidenced && ` to ${formatDate(a.lastEvidenced)}`}
                    </td>
                    <td>
                      {a.assessment
                        ? `${label(a.assessment.status)}: ${label(a.assessment.priority)}, risk ${Math.round(a.assessment.riskScore)}${a.assessment.decidedAt ? `, decided ${formatDate(a.assessment.decidedAt)}` : ''}`
                        : why('assessmentHistory')
                          ? 'Withheld from your organisation.'
                          : 'Not assessed'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {t.currentAssessment && (
              <p>
                Whole threat: {label(t.currentAssessment.priority)}, risk {Math.round(t.currentAssessment.riskScore)}, approved {formatDate(t.currentAssessment.decidedAt)}.
              </p>
            )}

            <h2>Members</h2>
            {why('members') || !t.members ? (
              <p>Withheld: {why('members') ?? 'not shown to your organisation.'}</p>
            ) : t.members.length === 0 ? (
              <p>No members recorded.</p>
            ) : (
              <ul>
                {t.members.map((m) => (
                  <li key={m.id}>
                    {m.nominal?.name ?? 'A person not visible to you'}: {label(m.role).toLowerCase()}
                    {(m.from || m.to) && ` (${formatDate(m.from)} – ${formatDate(m.to)})`}
                  </li>
                ))}
              </ul>
            )}

            <h2>4P plan</h2>
            {t.plan ? (
              <>
                <p>
                  {label(t.plan.status)}
                  {t.plan.nextReviewDue && `, review due ${formatDate(t.plan.nextReviewDue)}`}
                  {t.plan.quality && `, quality gate ${t.plan.quality.score}%`}.
                </p>
                <ul>
                  {t.plan.objectives.map((o) => (
                    <li key={o.id}>
                      {label(o.strand)}: {o.description}
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p>No plan shared with you.</p>
            )}
          </article>
                </td>
              </tr>
            </tbody>
          </table>
        );
      }}
    </Loaded>
  );
}
