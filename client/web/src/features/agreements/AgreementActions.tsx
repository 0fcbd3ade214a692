import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, label } from '../../lib/ui';
import { EditAgreement } from './EditAgreement';
import type { Agreement } from './SharingAgreements';

const SuspendAgreementDocument = graphql(`
  mutation SuspendAgreement($input: SuspendSharingAgreementInput!) {
    suspendSharingAgreement(input: $input) {
      id
      status
      statusReason
      isInForce
      version
    }
  }
`);

const ReinstateAgreementDocument = graphql(`
  mutation ReinstateAgreement($input: AgreementStatusInput!) {
    reinstateSharingAgreement(input: $input) {
      id
      status
      statusReason
      isInForce
      version
    }
  }
`);

const ExpireAgreementDocument = graphql(`
  mutation ExpireAgreement($input: AgreementStatusInput!) {
    expireSharingAgreement(input: $input) {
      id
      status
      statusReason
      isInForce
      version
    }
  }
`);

const ActivateAgreementDocument = graphql(`
  mutation ActivateAgreement($input: AgreementStatusInput!) {
    activateSharingAgreement(input: $input) {
      id
      status
      statusReason
      isInForce
      version
    }
  }
`);

/**
 * What an administrator may do with one agreement in its current status: activate a draft,
 * suspend (with the reason, which is required) or expire an active one, reinstate a suspended one.
 * The server checks every rule; its messages sit next to the reason or above the buttons.
 */
export function AgreementActions({ agreement: a }: { agreement: Agreement }) {
  const [reason, setReason] = useState('');
  const [suspended, suspend] = useMutation(SuspendAgreementDocument);
  const [reinstated, reinstate] = useMutation(ReinstateAgreementDocument);
  const [expired, expire] = useMutation(ExpireAgreementDocument);
  const [activated, activate] = useMutation(ActivateAgreementDocument);
  const [last, setLast] = useState<'suspend' | 'reinstate' | 'expire' | 'activate' | null>(null);
  const state = { suspend: suspended, reinstate: reinstated, expire: expired, activate: activated }[last ?? 'suspend'];
  const errors = formErrors(last ? state.error : undefined);
  const busy = [suspended, reinstated, expired, activated].some((s) => s.fetching);
  const input = { id: a.id, expectedVersion: a.version, reason: reason.trim() || null };
  const run = async (action: NonNullable<typeof last>) => {
    setLast(action);
    const result =
      action === 'suspend'
        ? await suspend({ input: { ...input, reason } })
        : action === 'reinstate'
          ? await reinstate({ input })
          : action === 'expire'
            ? await expire({ input })
            : await activate({ input });
    if (!result.error) setReason('');
  };
  return (
    <section aria-labelledby="manage-agreement" className="decision">
      <h2 id="manage-agreement">
        Manage “{a.title}” ({label(a.status)})
      </h2>
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['reason', 'id', 'expectedVersion'])]} />
      {messagesFor(errors, 'id').length > 0 && <FormAlert messages={messagesFor(errors, 'id')} />}
      {a.status !== 'EXPIRED' && (
        <Field label="Reason" hint={a.status === 'ACTIVE' ? 'Required to suspend: recorded with the agreement and told to its parties.' : 'Recorded with the agreement.'} errors={messagesFor(errors, 'reason')}>
          {(p) => <textarea {...p} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      )}
      <div className="buttons">
        {a.status === 'DRAFT' && (
          <button type="button" disabled={busy} onClick={() => run('activate')}>
            Activate
          </button>
        )}
        {a.status === 'ACTIVE' && (
          <button type="button" className="danger" disabled={busy} onClick={() => run('suspend')}>
            Suspend
          </button>
        )}
        {a.status === 'SUSPENDED' && (
          <button type="button" disabled={busy} onClick={() => run('reinstate')}>
            Reinstate
          </button>
        )}
        {a.status !== 'EXPIRED' && (
          <button type="button" className="danger" disabled={busy} onClick={() => run('expire')}>
            Expire now
          </button>
        )}
        {a.status === 'EXPIRED' && <p>An expired agreement has ended for good.</p>}
      </div>
      <p role="status" className="hint">
        {last && !state.error && !state.fetching && state.data && `Done: the agreement is now ${label(a.status).toLowerCase()}.`}
      </p>
      <EditAgreement key={a.status} agreement={a} />
    </section>
  );
}
