import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AuditAction, AuditEventFilter } from '../../gql/graphql';
import { requestHeaders } from '../../lib/client';

/** Events naming more records than this show a count rather than each one's name. */
export const MAX_NAMED = 5;

const AuditRecordNamesDocument = graphql(`
  query AuditRecordNames($ids: [ID!]!) {
    nodes(ids: $ids) {
      id
      ... on SocThreat {
        urn
        name
      }
      ... on FourPPlan {
        threat {
          urn
          name
        }
      }
      ... on Disruption {
        date
        threat {
          urn
          name
        }
      }
      ... on SafeguardingReferral {
        reference
      }
      ... on Nominal {
        name
      }
      ... on PracticeEntry {
        title
      }
      ... on InformationSharingAgreement {
        title
      }
      ... on User {
        displayName
        username
      }
    }
  }
`);

/** Kinds of record in the words people use; anything else is named from its type. */
const typeWords: Record<string, [one: string, many: string]> = {
  SocThreat: ['Threat', 'threats'],
  FourPPlan: ['4P plan', '4P plans'],
  Disruption: ['Disruption', 'disruptions'],
  SafeguardingReferral: ['Safeguarding referral', 'safeguarding referrals'],
  Nominal: ['Person', 'people'],
  PracticeEntry: ['Practice entry', 'practice entries'],
  InformationSharingAgreement: ['Sharing agreement', 'sharing agreements'],
  ThreatAssessment: ['Assessment', 'assessments'],
  AuditEvent: ['Audit trail search', 'audit trail searches'],
  AuditChain: ['Audit chain check', 'audit chain checks'],
  ApiKey: ['API key', 'API keys'],
  User: ['User account', 'user accounts'],
  AccessRoleGrant: ['Role policy', 'role policies'],
  AssessmentModel: ['Assessment model', 'assessment models'],
  Report: ['Report', 'reports'],
  DeconflictionCheck: ['Deconfliction check', 'deconfliction checks'],
  // Written by checks before a check was audited as its READ alone: the trail keeps them.
  DeconflictionResult: ['Deconfliction check', 'deconfliction checks'],
  DeconflictionHit: ['Another organisation checked an identifier on', 'another organisation checked identifiers on'],
  RecordIdentifierResult: ['Identifier recorded', 'identifiers recorded'],
  DeconflictionInterest: ['Interest shown in what you hold', 'interests shown in what you hold'],
};

/** SocThreat → Threat; PlanAction → "Plan action". */
export function recordTypeWords(type: string | null | undefined, count = 1): string {
  if (!type) return 'No record';
  const known = typeWords[type];
  if (known) return count === 1 ? known[0] : known[1];
  const words = type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return count === 1 ? words.charAt(0).toUpperCase() + words.slice(1) : `${words}s`;
}

export const actionWords: Record<AuditAction, string> = {
  READ: 'Read',
  CREATE: 'Created',
  UPDATE: 'Changed',
  DELETE: 'Removed',
  DENIED: 'Refused',
  EXPORT: 'Exported',
};

type Named = { text: string; to?: string };

function nameOf(node: Record<string, any>): Named | null {
  const id = encodeURIComponent(node.id);
  if (node.urn) return { text: `${node.urn} ${node.name ?? ''}`.trim(), to: `/threats/${id}` };
  if (node.reference) return { text: node.reference, to: `/referrals/${id}` };
  if (node.threat && node.date) return { text: `of ${node.threat.urn} on ${node.date}`, to: `/disruptions/${id}` };
  if (node.threat) return { text: `for ${node.threat.urn} ${node.threat.name}`, to: `/plans/${id}` };
  if (node.displayName) return { text: `${node.displayName} (${node.username})` };
  if (node.name) return { text: node.name, to: `/people/${id}` };
  if (node.title) return { text: node.title };
  return null;
}

/**
 * Names and links for the records of a page of events, read as the auditor may read them: a
 * record they may not read is said to be one, never named nor presented as missing.
 */
export function useRecordNames(ids: string[]): Map<string, Named | null> {
  const unique = [...new Set(ids)].slice(0, 100);
  const [{ data }] = useQuery({ query: AuditRecordNamesDocument, variables: { ids: unique }, pause: unique.length === 0 });
  const names = new Map<string, Named | null>();
  data?.nodes.forEach((node, i) => names.set(unique[i], node ? nameOf(node as Record<string, any>) : null));
  return names;
}

export function RecordsOf({ type, ids, names }: { type: string | null | undefined; ids: readonly string[]; names: Map<string, Named | null> }) {
  if (!ids.length) return <>{type ? recordTypeWords(type) : <span className="empty">none</span>}</>;
  if (ids.length > MAX_NAMED) return <>{`${ids.length} ${recordTypeWords(type, ids.length)}`}</>;
  return (
    <>
      {recordTypeWords(type, ids.length)}:{' '}
      {ids.map((id, i) => {
        const named = names.get(id);
        const text = named === undefined ? 'loading…' : named === null ? 'a record you may not read' : named.text;
        return (
          <span key={id}>
            {i > 0 && ', '}
            {named?.to ? <Link to={named.to}>{text}</Link> : <span className={named === null ? 'empty' : undefined}>{text}</span>}
          </span>
        );
      })}
    </>
  );
}

/** The search's filter as the export's query string (the same names as the API's filter). */
function exportQuery(filter: AuditEventFilter): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) q.append(key, String(v));
  }
  return q.toString();
}

/**
 * Downloads the whole search as CSV. The file comes from GET /audit/export.csv with the
 * session's token (a plain link could not send it), is streamed, and is itself audited.
 */
export function ExportLink({ filter, total }: { filter: AuditEventFilter; total: number }) {
  const [state, setState] = useState<{ kind: 'idle' | 'working' | 'done' } | { kind: 'failed'; message: string }>({ kind: 'idle' });
  const download = async () => {
    setState({ kind: 'working' });
    try {
      const response = await fetch(`/audit/export.csv?${exportQuery(filter)}`, { headers: requestHeaders() });
      if (!response.ok) {
        const body = await response.json().catch(() => null);
        setState({ kind: 'failed', message: `The export was refused: ${body?.errors?.[0]?.message ?? response.statusText}` });
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `audit-${new Date().toISOString().slice(0, 10)}.csv`;
      a.click();
      URL.revokeObjectURL(url);
      setState({ kind: 'done' });
    } catch {
      setState({ kind: 'failed', message: 'The export could not be downloaded: check your connection and try again.' });
    }
  };
  const words = { idle: '', working: 'Preparing the file…', done: 'Downloaded. The export is recorded on the audit trail.' };
  return (
    <p>
      <button type="button" onClick={() => void download()} disabled={state.kind === 'working' || total === 0}>
        {total === 1 ? 'Download this event as CSV' : `Download these ${total} events as CSV`}
      </button>{' '}
      <span role="status" className={state.kind === 'failed' ? 'error' : 'hint'}>
        {state.kind === 'failed' ? state.message : words[state.kind]}
      </span>
    </p>
  );
}
