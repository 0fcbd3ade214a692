import { PARTNER_STRANDS, PlanActionStatus, PlanProblemCode, PlanStatus, STRANDS, type Strand } from './plan.enums';
import { plainDate } from '../../shared/plain-dates';
import { plainWords } from '../../shared/plain-words';

/**
 * The plan quality gate (docs/domain.md "FourPPlan", inspection finding 2), as a pure function so it
 * can be tested without a database, computed for a whole page of plans from batched loads, and
 * run on a plan with unsaved changes applied ({@link withDraft}, the editor's live preview).
 * The same rules are written in SQL in plan.repository.ts (`GATE_PROBLEM_SQL`) for lists that
 * filter on the gate; the tests check that the two agree.
 */

export interface GateActivity {
  dbId: string;
  category: string;
  description: string;
}

export interface GateInput {
  status: PlanStatus;
  lroId: string | null;
  nextReviewDue: string | null;
  /** Strands recorded as not applying, with the reason. */
  strandExemptions: { strand: Strand }[];
  objectives: { strand: Strand }[];
  actions: { status: PlanActionStatus; addressesActivityIds: string[] }[];
  partners: { strands: Strand[] }[];
  /** Every criminal activity of the plan's threat. */
  activities: GateActivity[];
  /** Today's date, YYYY-MM-DD. */
  today: string;
}

export interface GateProblem<A extends GateActivity = GateActivity> {
  code: PlanProblemCode;
  message: string;
  strand: Strand | null;
  criminalActivity: A | null;
}

export interface GateResult<A extends GateActivity = GateActivity> {
  score: number;
  passes: boolean;
  checksMade: number;
  checksPassed: number;
  problems: GateProblem<A>[];
}

const strandName = (s: Strand) => s.charAt(0) + s.slice(1).toLowerCase();

/** Whether the review is overdue: a past due date, or none at all on an active plan. Closed plans are not reviewed. */
export function reviewOverdue(plan: Pick<GateInput, 'status' | 'nextReviewDue' | 'today'>): boolean {
  if (plan.status === PlanStatus.CLOSED) return false;
  if (!plan.nextReviewDue) return plan.status === PlanStatus.ACTIVE;
  return plan.nextReviewDue < plan.today;
}

/**
 * Runs every check on a plan. Score = round(100 × checks passed / checks made). Checks:
 * one per strand (objective or recorded exemption), one per criminal activity (addressed by an
 * action that is not cancelled), an LRO named, the review not overdue (not made for a closed
 * plan), and a partner named for Prevent and for Protect where that strand applies.
 */
export function assessPlanQuality<A extends GateActivity>(plan: GateInput & { activities: A[] }): GateResult<A> {
  const problems: GateProblem<A>[] = [];
  let checksMade = 0;
  const check = (passed: boolean, problem: Omit<GateProblem<A>, 'strand' | 'criminalActivity'> & Partial<GateProblem<A>>) => {
    checksMade++;
    if (!passed) problems.push({ strand: null, criminalActivity: null, ...problem });
  };

  const exempt = new Set(plan.strandExemptions.map((e) => e.strand));
  const withObjective = new Set(plan.objectives.map((o) => o.strand));
  for (const strand of STRANDS) {
    check(exempt.has(strand) || withObjective.has(strand), {
      code: PlanProblemCode.MISSING_STRAND,
      message: `${strandName(strand)} has no objective and no recorded reason why it does not apply.`,
      strand,
    });
  }

  const addressed = new Set(plan.actions.filter((a) => a.status !== PlanActionStatus.CANCELLED).flatMap((a) => a.addressesActivityIds));
  for (const activity of plan.activities) {
    check(addressed.has(activity.dbId), {
      code: PlanProblemCode.ACTIVITY_NOT_ADDRESSED,
      message: `No action addresses the ${plainWords(activity.category)} activity "${activity.description}".`,
      criminalActivity: activity,
    });
  }

  check(!!plan.lroId, { code: PlanProblemCode.NO_LRO, message: 'No lead responsible officer (LRO) is named.' });

  if (plan.status !== PlanStatus.CLOSED) {
    check(!reviewOverdue(plan), {
      code: PlanProblemCode.REVIEW_OVERDUE,
      message: plan.nextReviewDue ? `The review was due on ${plainDate(plan.nextReviewDue)}.` : 'The plan is active but has no next review date.',
    });
  }

  const partnered = new Set(plan.partners.flatMap((p) => p.strands));
  for (const strand of PARTNER_STRANDS) {
    if (exempt.has(strand)) continue;
    check(partnered.has(strand), {
      code: PlanProblemCode.PARTNER_NOT_NAMED,
      message: `No partner organisation is named for ${strandName(strand)}.`,
      strand,
    });
  }

  const checksPassed = checksMade - problems.length;
  return { score: Math.round((100 * checksPassed) / checksMade), passes: problems.length === 0, checksMade, checksPassed, problems };
}

/**
 * Unsaved changes to a plan, as far as the gate can see them, with ids already checked and
 * decoded (plan.service.ts previewPlanQuality). Each part means what saving it with the matching
 * mutation would do: `lroId` and `strandExemptions` as updatePlan (undefined: unchanged; null
 * clears the LRO; exemptions replace the recorded ones), `objectives` and `actions` added as
 * addObjective and addAction, `partners` named as addPlanPartner (naming one already named
 * replaces its strands).
 */
export interface GateDraft {
  lroId?: string | null;
  strandExemptions?: { strand: Strand }[];
  objectives: { strand: Strand }[];
  actions: { status: PlanActionStatus; addressesActivityIds: string[] }[];
  partners: { organisationId: string; strands: Strand[] }[];
}

type SavedPlan<A extends GateActivity> = Omit<GateInput, 'activities' | 'partners'> & { activities: A[]; partners: { organisationId: string; strands: Strand[] }[] };

/**
 * The gate's input for the plan as it would be once `draft` is saved. The only place that says
 * what a draft does to a plan, so the preview runs {@link assessPlanQuality} itself, unchanged.
 */
export function withDraft<A extends GateActivity>(plan: SavedPlan<A>, draft: GateDraft): SavedPlan<A> {
  const partners = new Map(plan.partners.map((p) => [p.organisationId, p]));
  for (const p of draft.partners) partners.set(p.organisationId, p);
  return {
    ...plan,
    lroId: draft.lroId !== undefined ? draft.lroId : plan.lroId,
    strandExemptions: draft.strandExemptions ?? plan.strandExemptions,
    objectives: [...plan.objectives, ...draft.objectives],
    actions: [...plan.actions, ...draft.actions],
    partners: [...partners.values()],
  };
}
