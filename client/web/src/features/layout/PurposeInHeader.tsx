import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { PURPOSES, purpose, purposeLabel, refusedPurpose, type Purpose } from '../../lib/client';
import { useViewer } from '../auth/viewer';
import { errorText } from '../../lib/errors';

const StatePurposeDocument = graphql(`
  mutation StatePurpose($purpose: Purpose!, $previous: Purpose) {
    statePurpose(purpose: $purpose, previous: $previous) {
      purpose
      previous
    }
  }
`);

/**
 * The purpose the user works under, shown in the header and changed there without signing out.
 * The change is put on the audit trail first (statePurpose, sent under the new purpose); then the
 * page reloads, so every screen's data and the live connection are read under the new purpose.
 */
export function PurposeInHeader() {
  const stated = purpose.get();
  // Only the purposes the user's roles allow (the server refuses any other).
  const { allowedPurposes } = useViewer();
  const offered = PURPOSES.filter((p) => allowedPurposes.includes(p.value));
  const refused = refusedPurpose.get();
  const [refusal, setRefusal] = useState<string | null>(
    refused && !stated ? `Your roles do not allow you to work for the purpose ${purposeLabel(refused).toLowerCase()}: choose one of those offered here.` : null,
  );
  const [state, statePurpose] = useMutation(StatePurposeDocument);
  const id = useId();

  const change = async (next: Purpose) => {
    if (next === stated) return;
    setRefusal(null);
    refusedPurpose.set(null);
    purpose.set(next);
    const result = await statePurpose({ purpose: next, previous: stated });
    if (result.error) {
      purpose.set(stated);
      setRefusal(`The purpose was not changed: ${errorText(result.error)}`);
      return;
    }
    window.location.reload();
  };

  if (!offered.length) {
    return (
      <span className="purpose-in-header" data-testid="purpose">
        Purpose: none (your roles allow you to state no purpose, so records that need one are not shown)
      </span>
    );
  }
  return (
    <span className="purpose-in-header">
      <label htmlFor={id}>Purpose</label>{' '}
      <select id={id} value={stated ?? ''} disabled={state.fetching} onChange={(e) => void change(e.target.value as Purpose)} data-testid="purpose">
        {!stated && <option value="">None stated</option>}
        {offered.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
      </select>
      {refusal && (
        <span role="alert" className="purpose-refusal">
          {refusal}
        </span>
      )}
    </span>
  );
}
