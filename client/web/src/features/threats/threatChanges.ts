import { useEffect, useState } from 'react';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
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

/** A query of the threat as it is now, by id: what a form's part of the page shows, and its version. */
export type ThreatNowDocument = TypedDocumentNode<{ node?: { __typename: string; version?: number } | null }, { id: string }>;

/**
 * Saves against the threat's version as the user saw it when they opened the form, so a change
 * someone else made meanwhile is reported, not saved over. On a conflict the threat is fetched as
 * it is now (`now`: by default its members, links and status; the activities panel fetches its
 * activities), the page shows it, and the next try is checked against that version. The conflict
 * is said only once that fetch is done, and `checking` holds the forms' buttons until then: said
 * earlier, a second try at once (the user, or a test, saving again on seeing the message) went
 * against the old version and met the same conflict again.
 */
export function useThreatSave(threatId: string, version: number, now: ThreatNowDocument = ThreatChangeNowDocument) {
  const client = useClient();
  const [seen, setSeen] = useState(version);
  const [conflict, setConflict] = useState(false);
  const [checking, setChecking] = useState(false);
  const attempt = async (save: (expectedVersion: number) => Promise<{ error?: CombinedError; data?: unknown }>) => {
    const result = await save(seen);
    if (conflictIn(result.error)?.currentVersion != null) {
      setChecking(true);
      const current = (await client.query(now, { id: threatId }, { requestPolicy: 'network-only' }).toPromise()).data?.node;
      if (current?.__typename === 'SocThreat' && typeof current.version === 'number') setSeen(current.version);
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
