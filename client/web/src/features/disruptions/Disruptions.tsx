import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { DisruptionFilter, DisruptionLevel, DisruptionOrderField, DisruptionRowFragment, DisruptionStatus, SortDirection, Strand } from '../../gql/graphql';
import { disruptionLevels, disruptionStatuses, strands } from '../../lib/enums';
import { Badge, formatDate, label, Loaded, Pager, Tabs } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { useOrganisations } from '../records/organisations';
import { DecisionPanel } from './DecisionPanel';

export const DisruptionRow = graphql(`
  fragment DisruptionRow on Disruption {
    id
    date
    level
    strand
    status
    version
    isLate
    description
    claimingOrganisation {
      id
      code
    }
    threat {
      id
      urn
      name
    }
    possibleDuplicateOf {
      id
    }
  }
`);

const ValidationQueueDocument = graphql(`
  query ValidationQueue($filter: DisruptionFilter, $orderBy: [DisruptionOrder!], $after: String) {
    disruptions(first: 20, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...DisruptionRow
        }
      }
    }
  }
`);

const QueueRulesDocument = graphql(`
  query QueueRules {
    disruptionRules {
      majorClaimValidatorRoles
    }
  }
`);

const DisruptionListDocument = graphql(`
  query DisruptionList($filter: DisruptionFilter, $after: String) {
    disruptions(first: 20, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...DisruptionRow
        }
      }
    }
  }
`);

/** An address parameter as one of `allowed`, or undefined (a value the server does not know would fail the list). */
function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}
const yesNo = (value: string | null) => (value === 'yes' ? true : value === 'no' ? false : undefined);
const localDate = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The address parameters of the open tab, changed in place (the first page again after each change). */
function useFilterParams() {
  const [params, setParams] = useSearchParams();
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    Object.entries(changes).forEach(([k, v]) => (v ? next.set(k, v) : next.delete(k)));
    setParams(next, { replace: true });
    setTrail([null]);
  };
  return { params, update, trail, setTrail };
}

type Choice = [value: string, text: string];

/** A select for one address parameter, "Any" for none. */
function FilterChoice({ name, title, options, params, onChange }: { name: string; title: string; options: Choice[]; params: URLSearchParams; onChange: (changes: Record<string, string>) => void }) {
  return (
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
}

const enumChoices = (values: readonly string[]): Choice[] => values.map((v) => [v, label(v)]);
const yesNoChoices = (yes: string, no: string): Choice[] => [
  ['yes', yes],
  ['no', no],
];

/** Disruptions: the validator's queue, our organisation's claims, and recording a new one. */
export function Disruptions() {
  const viewer = useViewer();
  const isValidator = viewer.roles.includes('DISRUPTION_VALIDATOR');
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? (isValidator ? 'queue' : 'ours');
  const tabs: [string, string][] = [...(isValidator ? [['queue', 'Validation queue'] as [string, string]] : []), ['ours', `${viewer.organisation.code} claims`], ['all', 'All']];
  return (
    <>
      <h1>Disruptions</h1>
      <p>
        <Link to="/disruptions/new" className="button">
          Record a disruption
        </Link>
      </p>
      <Tabs label="Disruptions" tabs={tabs} selected={tab} onSelect={(key) => setParams({ tab: key })}>
        {tab === 'queue' ? <Queue /> : <List key={tab} organisationId={tab === 'ours' ? viewer.organisation.id : undefined} />}
      </Tabs>
    </>
  );
}

const queueSortNames: Record<string, string> = { SUBMITTED_AT: 'Submitted', DATE: 'Date of disruption' };
const queueSorts = ['SUBMITTED_AT', 'DATE'] as const satisfies readonly DisruptionOrderField[];

/**
 * SUBMITTED claims the viewer could decide, as disruptionValidationQueue has them (not their own
 * organisation's; MAJOR only for a senior validator), through `disruptions` so they can be filtered
 * and sorted: oldest submitted first unless told otherwise. Filters and sort live in the address.
 */
function Queue() {
  const viewer = useViewer();
  const organisations = useOrganisations();
  const [{ data: rules }] = useQuery({ query: QueueRulesDocument, requestPolicy: 'cache-first' });
  const senior = rules ? rules.disruptionRules.majorClaimValidatorRoles.some((r) => viewer.roles.includes(r)) : undefined;
  const { params, update, trail, setTrail } = useFilterParams();
  const others = organisations.filter((o) => o.id !== viewer.organisation.id);
  const decidable: DisruptionLevel[] = disruptionLevels.filter((l) => senior || l !== 'MAJOR');
  const org = others.find((o) => o.id === params.get('org'))?.id;
  const level = oneOf<DisruptionLevel>(params.get('level'), decidable);
  const filter: DisruptionFilter = {
    status: ['SUBMITTED'],
    claimingOrganisationIds: org ? [org] : others.map((o) => o.id),
    level: level ? [level] : senior ? undefined : decidable,
    isLate: yesNo(params.get('late')),
    possibleDuplicate: yesNo(params.get('duplicate')),
  };
  const filtered = Boolean(org || level || filter.isLate !== undefined || filter.possibleDuplicate !== undefined);
  const sort: DisruptionOrderField = oneOf(params.get('sort'), queueSorts) ?? 'SUBMITTED_AT';
  const direction: SortDirection = oneOf(params.get('dir'), ['ASC', 'DESC'] as SortDirection[]) ?? 'ASC';
  const [{ data, fetching, error }] = useQuery({
    query: ValidationQueueDocument,
    variables: { filter, orderBy: [{ field: sort, direction }], after: trail.at(-1) },
    pause: senior === undefined || others.length === 0,
  });
  // Claims a validator has begun deciding, as they were then: they stay on screen after another
  // validator's decision takes them out of the queue, so the conflict can be shown.
  const [deciding, setDeciding] = useState<Record<string, DisruptionRowFragment>>({});
  const stopDeciding = (id: string) => setDeciding(({ [id]: _, ...rest }) => rest);
  return (
    <>
      <form className="filters" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
        <FilterChoice name="org" title="Claiming organisation" options={others.map((o) => [o.id, o.name])} params={params} onChange={update} />
        <FilterChoice name="level" title="Level claimed" options={enumChoices(decidable)} params={params} onChange={update} />
        <FilterChoice name="late" title="Late" options={yesNoChoices('Late', 'Not late')} params={params} onChange={update} />
        <FilterChoice name="duplicate" title="Possible duplicate" options={yesNoChoices('Flagged', 'Not flagged')} params={params} onChange={update} />
        <label>
          Sort by{' '}
          <select value={sort} onChange={(e) => update({ sort: e.target.value === 'SUBMITTED_AT' ? '' : e.target.value })}>
            {queueSorts.map((f) => (
              <option key={f} value={f}>
                {queueSortNames[f]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Order{' '}
          <select value={direction} onChange={(e) => update({ dir: e.target.value === 'ASC' ? '' : e.target.value })}>
            <option value="ASC">Oldest first</option>
            <option value="DESC">Newest first</option>
          </select>
        </label>
      </form>
      <Loaded data={data?.disruptions} fetching={fetching} error={error}>
        {(queue) => {
          const waiting = queue.edges.map((e) => e.node);
          const gone = Object.values(deciding).filter((d) => !waiting.some((w) => w.id === d.id));
          return (
            <>
              <p role="status">{plural(queue.totalCount, 'claim waiting', 'claims waiting')}</p>
              {queue.totalCount === 0 && <p>{filtered ? 'No claims waiting that you can see match these filters.' : 'No claims waiting that you can see.'}</p>}
              <ul className="plain queue">
                {[...waiting, ...gone].map((node) => (
                  <QueueItem key={node.id} d={deciding[node.id] ?? node} onStart={() => setDeciding((all) => ({ [node.id]: all[node.id] ?? node, ...all }))} onStop={() => stopDeciding(node.id)} />
                ))}
              </ul>
              <Pager pageInfo={queue.pageInfo} total={queue.totalCount} shown={queue.edges.length} trail={trail} onMove={setTrail} />
            </>
          );
        }}
      </Loaded>
    </>
  );
}

function QueueItem({ d, onStart, onStop }: { d: DisruptionRowFragment; onStart: () => void; onStop: () => void }) {
  const [open, setOpen] = useState(false);
  const close = () => {
    setOpen(false);
    onStop();
  };
  return (
    <li>
      <RowSummary d={d} />{' '}
      <button type="button" aria-expanded={open} onClick={() => (open ? close() : setOpen(true))}>
        {open ? 'Close' : 'Decide'}
      </button>
      {open && <DecisionPanel claim={d} onStart={onStart} onDone={close} />}
    </li>
  );
}

function RowSummary({ d }: { d: DisruptionRowFragment }) {
  return (
    <>
      <Link to={`/disruptions/${d.id}`}>{formatDate(d.date)}</Link> {d.threat.urn} {d.threat.name} · {label(d.level)} · {label(d.strand)} · {d.claimingOrganisation.code}{' '}
      <Badge>{label(d.status)}</Badge>
      {d.isLate && <Badge tone="warn">Late</Badge>}
      {d.possibleDuplicateOf && <Badge tone="warn">Possible duplicate</Badge>}
      <div className="hint">{d.description}</div>
    </>
  );
}

/**
 * Disruptions within the viewer's access, filtered by status, level, strand, claiming organisation
 * (unless `organisationId` fixes it) and date range, kept in the address; counted as the API counts.
 */
function List({ organisationId }: { organisationId?: string }) {
  const organisations = useOrganisations();
  const { params, update, trail, setTrail } = useFilterParams();
  const status = oneOf<DisruptionStatus>(params.get('status'), disruptionStatuses);
  const level = oneOf<DisruptionLevel>(params.get('level'), disruptionLevels);
  const strand = oneOf<Strand>(params.get('strand'), strands);
  const org = organisationId ?? organisations.find((o) => o.id === params.get('org'))?.id;
  const filter: DisruptionFilter = {
    status: status ? [status] : undefined,
    level: level ? [level] : undefined,
    strand: strand ? [strand] : undefined,
    claimingOrganisationIds: org ? [org] : undefined,
    dateFrom: localDate(params.get('from')),
    dateTo: localDate(params.get('to')),
  };
  const filtered = Object.entries(filter).some(([k, v]) => v !== undefined && !(organisationId && k === 'claimingOrganisationIds'));
  const [{ data, fetching, error }] = useQuery({ query: DisruptionListDocument, variables: { filter, after: trail.at(-1) } });
  return (
    <>
      <form className="filters" aria-label="Filter the disruptions" onSubmit={(e) => e.preventDefault()}>
        <FilterChoice name="status" title="Status" options={enumChoices(disruptionStatuses)} params={params} onChange={update} />
        <FilterChoice name="level" title="Level claimed" options={enumChoices(disruptionLevels)} params={params} onChange={update} />
        <FilterChoice name="strand" title="Strand" options={enumChoices(strands)} params={params} onChange={update} />
        {!organisationId && <FilterChoice name="org" title="Claiming organisation" options={organisations.map((o) => [o.id, o.name])} params={params} onChange={update} />}
        <label>
          Dated from <input type="date" value={params.get('from') ?? ''} onChange={(e) => update({ from: e.target.value })} />
        </label>
        <label>
          Dated to <input type="date" value={params.get('to') ?? ''} onChange={(e) => update({ to: e.target.value })} />
        </label>
      </form>
      <Loaded data={data?.disruptions} fetching={fetching} error={error}>
        {(list) => (
          <>
            <p role="status">{plural(list.totalCount, 'disruption', 'disruptions')}</p>
            {list.totalCount === 0 && <p>{filtered ? 'No disruptions that you can see match these filters.' : 'No disruptions that you can see.'}</p>}
            <ul className="plain queue">
              {list.edges.map(({ node }) => (
                <li key={node.id}>
                  <RowSummary d={node} />
                </li>
              ))}
            </ul>
            <Pager pageInfo={list.pageInfo} total={list.totalCount} shown={list.edges.length} trail={trail} onMove={setTrail} />
          </>
        )}
      </Loaded>
    </>
  );
}
