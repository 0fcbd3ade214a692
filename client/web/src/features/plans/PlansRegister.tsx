import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { PlanOrderField, PlanStatus, SortDirection } from '../../gql/graphql';
import { planOrderFields, planStatuses } from '../../lib/enums';
import { Badge, enumOptions, formatDate, label, Loaded, Pager, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { useOrganisations } from '../records/organisations';

const PlansRegisterDocument = graphql(`
  query PlansRegister($filter: PlanFilter, $orderBy: [PlanOrder!], $after: String) {
    plans(first: 25, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          nextReviewDue
          threat {
            id
            urn
            name
          }
          owningOrganisation {
            id
            code
            name
          }
          lro {
            id
            displayName
          }
          quality {
            passes
          }
          actions {
            id
            isOverdue
          }
        }
      }
    }
  }
`);

const sortNames: Record<PlanOrderField, string> = { UPDATED_AT: 'Last changed', THREAT_NAME: 'Threat name', NEXT_REVIEW_DUE: 'Next review' };

/** An address parameter as one of `allowed`, or undefined (a value the server does not know would fail the list). */
function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}
const yesNo = (value: string | null) => (value === 'yes' ? true : value === 'no' ? false : undefined);

/**
 * Every plan the user may see: search, filters and sort live in the address, so a view can be
 * bookmarked or shared. The quality gate is withheld from partners, so they get no gate filter.
 */
export function PlansRegister() {
  const viewer = useViewer();
  const partner = !viewer.organisation.isLawEnforcement;
  const isLro = viewer.roles.includes('LRO');
  const organisations = useOrganisations();
  const [params, setParams] = useSearchParams();
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const status = oneOf<PlanStatus>(params.get('status'), planStatuses);
  const lead = organisations.find((o) => o.id === params.get('lead'))?.id;
  const ledBy = organisations.find((o) => o.id === params.get('led'))?.id;
  const filter = {
    text: params.get('q') || undefined,
    status: status ? [status] : undefined,
    owningOrganisationIds: lead ? [lead] : undefined,
    failingGate: partner ? undefined : yesNo(params.get('gate')),
    reviewOverdue: yesNo(params.get('review')),
    leadOrganisationIds: ledBy ? [ledBy] : undefined,
    lroIds: isLro && params.get('lro') === 'me' ? [viewer.id] : undefined,
    actionsOverdue: yesNo(params.get('actions')),
  };
  const filtered = Object.values(filter).some((v) => v !== undefined);
  const sort: PlanOrderField = oneOf(params.get('sort'), planOrderFields) ?? 'UPDATED_AT';
  const direction: SortDirection = oneOf(params.get('dir'), ['ASC', 'DESC'] as SortDirection[]) ?? (sort === 'UPDATED_AT' ? 'DESC' : 'ASC');
  const [{ data, fetching, error }] = useQuery({
    query: PlansRegisterDocument,
    variables: { filter, orderBy: [{ field: sort, direction }], after: trail.at(-1) },
  });

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    Object.entries(changes).forEach(([k, v]) => (v ? next.set(k, v) : next.delete(k)));
    setParams(next, { replace: true });
    setTrail([null]);
  };

  return (
    <>
      <h1>4P plans</h1>
      <PlanFilters params={params} onChange={update} partner={partner} isLro={isLro} organisations={organisations} />
      <Loaded data={data?.plans} fetching={fetching} error={error}>
        {(plans) => (
          <>
            <p role="status">{plans.totalCount === 1 ? '1 plan' : `${plans.totalCount} plans`}</p>
            {plans.totalCount > 0 && (
              <table className="list">
                <thead>
                  <tr>
                    <th scope="col">URN</th>
                    <th scope="col">Threat</th>
                    <th scope="col">Status</th>
                    <th scope="col">Lead</th>
                    <th scope="col">LRO</th>
                    <th scope="col">Quality gate</th>
                    <th scope="col">Next review</th>
                    <th scope="col">Overdue actions</th>
                  </tr>
                </thead>
                <tbody>
                  {plans.edges.map(({ node: p }) => {
                    const overdue = p.actions.filter((a) => a.isOverdue).length;
                    return (
                      <tr key={p.id}>
                        <td>{p.threat.urn}</td>
                        <td>
                          <Link to={`/plans/${p.id}`}>{p.threat.name}</Link>
                        </td>
                        <td>{label(p.status)}</td>
                        <td>
                          <abbr title={p.owningOrganisation.name}>{p.owningOrganisation.code}</abbr>
                        </td>
                        <td>
                          <Value empty="none named">{p.lro?.displayName}</Value>
                        </td>
                        <td>{p.quality ? <Badge tone={p.quality.passes ? 'good' : 'bad'}>{p.quality.passes ? 'Passes' : 'Fails'}</Badge> : 'Not shown to you'}</td>
                        <td>
                          <Value empty="none set">{formatDate(p.nextReviewDue)}</Value>
                        </td>
                        <td>{overdue ? <Badge tone="warn">{overdue}</Badge> : 'None'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            {plans.totalCount === 0 && <p>{filtered ? 'No plans shared with you match.' : 'No plans shared with you.'}</p>}
            <Pager pageInfo={plans.pageInfo} total={plans.totalCount} shown={plans.edges.length} trail={trail} onMove={setTrail} />
          </>
        )}
      </Loaded>
    </>
  );
}

type FilterProps = {
  params: URLSearchParams;
  onChange: (changes: Record<string, string>) => void;
  partner: boolean;
  /** The user is an LRO: offered their own plans. */
  isLro: boolean;
  organisations: { id: string; code: string; name: string }[];
};

/** Search box (applied on Enter), filters and sort (applied at once). */
function PlanFilters({ params, onChange, partner, isLro, organisations }: FilterProps) {
  const [text, setText] = useState(params.get('q') ?? '');
  const search = (e: FormEvent) => {
    e.preventDefault();
    onChange({ q: text.trim() });
  };
  const choice = (name: string, title: string, options: [value: string, text: string][]) => (
    <label>
      {title}{' '}
      <select value={params.get(name) ?? ''} onChange={(e) => onChange({ [name]: e.target.value })}>
        <option value="">Any</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form role="search" className="filters" onSubmit={search}>
      <label>
        Search{' '}
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Threat name, URN, objective or action…" />
      </label>
      <button type="submit">Search</button>
      <label>
        Status{' '}
        <select value={params.get('status') ?? ''} onChange={(e) => onChange({ status: e.target.value })}>
          <option value="">Any</option>
          {enumOptions(planStatuses)}
        </select>
      </label>
      {choice(
        'lead',
        'Lead organisation',
        organisations.map((o) => [o.id, o.name]),
      )}
      {!partner &&
        choice('gate', 'Quality gate', [
          ['no', 'Passes'],
          ['yes', 'Fails'],
        ])}
      {choice('review', 'Review', [
        ['yes', 'Overdue'],
        ['no', 'Not overdue'],
      ])}
      {choice(
        'led',
        'Threat led by',
        organisations.map((o) => [o.id, o.name]),
      )}
      {isLro && choice('lro', 'LRO', [['me', 'Plans where I am the LRO']])}
      {choice('actions', 'Actions', [
        ['yes', 'With overdue actions'],
        ['no', 'None overdue'],
      ])}
      <label>
        Sort by{' '}
        <select value={params.get('sort') ?? 'UPDATED_AT'} onChange={(e) => onChange({ sort: e.target.value })}>
          {planOrderFields.map((f) => (
            <option key={f} value={f}>
              {sortNames[f]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Order{' '}
        <select value={params.get('dir') ?? ''} onChange={(e) => onChange({ dir: e.target.value })}>
          <option value="">Default</option>
          <option value="ASC">Ascending</option>
          <option value="DESC">Descending</option>
        </select>
      </label>
    </form>
  );
}
