import { useState, type ReactNode } from 'react';
import { useClient, type OperationResult } from 'urql';
import type { Strand, StrandExemptionInput } from '../../gql/graphql';
import { formatDate, label } from '../../lib/ui';
import { conflictIn, ConflictView, type ConflictRow } from '../records/ConflictView';
import type { Plan } from './PlanEditor';
import { PlanEditorDocument } from './planFields';

/**
 * A plan form folded in a <details>: opening it records the plan as the user sees it (the
 * conflict's `start`), so a later save is checked against that version.
 */
export function PlanFormDetails({ summary, open, setOpen, conflict, children }: { summary: ReactNode; open: boolean; setOpen: (open: boolean) => void; conflict: { start(): void }; children: ReactNode }) {
  return (
    <details
      open={open}
      onToggle={(e) => {
        if (e.currentTarget.open && !open) conflict.start();
        setOpen(e.currentTarget.open);
      }}
    >
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

/**
 * A plan form's view of concurrency: the form saves against the plan as it was when the user
 * opened it (`seen`), so a change someone else made meanwhile is a conflict the user resolves,
 * not something silently saved over. On CONFLICT the plan is fetched as it is now (`current`).
 */
export function usePlanConflict(plan: Plan) {
  const client = useClient();
  const [seen, setSeen] = useState<Plan | null>(null);
  const [current, setCurrent] = useState<Plan | null>(null);

  /** Runs the save at the version the user saw (or `version`); true when it saved. */
  const attempt = async (save: (expectedVersion: number) => Promise<OperationResult>, version = (seen ?? plan).version): Promise<boolean> => {
    const result = await save(version);
    if (conflictIn(result.error)) {
      const now = await client.query(PlanEditorDocument, { id: plan.id }, { requestPolicy: 'network-only' }).toPromise();
      setCurrent(now.data?.node?.__typename === 'FourPPlan' ? (now.data.node as Plan) : null);
      return false;
    }
    setCurrent(null);
    if (!result.error) setSeen(null);
    return !result.error;
  };
  return {
    current,
    attempt,
    /** Call when the form opens: what the user is looking at is what they change. */
    start: () => setSeen(plan),
    /** Saves the user's change again on the current version. */
    keepMine: (save: (expectedVersion: number) => Promise<OperationResult>) => {
      if (!current) return Promise.resolve(false);
      setSeen(current); // the user has now seen this version
      return attempt(save, current.version);
    },
    /** Drops the user's change; the form then shows the plan as it is now. */
    takeTheirs: () => {
      setSeen(null);
      setCurrent(null);
    },
    seenOrNow: () => seen ?? plan,
  };
}

const objectivesIn = (plan: Plan, strand: Strand) => plan.objectives.filter((o) => o.strand === strand).map((o) => o.description);
const actionsIn = (plan: Plan, strand: Strand) =>
  plan.actions.filter((a) => a.strand === strand).map((a) => `${a.description} (${label(a.status)}${a.dueDate ? `, due ${formatDate(a.dueDate)}` : ''})`);

function Lines({ lines }: { lines: string[] }) {
  if (!lines.length) return <span className="empty">none</span>;
  return (
    <ul className="plain">
      {lines.map((l, i) => (
        <li key={i}>{l}</li>
      ))}
    </ul>
  );
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const exemptionLines = (list: readonly StrandExemptionInput[]) => list.map((e) => `${label(e.strand)}: ${e.reason}`);
const exemptionIn = (plan: Plan, strand: Strand) => plan.strandExemptions.find((e) => e.strand === strand)?.reason ?? null;
const Reason = ({ reason }: { reason: string | null }) => (reason === null ? <span className="empty">applies (no exemption)</span> : <>Does not apply: {reason}</>);

/** Both versions of one strand: as the user saw it with their change, and as it is now. */
export function PlanStrandConflict({
  strand,
  seen,
  current,
  change,
  exemptions,
  busy,
  onKeepMine,
  onTakeTheirs,
}: {
  strand: Strand;
  seen: Plan;
  current: Plan;
  /** The user's unsaved change; `theirs`: what the current version has in its place (default: nothing). */
  change: { label: string; mine: ReactNode; theirs?: ReactNode };
  /** For a change to the exemptions (saved as one list): every strand's, the user's list beside the current one. */
  exemptions?: readonly StrandExemptionInput[];
  busy: boolean;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const rows: ConflictRow[] = [
    { label: change.label, mine: change.mine, theirs: change.theirs ?? <span className="empty">not in the current version</span>, differs: true },
    exemptions
      ? {
          label: 'Strands that do not apply',
          mine: <Lines lines={exemptionLines(exemptions)} />,
          theirs: <Lines lines={exemptionLines(current.strandExemptions)} />,
          differs: !same(exemptionLines(exemptions), exemptionLines(current.strandExemptions)),
        }
      : {
          label: `${label(strand)} exemption`,
          mine: <Reason reason={exemptionIn(seen, strand)} />,
          theirs: <Reason reason={exemptionIn(current, strand)} />,
          differs: exemptionIn(seen, strand) !== exemptionIn(current, strand),
        },
    { label: `${label(strand)} objectives`, mine: <Lines lines={objectivesIn(seen, strand)} />, theirs: <Lines lines={objectivesIn(current, strand)} />, differs: !same(objectivesIn(seen, strand), objectivesIn(current, strand)) },
    { label: `${label(strand)} actions`, mine: <Lines lines={actionsIn(seen, strand)} />, theirs: <Lines lines={actionsIn(current, strand)} />, differs: !same(actionsIn(seen, strand), actionsIn(current, strand)) },
    { label: 'Plan version', mine: seen.version, theirs: current.version, differs: seen.version !== current.version },
  ];
  return <ConflictView what="plan" changedBy={current.updatedBy.displayName} rows={rows} busy={busy} onKeepMine={onKeepMine} onTakeTheirs={onTakeTheirs} />;
}

const lroName = (plan: Plan) => plan.lro?.displayName ?? null;
const Officer = ({ name }: { name: string | null }) => (name === null ? <span className="empty">none named</span> : <>{name}</>);

/** Both versions of the plan's LRO: the user's choice and the one they saw, beside the one now saved. */
export function PlanLroConflict({ seen, current, chosen, busy, onKeepMine, onTakeTheirs }: { seen: Plan; current: Plan; chosen: string | null; busy: boolean; onKeepMine: () => void; onTakeTheirs: () => void }) {
  const rows: ConflictRow[] = [
    { label: 'Lead responsible officer', mine: <Officer name={chosen} />, theirs: <Officer name={lroName(current)} />, differs: chosen !== lroName(current) },
    { label: 'LRO when you opened the plan', mine: <Officer name={lroName(seen)} />, theirs: <Officer name={lroName(current)} />, differs: lroName(seen) !== lroName(current) },
    { label: 'Plan version', mine: seen.version, theirs: current.version, differs: seen.version !== current.version },
  ];
  return <ConflictView what="plan" changedBy={current.updatedBy.displayName} rows={rows} busy={busy} onKeepMine={onKeepMine} onTakeTheirs={onTakeTheirs} />;
}

/**
 * Both versions of the plan for a change that is not one strand's (its status, a review, an
 * entry, removing an action): the user's change, then the plan's status, next review and version
 * as they saw them beside the current ones.
 */
export function PlanChangeConflict({ seen, current, change, busy, onKeepMine, onTakeTheirs }: { seen: Plan; current: Plan; change: { label: string; mine: ReactNode; theirs?: ReactNode }; busy: boolean; onKeepMine: () => void; onTakeTheirs: () => void }) {
  const review = (p: Plan) => formatDate(p.nextReviewDue) || 'none due';
  const rows: ConflictRow[] = [
    { label: change.label, mine: change.mine, theirs: change.theirs ?? <span className="empty">not in the current version</span>, differs: true },
    { label: 'Plan status', mine: label(seen.status), theirs: label(current.status), differs: seen.status !== current.status },
    { label: 'Next review', mine: review(seen), theirs: review(current), differs: review(seen) !== review(current) },
    { label: 'Plan version', mine: seen.version, theirs: current.version, differs: seen.version !== current.version },
  ];
  return <ConflictView what="plan" changedBy={current.updatedBy.displayName} rows={rows} busy={busy} onKeepMine={onKeepMine} onTakeTheirs={onTakeTheirs} />;
}
