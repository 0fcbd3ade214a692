import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { DisruptionLevel, Strand } from '../../gql/graphql';
import { strands } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert } from '../../lib/ui';
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

interface Claim {
  id: string;
  version: number;
  level: DisruptionLevel;
  strand: Strand;
}

/** A validator's decision on a submitted claim: validate at an agreed level and strand, return, or reject. */
export function DecisionPanel({ claim, onDone }: { claim: Claim; onDone?: () => void }) {
  const [level, setLevel] = useState<DisruptionLevel | ''>(claim.level);
  const [strand, setStrand] = useState<Strand>(claim.strand);
  const [reasons, setReasons] = useState('');
  const [validation, validate] = useMutation(ValidateDocument);
  const [returning, giveBack] = useMutation(ReturnDocument);
  const [rejection, reject] = useMutation(RejectDocument);
  const error = validation.error ?? returning.error ?? rejection.error;
  const errors = formErrors(error);
  const busy = validation.fetching || returning.fetching || rejection.fetching;
  const done = (result: { error?: unknown }) => !result.error && onDone?.();
  const base = { id: claim.id, expectedVersion: claim.version };
  const reasonErrors = [...messagesFor(errors, 'reasons'), ...messagesFor(errors, 'reason')];

  return (
    <div className="decision">
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['levelAgreed', 'strandAgreed', 'reasons', 'reason'])]} />
      <LevelChoice name={`agreed-${claim.id}`} legend="Level agreed" value={level} onChange={setLevel} errors={messagesFor(errors, 'levelAgreed')} />
      <Field label="Strand agreed" errors={messagesFor(errors, 'strandAgreed')}>
        {(p) => (
          <select {...p} value={strand} onChange={(e) => setStrand(e.target.value as Strand)}>
            {enumOptions(strands)}
          </select>
        )}
      </Field>
      <Field label="Reasons" hint="Required to return or reject, and when the agreed level or strand differs from the claim." errors={reasonErrors}>
        {(p) => <textarea {...p} rows={2} value={reasons} onChange={(e) => setReasons(e.target.value)} />}
      </Field>
      <div className="buttons">
        <button type="button" disabled={busy || !level} onClick={async () => done(await validate({ input: { ...base, levelAgreed: level as DisruptionLevel, strandAgreed: strand, reasons: reasons || null } }))}>
          Validate
        </button>
        <button type="button" disabled={busy} onClick={async () => done(await giveBack({ input: { ...base, reason: reasons || null } }))}>
          Return for correction
        </button>
        <button type="button" className="danger" disabled={busy} onClick={async () => done(await reject({ input: { ...base, reason: reasons || null } }))}>
          Reject
        </button>
      </div>
    </div>
  );
}
