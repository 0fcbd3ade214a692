import { label } from '../../lib/ui';
import type { AssessmentMethod, AssessmentStatus, Confidence, PriorityBand } from '../../gql/graphql';

/**
 * The scoring model in force, as the server serves it (assessmentModel.definition), and the
 * scores computed exactly as server/src/modules/assessments/assessment-model.ts computes them, so
 * the screen shows the score and band the server will store while the assessor is still scoring.
 */

export const groups = [
  {
    key: 'harm',
    title: 'Harm',
    intro: 'How much harm the criminality causes. Harm and likelihood together make the risk score.',
    factors: [
      ['physical', 'Physical harm', 'Injury, violence or threat to life caused to victims or the public.'],
      ['psychological', 'Psychological harm', 'Fear, trauma and emotional harm to victims, their families and witnesses.'],
      ['financial', 'Financial harm', 'Money lost by victims, businesses or the public purse.'],
      ['communityEnvironment', 'Harm to communities and the environment', 'Damage to neighbourhoods, public confidence or the environment: open drug markets, antisocial behaviour, pollution.'],
      ['geographicScope', 'Geographic reach', 'How far the harm spreads: one neighbourhood, a force area, the region, the country or beyond.'],
    ],
  },
  {
    key: 'likelihood',
    title: 'Likelihood',
    intro: 'How likely the harm is to happen, and to whom.',
    factors: [
      ['victimVulnerability', 'Vulnerability of victims', 'How vulnerable those harmed are: children, exploited adults, people with care needs.'],
      ['frequency', 'How often', 'How often the harm happens.'],
      ['trajectory', 'Direction of travel', 'Whether the harm is growing, steady or falling.'],
    ],
  },
  {
    key: 'organisationalPosition',
    title: 'Organisational position',
    intro: 'How well placed the partnership is to act. Recorded beside the risk, not part of the risk score.',
    factors: [
      ['capacity', 'Capacity', 'Whether the partnership has the people and time to act against the threat.'],
      ['capability', 'Capability', 'Whether it has the skills, powers and tactics needed.'],
      ['opportunity', 'Opportunity', 'Whether there is a realistic chance to act now: intelligence, evidence, a window.'],
    ],
  },
] as const;

export type GroupKey = (typeof groups)[number]['key'];
type FactorsOf<G extends GroupKey> = Extract<(typeof groups)[number], { key: G }>['factors'][number][0];

/** Scores as the form holds them: null until the assessor picks a point of the scale. */
export interface Scores {
  harm: Record<FactorsOf<'harm'>, number | null>;
  likelihood: Record<FactorsOf<'likelihood'>, number | null>;
  organisationalPosition: Record<FactorsOf<'organisationalPosition'>, number | null>;
}

export const emptyScores = (): Scores => ({
  harm: { physical: null, psychological: null, financial: null, communityEnvironment: null, geographicScope: null },
  likelihood: { victimVulnerability: null, frequency: null, trajectory: null },
  organisationalPosition: { capacity: null, capability: null, opportunity: null },
});

export interface ModelDefinition {
  name: string;
  note?: string;
  scale: { min: number; max: number; labels: string[] };
  harm: Record<string, number>;
  likelihood: Record<string, number>;
  organisationalPosition: Record<string, number>;
  confidenceFactor: Record<Confidence, number>;
  priorityBands: { band: PriorityBand; minRisk: number }[];
}

/** The served definition, if it has the shape the screen needs (else null: the screen says so). */
export function asModel(definition: unknown): ModelDefinition | null {
  const d = definition as Partial<ModelDefinition> | null;
  if (!d || typeof d !== 'object' || !d.scale || !Array.isArray(d.scale.labels) || !d.harm || !d.likelihood || !d.organisationalPosition) return null;
  if (!d.confidenceFactor || !Array.isArray(d.priorityBands) || !d.priorityBands.length) return null;
  return d as ModelDefinition;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Weighted mean as a percentage of the scale's maximum, or null while a factor is unscored. */
function weighted(scores: Record<string, number | null>, weights: Record<string, number>, max: number): number | null {
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  if (Object.keys(weights).some((k) => scores[k] == null)) return null;
  if (total === 0) return 0;
  const sum = Object.entries(weights).reduce((acc, [k, w]) => acc + w * (scores[k] as number), 0);
  return (100 * sum) / (total * max);
}

export function bandFor(model: ModelDefinition, risk: number): PriorityBand {
  return (model.priorityBands.find((b) => risk >= b.minRisk) ?? model.priorityBands[model.priorityBands.length - 1]).band;
}

export interface Computed {
  harmScore: number | null;
  likelihoodScore: number | null;
  organisationalPositionScore: number | null;
  riskScore: number | null;
  priority: PriorityBand | null;
}

/** Harm, likelihood, position, risk (harm × likelihood × confidence factor / 100) and band, as the server computes them. */
export function compute(model: ModelDefinition, scores: Scores, confidence: Confidence | null): Computed {
  const harm = weighted(scores.harm, model.harm, model.scale.max);
  const likelihood = weighted(scores.likelihood, model.likelihood, model.scale.max);
  const position = weighted(scores.organisationalPosition, model.organisationalPosition, model.scale.max);
  const risk = harm == null || likelihood == null || !confidence ? null : (harm * likelihood * model.confidenceFactor[confidence]) / 100;
  return {
    harmScore: harm == null ? null : round2(harm),
    likelihoodScore: likelihood == null ? null : round2(likelihood),
    organisationalPositionScore: position == null ? null : round2(position),
    riskScore: risk == null ? null : round2(risk),
    priority: risk == null ? null : bandFor(model, risk),
  };
}

/** A factor's share of its group, as people read weights ("counts for 30% of harm"). */
export function share(model: ModelDefinition, group: GroupKey, factor: string): number {
  const weights = model[group];
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  return total ? Math.round((100 * (weights[factor] ?? 0)) / total) : 0;
}

export function scored(scores: Scores): number {
  return groups.reduce((n, g) => n + Object.values(scores[g.key]).filter((v) => v != null).length, 0);
}

export const factorCount = groups.reduce((n, g) => n + g.factors.length, 0);

export const methodLabels: Record<AssessmentMethod, string> = {
  MORILE_TACTICAL: 'MoRiLE tactical (the current risk of this threat)',
  MORILE_THEMATIC: 'MoRiLE thematic (a type of crime across the region)',
  OCGM_LEGACY: 'Organised crime group mapping (older method)',
};

export const statusLabels: Record<AssessmentStatus, string> = {
  DRAFT: 'Draft',
  SUBMITTED: 'Awaiting approval',
  APPROVED: 'Approved',
  RETURNED: 'Returned for revision',
};

export const confidenceLabels: Record<Confidence, string> = { HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' };

export const ASSESSOR_ROLE = 'THREAT_ASSESSOR';
export const APPROVER_ROLES = ['THREAT_ASSESSOR', 'SRO', 'OCG_COORDINATOR'];

/** As server/src/modules/threats/threat.authority.ts: law enforcement that owns or leads the threat, or the regional unit. */
export function managesThreat(organisation: { id: string; type: string; isLawEnforcement: boolean }, threat: { owningOrganisation: { id: string }; leadOrganisation: { id: string } }): boolean {
  if (!organisation.isLawEnforcement) return false;
  return organisation.type === 'ROCU' || [threat.owningOrganisation.id, threat.leadOrganisation.id].includes(organisation.id);
}

export const notManagingText = 'Only the organisation that owns or leads this threat, or the regional organised crime unit, can score or decide on its assessments.';

/** "Illegal drugs (County lines): the description" for people; never an ID. */
export function activityName(a: { category: string; subCategory?: string | null; description?: string | null }): string {
  return `${label(a.category)}${a.subCategory ? ` (${label(a.subCategory)})` : ''}${a.description ? `: ${a.description}` : ''}`;
}
