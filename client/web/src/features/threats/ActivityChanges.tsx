import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { formErrors, unclaimedMessages, type FormErrors } from '../../lib/errors';
import { FormAlert, label } from '../../lib/ui';
import { ActivityFields, activityInput, activityValues, blankActivity, missingActivityParts, plainWords, type ActivityValues } from './activityFields';
import { useThreatSave } from './threatChanges';
import type { ThreatDetail } from './types';

/** What a change to the activities alters on the threat page: the page updates from the answer. */
export const ThreatActivityParts = graphql(`
  fragment ThreatActivityParts on SocThreat {
    id
    version
    criminalActivities {
      id
      category
      subCategory
      description
      firstIdentified
      lastEvidenced
      withheld {
        field
        reason
      }
      assessment {
        id
        priority
        status
        riskScore
      }
    }
    unassessedActivities {
      id
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

const ThreatActivitiesNowDocument = graphql(`
  query ThreatActivitiesNow($id: ID!) {
    node(id: $id) {
      __typename
      id
      ...ThreatActivityParts
    }
  }
`);

const AddCriminalActivityDocument = graphql(`
  mutation AddCriminalActivity($input: AddCriminalActivityInput!) {
    addCriminalActivity(input: $input) {
      ...ThreatActivityParts
    }
  }
`);

const UpdateCriminalActivityDocument = graphql(`
  mutation UpdateCriminalActivity($input: UpdateCriminalActivityInput!) {
    updateCriminalActivity(input: $input) {
      ...ThreatActivityParts
    }
  }
`);

const RemoveCriminalActivityDocument = graphql(`
  mutation RemoveCriminalActivity($input: RemoveCriminalActivityInput!) {
    removeCriminalActivity(input: $input) {
      ...ThreatActivityParts
    }
  }
`);

type Activity = ThreatDetail['criminalActivities'][number];

/** What is open under the activities: adding one, changing one, or removing one. */
export type ActivityChange = { kind: 'add' } | { kind: 'edit'; activity: Activity } | { kind: 'remove'; activity: Activity };

const conflictMessage =
  'Someone else changed this threat just before you: nothing of yours was saved. The activities above are now as they are; check them, then save again.';

/** The panel under the activities table for the open change; `onDone` closes it. */
export function ActivityChangePanel({ threatId, version, change, onDone }: { threatId: string; version: number; change: ActivityChange; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [change.kind]);
  const title =
    change.kind === 'add' ? 'Add a criminal activity' : change.kind === 'edit' ? `Change ${label(change.activity.category).toLowerCase()} activity` : `Remove ${label(change.activity.category).toLowerCase()} activity`;
  return (
    <section className="decision" aria-labelledby="activity-change">
      <h3 id="activity-change" ref={heading} tabIndex={-1}>
        {title}
      </h3>
      {change.kind === 'remove' ? (
        <RemoveActivity threatId={threatId} version={version} activity={change.activity} onDone={onDone} />
      ) : (
        <ActivityForm threatId={threatId} version={version} activity={change.kind === 'edit' ? change.activity : null} onDone={onDone} />
      )}
    </section>
  );
}

const claimed = ['activity', 'id', 'threatId'];

function ActivityForm({ threatId, version, activity, onDone }: { threatId: string; version: number; activity: Activity | null; onDone: () => void }) {
  const [value, setValue] = useState<ActivityValues>(() => (activity ? activityValues(activity) : blankActivity));
  const [missing, setMissing] = useState<FormErrors | null>(null);
  const [added, add] = useMutation(AddCriminalActivityDocument);
  const [updated, update] = useMutation(UpdateCriminalActivityDocument);
  const state = activity ? updated : added;
  const { attempt, conflict, checking } = useThreatSave(threatId, version, ThreatActivitiesNowDocument);
  const errors = missing ?? formErrors(conflict ? undefined : state.error);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = missingActivityParts(value, 'activity');
    if (Object.keys(fields).length) return setMissing({ fields, general: [] });
    setMissing(null);
    const input = activityInput(value);
    const saved = await attempt((expectedVersion) =>
      activity ? update({ input: { id: activity.id, expectedVersion, activity: input } }) : add({ input: { threatId, expectedVersion, activity: input } }),
    );
    if (saved) onDone();
  };

  return (
    <form onSubmit={submit} noValidate className="form">
      <FormAlert messages={[...(conflict ? [conflictMessage] : []), ...errors.general, ...unclaimedMessages(errors, claimed).map(plainWords)]} />
      <ActivityFields value={value} set={(changes) => setValue({ ...value, ...changes })} errors={errors} prefix="activity" />
      <div className="buttons">
        <button type="submit" disabled={state.fetching || checking}>
          {activity ? 'Save activity' : 'Add activity'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RemoveActivity({ threatId, version, activity, onDone }: { threatId: string; version: number; activity: Activity; onDone: () => void }) {
  const [state, remove] = useMutation(RemoveCriminalActivityDocument);
  const { attempt, conflict, checking } = useThreatSave(threatId, version, ThreatActivitiesNowDocument);
  const errors = formErrors(conflict ? undefined : state.error);
  const confirm = async () => {
    if (await attempt((expectedVersion) => remove({ input: { id: activity.id, expectedVersion } }))) onDone();
  };
  return (
    <>
      <FormAlert messages={[...(conflict ? [conflictMessage] : []), ...errors.general, ...Object.values(errors.fields).flat().map(plainWords)]} />
      <p>{activity.description}</p>
      <p className="hint">Remove only an activity recorded in error. One that has been assessed cannot be removed: change it instead.</p>
      <div className="buttons">
        <button type="button" className="danger" disabled={state.fetching || checking} onClick={() => void confirm()}>
          Remove activity
        </button>
        <button type="button" onClick={onDone}>
          Keep it
        </button>
      </div>
    </>
  );
}
