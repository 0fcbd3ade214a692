import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { CrimeCategory, PriorityBand, SortDirection, ThreatOrderField, ThreatStatus } from '../../gql/graphql';
import { crimeCategories, priorityBands, threatOrderFields, threatStatuses } from '../../lib/enums';
import { Badge, formatDate, label, Loaded, Pager, PriorityBadge, Value, withheldReason } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { mayRecordThreats } from './activityFields';
import { ThreatFilters } from './ThreatFilters';

const ThreatListDocument = graphql(`
  query ThreatList($filter: ThreatFilter, $orderBy: [ThreatOrder!], $after: String) {
    threats(first: 25, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          urn
          name
          status
          priority
          nextReviewDue
          withheld {
            field
            reason
          }
          leadOrganisation {
            id
            code
          }
          criminalActivities {
            id
            category
          }
          unassessedActivities {
            id
          }
          plan {
            id
          }
        }
      }
    }
  }
`);

/**
 * An address parameter as one of `allowed`, or undefined: the address is typed and shared by
 * people, and a value the server does not know would fail the whole list (400) instead of being
 * ignored.
 */
function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}
const list = <T extends string>(value: string | null, allowed: readonly T[]) => {
  const known = oneOf(value, allowed);
  return known ? [known] : undefined;
};

/**
 * Threats: search, filter and sort live in the address, so a view can be bookmarked or shared.
 * Partners may not filter or sort by priority and risk (withheld from them): they sort by name.
 */
export function ThreatList() {
  const viewer = useViewer();
  const partner = !viewer.organisation.isLawEnforcement;
  const [params, setParams] = useSearchParams();
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const filter = {
    text: params.get('q') || undefined,
    priority: partner ? undefined : list<PriorityBand>(params.get('priority'), priorityBands),
    status: list<ThreatStatus>(params.get('status'), threatStatuses),
    category: list<CrimeCategory>(params.get('category'), crimeCategories),
  };
  const defaultSort = partner ? 'NAME' : 'RISK';
  const sorts = partner ? threatOrderFields.filter((f) => f !== 'RISK') : threatOrderFields;
  const sort: ThreatOrderField = oneOf(params.get('sort'), sorts) ?? defaultSort;
  const direction: SortDirection = oneOf(params.get('dir'), ['ASC', 'DESC'] as SortDirection[]) ?? (partner ? 'ASC' : 'DESC');
  const orderBy = [{ field: sort, direction }];
  const [{ data, fetching, error }] = useQuery({ query: ThreatListDocument, variables: { filter, orderBy, after: trail.at(-1) } });

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    Object.entries(changes).forEach(([k, v]) => (v ? next.set(k, v) : next.delete(k)));
    setParams(next, { replace: true });
    setTrail([null]);
  };

  return (
    <>
      <h1>Threats</h1>
      {mayRecordThreats(viewer.roles) && (
        <p>
          <Link to="/threats/new" className="button">
            New threat
          </Link>
        </p>
      )}
      <ThreatFilters params={params} onChange={update} partner={partner} />
      <Loaded data={data?.threats} fetching={fetching} error={error}>
        {(threats) => (
          <>
            <table className="list">
              <thead>
                <tr>
                  <th scope="col">URN</th>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Lead</th>
                  <th scope="col">Activities</th>
                  <th scope="col">Next review</th>
                  <th scope="col">4P plan</th>
                </tr>
              </thead>
              <tbody>
                {threats.edges.map(({ node: t }) => (
                  <tr key={t.id}>
                    <td>{t.urn}</td>
                    <td>
                      <Link to={`/threats/${t.id}`}>{t.name}</Link>
                    </td>
                    <td>{label(t.status)}</td>
                    <td>
                      <PriorityBadge priority={t.priority} withheld={withheldReason(t.withheld, 'priority')} />
                    </td>
                    <td>{t.leadOrganisation.code}</td>
                    <td>
                      {[...new Set(t.criminalActivities.map((a) => label(a.category)))].join(', ')}{' '}
                      {!!t.unassessedActivities?.length && <Badge tone="warn">{t.unassessedActivities.length} unassessed</Badge>}
                    </td>
                    <td>
                      <Value empty="none">{formatDate(t.nextReviewDue)}</Value>
                    </td>
                    <td>
                      {/* The plan is two clicks from home: Threats, then here. */}
                      <Value empty="none">{t.plan && <Link to={`/plans/${t.plan.id}`} aria-label={`4P plan for ${t.name}`}>Plan</Link>}</Value>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {threats.totalCount === 0 && <p>No threats match.</p>}
            <Pager pageInfo={threats.pageInfo} total={threats.totalCount} shown={threats.edges.length} trail={trail} onMove={setTrail} />
          </>
        )}
      </Loaded>
    </>
  );
}
