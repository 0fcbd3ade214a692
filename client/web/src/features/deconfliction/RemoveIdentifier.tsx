import { useEffect, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { formErrors } from '../../lib/errors';
import { FormAlert } from '../../lib/ui';
import { deconflictionWords } from './deconflictionWords';

const RemoveIdentifierDocument = graphql(`
  mutation RemoveIdentifier($id: ID!) {
    removeIdentifier(id: $id) {
      ... on Nominal {
        id
        identifiers {
          ...HeldIdentifier
        }
      }
      ... on IntelligenceReport {
        id
        identifiers {
          ...HeldIdentifier
        }
      }
    }
  }
`);

/**
 * Removing an identifier the organisation holds, after the user confirms it: other
 * organisations' checks stop finding it here. One taken from a person's fields comes back when
 * those fields change, which the question says.
 */
export function RemoveIdentifier({ id, described, fromAField, onRemoved }: { id: string; described: string; fromAField: boolean; onRemoved: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [state, remove] = useMutation(RemoveIdentifierDocument);
  const errors = formErrors(state.error);
  const opener = useRef<HTMLButtonElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  // Focus goes to the safe choice when asked, and back to the button when the question is dropped.
  useEffect(() => {
    if (confirming) keep.current?.focus();
    else if (wasConfirming.current) opener.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);
  if (!confirming) {
    return (
      <button type="button" className="small" ref={opener} aria-label={`Remove ${described}`} onClick={() => setConfirming(true)}>
        Remove
      </button>
    );
  }
  return (
    <div className="decision" role="group" aria-label={`Remove ${described}`}>
      <FormAlert messages={[...errors.general, ...Object.values(errors.fields).flat()].map(deconflictionWords)} />
      <p>Remove “{described}”?</p>
      <p className="hint">
        Other organisations’ checks will no longer find it here.
        {fromAField ? ' It was taken from this record’s details, and comes back if those details are changed.' : ''}
      </p>
      <div className="buttons">
        <button
          type="button"
          className="danger"
          disabled={state.fetching}
          onClick={async () => {
            const result = await remove({ id });
            if (result.data) {
              setConfirming(false);
              onRemoved();
            }
          }}
        >
          Yes, remove it
        </button>
        <button type="button" ref={keep} onClick={() => setConfirming(false)}>
          Keep it
        </button>
      </div>
    </div>
  );
}
