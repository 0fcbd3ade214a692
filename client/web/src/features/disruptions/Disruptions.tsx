import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { DisruptionFilter, DisruptionRowFragment } from '../../gql/graphql';
import { Badge, formatDate, label, Loaded, Pager, Tabs } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
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
  query ValidationQueue($after: String) {
    disruptionValidationQueue(first: 20, after: $after) {
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
        {tab === 'queue' ? <Queue /> : <List key={tab} filter={tab === 'ours' ? { claimingOrganisationIds: [viewer.organisation.id] } : {}} />}
      </Tabs>
    </>
  );
}

function Queue() {
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const [{ data, fetching, error }] = useQuery({ query: ValidationQueueDocument, variables: { after: trail.at(-1) } });
  // Claims a validator has begun deciding, as they were then: they stay on screen after another
  // validator's decision takes them out of the queue, so the conflict can be shown.
  const [deciding, setDeciding] = useState<Record<string, DisruptionRowFragment>>({});
  const stopDeciding = (id: string) => setDeciding(({ [id]: _, ...rest }) => rest);
  return (
    <Loaded data={data?.disruptionValidationQueue} fetching={fetching} error={error}>
      {(queue) => {
        const waiting = queue.edges.map((e) => e.node);
        const gone = Object.values(deciding).filter((d) => !waiting.some((w) => w.id === d.id));
        return (
          <>
            {queue.totalCount === 0 && <p>Nothing waiting for validation.</p>}
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

function List({ filter }: { filter: DisruptionFilter }) {
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const [{ data, fetching, error }] = useQuery({ query: DisruptionListDocument, variables: { filter, after: trail.at(-1) } });
  return (
    <Loaded data={data?.disruptions} fetching={fetching} error={error}>
      {(list) => (
        <>
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
  );
}
