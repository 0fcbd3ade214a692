import { useState, type ComponentProps, type FormEvent, type ReactNode } from 'react';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Link, useNavigate } from 'react-router-dom';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import type { ProtectiveMarking, Sharing, SharingInput } from '../../gql/graphql';
import { sharings } from '../../lib/enums';
import { formErrors } from '../../lib/errors';
import { Loaded } from '../../lib/ui';
import { conflictIn, type ConflictRow, type ConflictView } from './ConflictView';

/**
 * How an edit screen reads its record: the query by id, and the record in its answer (null when
 * the id names nothing the user may see, or a record of another type).
 */
export interface RecordRead<Q, R> {
  query: TypedDocumentNode<Q, { id: string }>;
  recordIn: (data: Q) => R | null;
}

/** What a versioned edit needs of the record it opens on: the version a save is checked against. */
interface AtVersion {
  id: string;
  version: number;
}

/** What it needs of the record read again on a conflict: also who saved that version. */
interface Versioned extends AtVersion {
  updatedBy: { displayName: string };
}

/**
 * Reads the record to edit once, from the server, and keeps it as it was when the form opened:
 * live updates refreshing the cache must not reset the form or the version it saves against.
 */
export function RecordToEdit<Q, R extends { id: string }>({ id, read, missing, children }: { id: string; read: RecordRead<Q, R>; missing: string; children: (record: R) => ReactNode }) {
  const [{ data, fetching, error }] = useQuery({ query: read.query, variables: { id }, requestPolicy: 'network-only' });
  const found = data && read.recordIn(data);
  const [opened, setOpened] = useState<R | null>(null);
  if (found && opened?.id !== found.id) setOpened(found);
  if (data && !found && !opened) return <p role="alert">{missing}</p>;
  return (
    <Loaded data={opened} fetching={fetching} error={error}>
      {children}
    </Loaded>
  );
}

/** An update mutation whose `input` is the record's id, the version the user edited, and their changes `C`. */
type VersionedUpdate<C> = TypedDocumentNode<unknown, { input: C & { id: string; expectedVersion: number } }>;

/** ConflictView's props but the record's name, which the screen gives. */
type ConflictProps = Omit<ComponentProps<typeof ConflictView>, 'what'>;

/** Where the user goes once saved or cancelled: a path, or a function (a form shown in place closes). */
type Leave = string | (() => void);

/** The fields a conflict compares, in order, with their labels; a field left out is not compared. */
type ConflictLabels<V> = { [K in keyof V]?: string };

/**
 * O is the record as the form opened on it (from RecordToEdit, or a form opened in place from a
 * list); R is the record as read again, which also says who saved it.
 */
interface VersionedEditOptions<Q, O extends AtVersion, R extends O & Versioned, V, C> {
  /** The record as the form was opened on. */
  opened: O;
  /** Read again, from the server, when a save meets a newer version. */
  read: RecordRead<Q, R>;
  /** The update mutation. It must accept what changesFrom makes (NoInfer: the changes' type is changesFrom's). */
  update: VersionedUpdate<NoInfer<C>>;
  valuesOf: (record: O) => V;
  /** Only what the user changed since `base`, so saving again after a conflict keeps others' changes to other fields. */
  changesFrom: (base: V, mine: V, record: O) => C;
  labels: ConflictLabels<V>;
  /** A field's value as the conflict shows it. */
  shown: (field: keyof V, value: string) => ReactNode;
  /** Where the user goes once their changes are saved. */
  savedTo: Leave;
}

/** The form's starting point: the values and version the user's changes are measured from and saved against. */
interface Base<R, V> {
  values: V;
  version: number;
  record: R;
}

function conflictRows<V extends { [K in keyof V]: string }>(labels: ConflictLabels<V>, shown: (field: keyof V, value: string) => ReactNode, mine: V, theirs: V): ConflictRow[] {
  return (Object.entries(labels) as [keyof V, string][]).map(([f, label]) => ({ label, mine: shown(f, mine[f]), theirs: shown(f, theirs[f]), differs: mine[f] !== theirs[f] }));
}

/**
 * Saves changes against a version. Saved, the user goes to `savedTo`; refused as a conflict, the
 * record is read again as it is now (`current`), so the user can see both.
 */
function useSaveAtVersion<Q, R extends Versioned, C>({ read, update: mutation, savedTo }: { read: RecordRead<Q, R>; update: VersionedUpdate<C>; savedTo: Leave }) {
  const navigate = useNavigate();
  const client = useClient();
  // The record as it is now, fetched when a save met a newer version; null when there is no conflict.
  const [current, setCurrent] = useState<R | null>(null);
  const [error, setError] = useState<CombinedError | undefined>();
  const [state, update] = useMutation(mutation);
  // Between a refused save and the record read again, Save stays disabled: clicking it would only meet the conflict again.
  const [rereading, setRereading] = useState(false);

  const save = async (record: AtVersion, expectedVersion: number, changes: C) => {
    const result = await update({ input: { id: record.id, expectedVersion, ...changes } });
    setError(result.error);
    if (!result.error) return typeof savedTo === 'string' ? navigate(savedTo) : savedTo();
    if (conflictIn(result.error)) {
      setRereading(true);
      const now = await client.query(read.query, { id: record.id }, { requestPolicy: 'network-only' }).toPromise();
      setCurrent(now.data ? read.recordIn(now.data) : null);
      setRereading(false);
    }
  };
  const forgetConflict = () => {
    setCurrent(null);
    setError(undefined);
  };
  return { save, current, error, busy: state.fetching || rereading, forgetConflict };
}

/**
 * An edit form that saves against the version it was opened on. A save that meets a newer version
 * (a conflict) fetches the record as it is now, and `conflict` has both for a ConflictView: "keep
 * mine" saves the user's changes again on the new version, "take theirs" starts again from it.
 */
export function useVersionedEdit<Q, O extends AtVersion, R extends O & Versioned, V extends { [K in keyof V]: string }, C>(options: VersionedEditOptions<Q, O, R, V, C>) {
  const { valuesOf, changesFrom } = options;
  const baseOn = (record: O): Base<O, V> => ({ values: valuesOf(record), version: record.version, record });
  const [base, setBase] = useState(() => baseOn(options.opened));
  const [values, setValues] = useState(base.values);
  const saving = useSaveAtVersion<Q, R, C>(options);
  const { current } = saving;

  // Always measured from the base, so "keep mine" sends only what this user changed.
  const saveMine = (record: O, version: number) => void saving.save(record, version, changesFrom(base.values, values, record));
  const takeTheirs = (theirs: R) => {
    setBase(baseOn(theirs));
    setValues(valuesOf(theirs));
    saving.forgetConflict();
  };
  const conflict: ConflictProps | null = current
    ? {
        changedBy: current.updatedBy.displayName,
        rows: conflictRows(options.labels, options.shown, values, valuesOf(current)),
        busy: saving.busy,
        onKeepMine: () => saveMine(current, current.version),
        onTakeTheirs: () => takeTheirs(current),
      }
    : null;

  return {
    base,
    values,
    set: (changes: Partial<V>) => setValues({ ...values, ...changes }),
    // A conflict is shown beside the current version, not as a message.
    errors: formErrors(conflictIn(saving.error) ? undefined : saving.error),
    busy: saving.busy,
    conflict,
    submit: (e: FormEvent) => {
      e.preventDefault();
      saveMine(base.record, base.version);
    },
  };
}

/**
 * The end of a versioned edit form: Save waits while a save is under way or a conflict awaits the
 * user's choice; Cancel goes back to the record (or closes a form shown in place); the hint says
 * which version is being edited.
 */
export function VersionedEditActions({ edit, cancelTo }: { edit: { busy: boolean; conflict: ConflictProps | null; base: { version: number } }; cancelTo: Leave }) {
  return (
    <>
      <div className="buttons">
        <button type="submit" disabled={edit.busy || !!edit.conflict}>
          Save changes
        </button>
        {typeof cancelTo === 'string' ? (
          <Link className="button" to={cancelTo}>
            Cancel
          </Link>
        ) : (
          <button type="button" onClick={cancelTo}>
            Cancel
          </button>
        )}
      </div>
      <p className="hint">Editing version {edit.base.version}.</p>
    </>
  );
}

/** The sharing and marking as an edit form holds them. */
interface AccessValues {
  sharing: Sharing;
  protectiveMarking: ProtectiveMarking;
}

/**
 * The access to send when the user changed the sharing or marking (undefined when they did not).
 * Named organisations are sent as they are: these forms do not choose them.
 */
export function changedAccess(base: AccessValues, mine: AccessValues, record: { sharedWith: readonly { id: string }[] }): SharingInput | undefined {
  if (mine.sharing === base.sharing && mine.protectiveMarking === base.protectiveMarking) return undefined;
  return {
    sharing: mine.sharing,
    protectiveMarking: mine.protectiveMarking,
    ...(mine.sharing === 'NAMED_ORGANISATIONS' ? { sharedWithIds: record.sharedWith.map((o) => o.id) } : {}),
  };
}

/** The sharings an edit form offers: named organisations only to a record already shared so, as these forms do not choose them. */
export const sharingChoices = (record: { sharing: Sharing }) => sharings.filter((s) => s !== 'NAMED_ORGANISATIONS' || record.sharing === 'NAMED_ORGANISATIONS');
