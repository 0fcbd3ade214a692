import { z } from 'zod';
import defaultDefinition from './morile-model.default.json';
import { PriorityBand, type Confidence } from './assessment.enums';

const weights = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().min(0).max(100)])) as Record<K, z.ZodNumber>).strict();

export const HARM_FACTORS = ['physical', 'psychological', 'financial', 'communityEnvironment', 'geographicScope'] as const;
export const LIKELIHOOD_FACTORS = ['victimVulnerability', 'frequency', 'trajectory'] as const;
export const POSITION_FACTORS = ['capacity', 'capability', 'opportunity'] as const;

/**
 * The scoring model: scales, weights and band thresholds. Held as versioned configuration
 * (the national values are not public): the committed default is version 1 and an admin
 * publishes new versions; each assessment stores the version it was scored with.
 */
export const modelDefinitionSchema = z
  .object({
    name: z.string().min(1),
    note: z.string().optional(),
    scale: z.object({ min: z.literal(0), max: z.number().int().min(1).max(10), labels: z.array(z.string()) }),
    harm: weights(HARM_FACTORS),
    likelihood: weights(LIKELIHOOD_FACTORS),
    organisationalPosition: weights(POSITION_FACTORS),
    confidenceFactor: z.object({ HIGH: z.number().min(0).max(1), MEDIUM: z.number().min(0).max(1), LOW: z.number().min(0).max(1) }),
    priorityBands: z
      .array(z.object({ band: z.enum(PriorityBand), minRisk: z.number().min(0).max(100) }))
      .length(4)
      .refine((b) => b.every((x, i) => i === 0 || b[i - 1].minRisk > x.minRisk), 'each band must start below the one before it, highest first')
      .refine((b) => b[b.length - 1].minRisk === 0, 'the lowest band (Standard) must start at 0'),
    threatPriority: z.object({
      breadthUpliftPerActivity: z.number().min(0).max(50),
      breadthUpliftMinRisk: z.number().min(0).max(100),
      maxBreadthUplift: z.number().min(0).max(100),
    }),
    reviewPeriodDays: z.number().int().min(1).max(730),
  })
  .refine((d) => d.scale.labels.length === d.scale.max + 1, { message: 'needs one word for each point of the scale', path: ['scale', 'labels'] });

export type ModelDefinition = z.infer<typeof modelDefinitionSchema>;

export const defaultModel: ModelDefinition = modelDefinitionSchema.parse(defaultDefinition);

export interface FactorScores {
  harm: Record<(typeof HARM_FACTORS)[number], number>;
  likelihood: Record<(typeof LIKELIHOOD_FACTORS)[number], number>;
  organisationalPosition: Record<(typeof POSITION_FACTORS)[number], number>;
}

export interface ComputedScores {
  harmScore: number;
  likelihoodScore: number;
  organisationalPositionScore: number;
  riskScore: number;
  priority: PriorityBand;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Weighted mean of factor scores as a percentage of the scale's maximum (0-100). */
function weighted(scores: Record<string, number>, w: Record<string, number>, max: number): number {
  const total = Object.values(w).reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const sum = Object.entries(w).reduce((acc, [k, weight]) => acc + weight * scores[k], 0);
  return (100 * sum) / (total * max);
}

export function bandFor(model: ModelDefinition, risk: number): PriorityBand {
  return model.priorityBands.find((b) => risk >= b.minRisk)!.band;
}

/** Harm, likelihood, organisational position, risk (harm × likelihood, moderated by confidence) and band. */
export function scoreAssessment(model: ModelDefinition, scores: FactorScores, confidence: Confidence): ComputedScores {
  const harmScore = weighted(scores.harm, model.harm, model.scale.max);
  const likelihoodScore = weighted(scores.likelihood, model.likelihood, model.scale.max);
  const organisationalPositionScore = weighted(scores.organisationalPosition, model.organisationalPosition, model.scale.max);
  const riskScore = (harmScore * likelihoodScore * model.confidenceFactor[confidence]) / 100;
  return {
    harmScore: round2(harmScore),
    likelihoodScore: round2(likelihoodScore),
    organisationalPositionScore: round2(organisationalPositionScore),
    riskScore: round2(riskScore),
    priority: bandFor(model, riskScore),
  };
}

/**
 * A threat's overall risk from every approved assessment it has (the whole threat's and each
 * activity's), never from one "principal" activity: the highest risk, raised for each further
 * activity that is itself a significant risk, so a group's breadth of criminality counts.
 */
export function threatRisk(model: ModelDefinition, wholeThreatRisk: number | null, activityRisks: number[]): number | null {
  const all = [...activityRisks, ...(wholeThreatRisk == null ? [] : [wholeThreatRisk])];
  if (!all.length) return null;
  const highest = Math.max(...all);
  const { breadthUpliftPerActivity, breadthUpliftMinRisk, maxBreadthUplift } = model.threatPriority;
  const significantActivities = activityRisks.filter((r) => r >= breadthUpliftMinRisk).length;
  const uplift = Math.min(maxBreadthUplift, Math.max(0, significantActivities - 1) * breadthUpliftPerActivity);
  return round2(Math.min(100, highest + uplift));
}
