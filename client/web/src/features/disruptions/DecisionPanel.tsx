import { useState } from 'react';
import { useClient, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { DisruptionLevel, DisruptionNowQuery, DisruptionStatus, Strand } from '../../gql/graphql';
import { strands } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert, label, Value } from '../../lib/ui';
import { conflictIn, ConflictView, type ConflictRow } from '../records/ConflictView';
import { ClaimForDecision } from './ClaimForDecision';
import { LevelChoice } from './LevelChoice';

const ValidateDocument = graphql(`
  mutation ValidateDisruption($input: ValidateDisruptionInput!) {
    validateDisruption(input: $input) {
      ...DisruptionDecisionFields
    }
  }
`);
const ReturnDocument = graphql(`
  mutation ReturnDisruption($input: DisruptionDecisionInput!) {
    returnDisruption(input: $input) {
      ...DisruptionDecisionFields
    }
  }
`);
const RejectDocument = graphql(`
  mutation RejectDisruption($input: DisruptionDecisionInput!) {
    rejectDisruption(input: $input) {
      ...DisruptionDecisionFields
    }
  }
`);
export const DisruptionDecisionFields = graphql(`
  fragment DisruptionDecisionFields on Disruption {
    id
    status
    version
    statusReason
    countsAsDisruption
    threat {
      id
    }
    validation {
      decision
      levelAgreed
      strandAgreed
      reasons
      at
      validator {
        id
        displayName
      }
    }
  }
`);

const DisruptionNowDocument = graphql(`
  query DisruptionNow($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Disruption {
        ...DisruptionDecisionFields
        level
        strand
        updatedBy {
          id
          displayName
        }
      }
    }
  }
`);

/** The claim as the validator saw it when they began deciding: the decision is saved against its version. */
interface Claim {
  id: string;
  version: number;
  status: DisruptionStatus;
  level: DisruptionLevel;
  strand: Strand;
}

type Now = Extract<NonNullable<DisruptionNowQuery['node']>, { __typename: 'Disruption' }>;
type Kind = 'validate' | 'return' | 'reject';
const kindText: Record<Kind, string> = { validate: 'Validate', return: 'Return for correction', reject: 'Reject' };

/**
 * A validator's decision on a submitted claim: validate at an agreed level and strand, return, or
 * reject. It is saved against the version the validator was looking at: when another validator
 * decided first, both decisions are shown side by side (ConflictView) rather than one silently
 * winning. `onStart` tells the parent the validator has begun, so it keeps the panel open even
 * once the claim, updated live, is no longer waiting.
 */
export function DecisionPanel({ claim, onDone, onStart }: { claim: Claim; onDone?: () => void; onStart?: () => void }) {
  const client = useClient();
  const [level, setLevel] = useState<DisruptionLevel | ''>(claim.level);
  const [strand, setStrand] = useState<Strand>(claim.strand);
  const [reasons, setReasons] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>();
  // On CONFLICT: the claim as it is now, and the decision that met it.
  const [current, setCurrent] = useState<Now | null>(null);
  const [refused, setRefused] = useState<Kind | null>(null);
  const errors = formErrors(error);
  const reasonErrors = [...messagesFor(errors, 'reasons'), ...messagesFor(errors, 'reason')];
  const began = (apply: () => void) => {
    onStart?.();
    apply();
  };

  const send = (kind: Kind, expectedVersion: number) => {
    const base = { id: claim.id, expectedVersion };
    if (kind === 'validate') return client.mutation(ValidateDocument, { input: { ...base, levelAgreed: level as DisruptionLevel, strandAgreed: strand, reasons: reasons || null } }).toPromise();
    return client.mutation(kind === 'return' ? ReturnDocument : RejectDocument, { input: { ...base, reason: reasons || null } }).toPromise();
  };
  const decide = async (kind: Kind, expectedVersion = claim.version) => {
    onStart?.();
    setBusy(true);
    const result = await send(kind, expectedVersion);
    if (conflictIn(result.error)) {
      const now = await client.query(DisruptionNowDocument, { id: claim.id }, { requestPolicy: 'network-only' }).toPromise();
      setCurrent(now.data?.node?.__typename === 'Disruption' ? (now.data.node as Now) : null);
      setRefused(kind);
      setError(undefined);
    } else {
      setError(result.error);
      if (!result.error) {
        setCurrent(null);
        onDone?.();
      }
    }
    setBusy(false);
  };

  return (
    <div className="decision">
      <ClaimForDecision id={claim.id} />
      {current && refused && (
        <ConflictView
          what="claim"
          changedBy={current.updatedBy?.displayName}
          rows={decisionRows(claim, { kind: refused, level, strand, reasons }, current)}
          busy={busy}
          onKeepMine={() => void decide(refused, current.version)}
          onTakeTheirs={() => {
            setCurrent(null);
            onDone?.();
          }}
        />
      )}
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['levelAgreed', 'strandAgreed', 'reasons', 'reason'])]} />
      <LevelChoice name={`agreed-${claim.id}`} legend="Level agreed" value={level} onChange={(l) => began(() => setLevel(l))} errors={messagesFor(errors, 'levelAgreed')} />
      <Field label="Strand agreed" errors={messagesFor(errors, 'strandAgreed')}>
        {(p) => (
          <select {...p} value={strand} onChange={(e) => began(() => setStrand(e.target.value as Strand))}>
            {enumOptions(strands)}
          </select>
        )}
      </Field>
      <Field label="Reasons" hint="Required to return or reject, and when the agreed level or strand differs from the claim." errors={reasonErrors}>
        {(p) => <textarea {...p} rows={2} value={reasons} onChange={(e) => began(() => setReasons(e.target.value))} />}
      </Field>
      <div className="buttons">
        <button type="button" disabled={busy || !level || !!current} onClick={() => void decide('validate')}>
          Validate
        </button>
        <button type="button" disabled={busy || !!current} onClick={() => void decide('return')}>
          Return for correction
        </button>
        <button type="button" className="danger" disabled={busy || !!current} onClick={() => void decide('reject')}>
          Reject
        </button>
      </div>
    </div>
  );
}

/** The validator's unsaved decision beside the claim as it is now. */
function decisionRows(seen: Claim, mine: { kind: Kind; level: DisruptionLevel | ''; strand: Strand; reasons: string }, now: Now): ConflictRow[] {
  const theirDecision = now.validation ? `${label(now.validation.decision)} by ${now.validation.validator.displayName}` : 'none';
  const row = (rowLabel: string, a: string, b: string): ConflictRow => ({ label: rowLabel, mine: <Value empty="none">{a}</Value>, theirs: <Value empty="none">{b}</Value>, differs: a !== b });
  const validating = mine.kind === 'validate';
  return [
    row('Decision', kindText[mine.kind], theirDecision),
    row('Status', label(seen.status), label(now.status)),
    row('Level agreed', validating ? label(mine.level) : '', label(now.validation?.levelAgreed ?? '')),
    row('Strand agreed', validating ? label(mine.strand) : '', label(now.validation?.strandAgreed ?? '')),
    row('Reasons', mine.reasons, now.validation?.reasons ?? now.statusReason ?? ''),
    row('Version', String(seen.version), String(now.version)),
  ];
}
