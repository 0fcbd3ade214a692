import { useEffect, useState } from 'react';
import { useClient, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import { formErrors, type FormErrors } from '../../lib/errors';
import { label } from '../../lib/ui';
import { conflictIn } from '../records/ConflictView';

/**
 * What a change to a threat's members, links or status alters on the threat page: every mutation
 * below answers with it, and the page (the same record in the cache) updates from the answer.
 */
export const ThreatChangeParts = graphql(`
  fragment ThreatChangeParts on SocThreat {
    id
    version
    status
    archiveReason
    closedOn
    nextReviewDue
    members {
      id
      role
      from
      to
      underOffenderManagement
      nominal {
        id
        name
        isChild
      }
    }
    linkedThreats {
      reason
      createdAt
      threat {
        id
        urn
        name
        priority
      }
    }
    history {
      at
      action
      part
      version
      actor {
        id
        displayName
      }
      changes {
        field
        from
        to
      }
    }
  }
`);

const ThreatChangeNowDocument = graphql(`
  query ThreatChangeNow($id: ID!) {
    node(id: $id) {
      __typename
      id
      ...ThreatChangeParts
    }
  }
`);

export const threatConflictMessage =
  'Someone else changed this threat just before you: nothing of yours was saved. The threat above is now as it is; check it, then try again.';

/**
 * The server's messages for a change to a threat. A CONFLICT that is not about the version (the
 * person is already a member, the threats are already linked) is shown in the server's own words,
 * not as someone else's change.
 */
export function threatFormErrors(error: CombinedError | undefined): FormErrors {
  const errors = formErrors(error);
  const clashes = (error?.graphQLErrors ?? []).filter((e) => e.extensions?.code === 'CONFLICT' && typeof e.extensions?.currentVersion !== 'number').map((e) => e.message);
  if (!clashes.length) return errors;
  return { ...errors, general: errors.general.map((m) => clashes.find((c) => m.endsWith(`(${c})`)) ?? m) };
}

/**
 * Saves against the threat's version as the user saw it when they opened the form, so a change
 * someone else made meanwhile is reported, not saved over. On a conflict the threat's members,
 * links and status are fetched as they are now (the page shows them) and the next try is checked
 * against that version.
 */
export function useThreatSave(threatId: string, version: number) {
  const client = useClient();
  const [seen, setSeen] = useState(version);
  const [conflict, setConflict] = useState(false);
  // While the threat is fetched as it is now, after a conflict: the forms' buttons wait.
  const [checking, setChecking] = useState(false);
  const attempt = async (save: (expectedVersion: number) => Promise<{ error?: CombinedError; data?: unknown }>) => {
    const result = await save(seen);
    if (conflictIn(result.error)?.currentVersion != null) {
      setChecking(true);
      const now = await client.query(ThreatChangeNowDocument, { id: threatId }, { requestPolicy: 'network-only' }).toPromise();
      if (now.data?.node?.__typename === 'SocThreat') setSeen(now.data.node.version);
      // Said once the threat as it is now is on the page (and the next try goes against it).
      setChecking(false);
      setConflict(true);
      return false;
    }
    setConflict(false);
    return !result.error;
  };
  return { attempt, conflict, checking };
}

const statusCodes = /\b(TRIGGER_SUBMITTED|UNDER_ASSESSMENT|ASSESSED|ADOPTED|UNDER_REVIEW|ARCHIVED|REJECTED)\b/g;

/** The server's messages about a threat, with its status codes as people say them ("under review"). */
export function plainThreatWords(message: string): string {
  return message
    .replace(statusCodes, (code) => `“${label(code).toLowerCase()}”`)
    .replace(/\barchiveReason\b/g, 'the reason for archiving')
    .replace(/\blinkedThreatId\b/g, 'the threat to link')
    .replace(/\bnominalId\b/g, 'the person')
    .replace(/\bmembershipId\b/g, 'the member');
}

/** The search text, settled for a moment, so each keystroke does not send a query. */
export function useSettled(text: string, ms = 250): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), ms);
    return () => clearTimeout(timer);
  }, [text, ms]);
  return settled;
}
