import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useClient, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { PlanDraftActionInput, PlanDraftInput, PlanDraftObjectiveInput, PlanDraftPartnerInput, PlanProblemCode, Strand, StrandExemptionInput } from '../../gql/graphql';
import type { Plan } from './PlanEditor';

/**
 * The plan editor's live quality gate. The forms report what is being typed (a part of the draft
 * each); the gate asks the server for the gate with those unsaved changes applied
 * (`planQualityPreview`, the server's own rules: the client judges nothing), debounced, and
 * ignores answers to drafts that have since changed. Problems are then shown against the saved
 * gate: open, about to be resolved by the draft, or brought in by it.
 */

const PlanQualityPreviewDocument = graphql(`
  query PlanQualityPreview($planId: ID!, $draft: PlanDraftInput!) {
    planQualityPreview(planId: $planId, draft: $draft) {
      score
      passes
      checksMade
      checksPassed
      problems {
        code
        message
        strand
        criminalActivity {
          id
        }
      }
    }
  }
`);

/** How long typing must pause before the gate is asked again. */
export const PREVIEW_DELAY_MS = 300;

/** What one form adds to the draft. */
export interface DraftPart {
  objectives?: PlanDraftObjectiveInput[];
  actions?: PlanDraftActionInput[];
  partners?: PlanDraftPartnerInput[];
  /** The LRO being chosen (null: none); omitted: as saved. */
  lroId?: string | null;
  /** Strands being recorded as not applying, with the reason. */
  exempt?: StrandExemptionInput[];
  /** Strands whose recorded exemption is being removed. */
  unexempt?: Strand[];
}

/**
 * The plan's whole list of exemptions once `changes` are saved: updatePlan (and the draft)
 * replace the list, so the forms, which each change one strand, send the saved list with their
 * change applied. The preview and the save use this one function, so they mean the same.
 */
export function exemptionsAfter(saved: readonly StrandExemptionInput[], changes: Pick<DraftPart, 'exempt' | 'unexempt'>[]): StrandExemptionInput[] {
  const byStrand = new Map(saved.map((e) => [e.strand, { strand: e.strand, reason: e.reason }]));
  for (const c of changes) {
    for (const s of c.unexempt ?? []) byStrand.delete(s);
    for (const e of c.exempt ?? []) byStrand.set(e.strand, { strand: e.strand, reason: e.reason });
  }
  return [...byStrand.values()];
}

export interface GateProblem {
  code: PlanProblemCode;
  message: string;
  strand?: Strand | null;
  criminalActivity?: { id: string } | null;
}

/** open: saved and still there with the draft; resolving: the draft resolves it; new: the draft brings it. */
export type ProblemState = 'open' | 'resolving' | 'new';
export interface ShownProblem extends GateProblem {
  state: ProblemState;
}

interface Quality {
  score: number;
  passes: boolean;
  checksMade: number;
  checksPassed: number;
  problems: GateProblem[];
}

interface Gate {
  /** The saved gate; null when withheld (partner organisations). */
  saved: Quality | null;
  /** The gate with the draft applied, once the server has answered for the current draft. */
  preview: Quality | null;
  /** A draft is being typed and the server's answer for it is not in yet. */
  pending: boolean;
  /** Answers that came after a newer request had gone out, so were ignored. */
  staleAnswers: number;
  error: CombinedError | null;
  problems: ShownProblem[];
  setPart: (key: string, part: DraftPart | null) => void;
}

const GateContext = createContext<Gate | null>(null);

const problemKey = (p: GateProblem) => `${p.code}:${p.strand ?? ''}:${p.criminalActivity?.id ?? ''}`;

/** The saved problems marked against the preview's, then the ones only the draft has. */
function compare(saved: GateProblem[], preview: GateProblem[] | null): ShownProblem[] {
  if (!preview) return saved.map((p) => ({ ...p, state: 'open' }));
  const withDraft = new Set(preview.map(problemKey));
  const before = new Set(saved.map(problemKey));
  return [
    ...saved.map((p) => ({ ...p, state: withDraft.has(problemKey(p)) ? ('open' as const) : ('resolving' as const) })),
    ...preview.filter((p) => !before.has(problemKey(p))).map((p) => ({ ...p, state: 'new' as const })),
  ];
}

/**
 * The parts put together as one draft, or null when nothing is being typed. The LRO and the
 * exemptions are sent only when a form changes them (omitted means "as saved").
 */
function draftOf(parts: Record<string, DraftPart>, savedExemptions: readonly StrandExemptionInput[]): PlanDraftInput | null {
  const all = Object.values(parts);
  if (!all.length) return null;
  const lro = all.find((p) => p.lroId !== undefined);
  const exemptionChanges = all.filter((p) => p.exempt?.length || p.unexempt?.length);
  return {
    ...(lro ? { lroId: lro.lroId } : {}),
    ...(exemptionChanges.length ? { strandExemptions: exemptionsAfter(savedExemptions, exemptionChanges) } : {}),
    objectives: all.flatMap((p) => p.objectives ?? []),
    actions: all.flatMap((p) => p.actions ?? []),
    partners: all.flatMap((p) => p.partners ?? []),
  };
}

/**
 * Asks the server for the gate of `draft` a pause after it last changed. Each request is
 * numbered; only the answer to the latest is kept, so a slow answer to an older draft never
 * replaces a newer one.
 */
function useGatePreview(planId: string, version: number, draft: PlanDraftInput | null) {
  const client = useClient();
  const key = draft && JSON.stringify([planId, version, draft]);
  const [answer, setAnswer] = useState<{ key: string; quality: Quality | null; error: CombinedError | null } | null>(null);
  const [staleAnswers, setStaleAnswers] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const request = ++latest.current;
    if (!key || !draft) return;
    const timer = setTimeout(async () => {
      const result = await client.query(PlanQualityPreviewDocument, { planId, draft }, { requestPolicy: 'network-only' }).toPromise();
      // The draft changed since: this answer is stale (answers can arrive out of order).
      if (request !== latest.current) return setStaleAnswers((n) => n + 1);
      setAnswer({ key, quality: result.data?.planQualityPreview ?? null, error: result.error ?? null });
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
    // `key` stands for planId, version and draft.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (!key) return { preview: null, pending: false, error: null, staleAnswers };
  // While the answer for the current draft is awaited, the last one stays shown, marked as pending.
  return { preview: answer?.quality ?? null, pending: answer?.key !== key, error: answer?.key === key ? answer.error : null, staleAnswers };
}

/** Holds the plan editor's draft and its previewed gate for the forms and notes inside it. */
export function PlanGate({ plan, children }: { plan: Plan; children: ReactNode }) {
  const [parts, setParts] = useState<Record<string, DraftPart>>({});
  const setPart = useCallback((key: string, part: DraftPart | null) => {
    setParts((current) => {
      if (JSON.stringify(current[key] ?? null) === JSON.stringify(part)) return current;
      const next = { ...current };
      if (part) next[key] = part;
      else delete next[key];
      return next;
    });
  }, []);
  const draft = useMemo(() => (plan.quality ? draftOf(parts, plan.strandExemptions) : null), [parts, plan.quality, plan.strandExemptions]);
  const { preview, pending, error, staleAnswers } = useGatePreview(plan.id, plan.version, draft);
  const shownPreview = draft ? preview : null;
  const gate = useMemo<Gate>(
    () => ({ saved: plan.quality ?? null, preview: shownPreview, pending, error, staleAnswers, problems: compare(plan.quality?.problems ?? [], shownPreview?.problems ?? null), setPart }),
    [plan.quality, shownPreview, pending, error, staleAnswers, setPart],
  );
  return <GateContext.Provider value={gate}>{children}</GateContext.Provider>;
}

export function useGate(): Gate {
  const gate = useContext(GateContext);
  if (!gate) throw new Error('useGate outside PlanGate');
  return gate;
}

/** Called by a form with what it adds to the draft (null: nothing yet); withdrawn when the form goes. */
export function useDraftPart(key: string, part: DraftPart | null): void {
  const gate = useContext(GateContext);
  const setPart = gate?.setPart;
  const json = JSON.stringify(part);
  useEffect(() => {
    if (!setPart) return;
    setPart(key, JSON.parse(json) as DraftPart | null);
    return () => setPart(key, null);
  }, [setPart, key, json]);
}

/** Short names for a problem where it is shown beside a field; the full message is in the gate's list. */
const NOTE: Record<PlanProblemCode, string> = {
  MISSING_STRAND: 'no objective, and no reason recorded why this strand does not apply',
  ACTIVITY_NOT_ADDRESSED: 'no action addresses this activity',
  NO_LRO: 'no LRO named',
  REVIEW_OVERDUE: 'review overdue',
  PARTNER_NOT_NAMED: 'no partner named for this strand',
};

const AFTER: Record<ProblemState, string> = {
  open: '',
  resolving: ' (resolved once what you are typing is saved)',
  new: ' (with what you are typing)',
};

/** The gate's problems that concern one field, beside it (e.g. one activity's); `block`: each as a line of its own (e.g. under a strand's heading). */
export function GateNote({ match, block = false }: { match: (p: GateProblem) => boolean; block?: boolean }) {
  const gate = useContext(GateContext);
  const problems = gate?.problems.filter(match) ?? [];
  const Tag = block ? 'p' : 'span';
  return (
    <>
      {problems.map((p) => (
        <Tag key={problemKey(p)} className={`hint gate-note gate-${p.state}`} data-state={p.state} title={p.message}>
          {block ? '' : ' '}Quality gate: {NOTE[p.code]}
          {AFTER[p.state]}
        </Tag>
      ))}
    </>
  );
}
