import type { Confidence, PriorityBand } from '../../gql/graphql';
import { label } from '../../lib/ui';
import { confidenceLabels, groups, type GroupKey, type ModelDefinition } from './model';

/**
 * The next version of the scoring model as the administrator's form holds it (every value as
 * typed, so a half-typed number is kept rather than lost), turned into the definition the server
 * checks, and compared in plain words with the version in force.
 */

export const bands: PriorityBand[] = ['HIGH', 'MEDIUM', 'LOW', 'STANDARD'];
export const confidences: Confidence[] = ['HIGH', 'MEDIUM', 'LOW'];
const upliftKeys = ['breadthUpliftPerActivity', 'breadthUpliftMinRisk', 'maxBreadthUplift'] as const;
type UpliftKey = (typeof upliftKeys)[number];

/** The whole definition, as served (assessmentModel.definition). */
export interface FullDefinition extends ModelDefinition {
  threatPriority: Record<UpliftKey, number>;
  reviewPeriodDays: number;
}

export interface Draft {
  name: string;
  scaleMax: string;
  labels: string[];
  weights: Record<GroupKey, Record<string, string>>;
  confidence: Record<Confidence, string>;
  bands: Record<PriorityBand, string>;
  uplift: Record<UpliftKey, string>;
  reviewPeriodDays: string;
}

const text = (n: number | undefined) => (n == null ? '' : String(n));

export function draftOf(d: FullDefinition): Draft {
  return {
    name: d.name,
    scaleMax: text(d.scale.max),
    labels: [...d.scale.labels],
    weights: Object.fromEntries(groups.map((g) => [g.key, Object.fromEntries(g.factors.map(([f]) => [f, text(d[g.key][f])]))])) as Draft['weights'],
    confidence: Object.fromEntries(confidences.map((c) => [c, text(d.confidenceFactor[c])])) as Draft['confidence'],
    bands: Object.fromEntries(bands.map((b) => [b, text(d.priorityBands.find((x) => x.band === b)?.minRisk)])) as Draft['bands'],
    uplift: Object.fromEntries(upliftKeys.map((k) => [k, text(d.threatPriority?.[k])])) as Draft['uplift'],
    reviewPeriodDays: text(d.reviewPeriodDays),
  };
}

/** A number as typed; anything else is sent as typed, for the server to name the field at fault. */
function num(value: string): number | string {
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

/** The scale's labels follow its top point: one per point, those already typed kept. */
export function withScaleMax(draft: Draft, scaleMax: string): Draft {
  const max = Number(scaleMax);
  const labels = Number.isInteger(max) && max >= 1 && max <= 10 ? Array.from({ length: max + 1 }, (_, i) => draft.labels[i] ?? '') : draft.labels;
  return { ...draft, scaleMax, labels };
}

/** The definition to preview and publish: what the form holds over the version in force (its other parts kept). */
export function definitionOf(draft: Draft, current: FullDefinition): unknown {
  return {
    ...current,
    name: draft.name.trim(),
    scale: { min: 0, max: num(draft.scaleMax), labels: draft.labels.map((l) => l.trim()) },
    ...Object.fromEntries(groups.map((g) => [g.key, Object.fromEntries(g.factors.map(([f]) => [f, num(draft.weights[g.key][f])]))])),
    confidenceFactor: Object.fromEntries(confidences.map((c) => [c, num(draft.confidence[c])])),
    priorityBands: bands.map((b) => ({ band: b, minRisk: num(draft.bands[b]) })),
    threatPriority: Object.fromEntries(upliftKeys.map((k) => [k, num(draft.uplift[k])])),
    reviewPeriodDays: num(draft.reviewPeriodDays),
  };
}

export const upliftWords: Record<UpliftKey, string> = {
  breadthUpliftPerActivity: 'Added to a threat’s risk for each further significant activity',
  breadthUpliftMinRisk: 'Risk score from which an activity counts as significant',
  maxBreadthUplift: 'Most that can be added for further activities',
};

/** One line per thing that differs, in words: "Physical harm: weight 3 → 4 (share of harm 33% → 40%)". */
export function changesBetween(before: FullDefinition, after: FullDefinition): string[] {
  const out: string[] = [];
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  if (before.name !== after.name) out.push(`Name: “${before.name}” → “${after.name}”`);
  if (before.scale.max !== after.scale.max) out.push(`Scale: 0 to ${before.scale.max} → 0 to ${after.scale.max}`);
  if (differs(before.scale.labels, after.scale.labels)) out.push(`Scale words: ${before.scale.labels.join(', ')} → ${after.scale.labels.join(', ')}`);
  for (const g of groups) {
    const total = (d: FullDefinition) => Object.values(d[g.key]).reduce((a, b) => a + b, 0);
    const share = (d: FullDefinition, f: string) => (total(d) ? Math.round((100 * d[g.key][f]) / total(d)) : 0);
    for (const [f, name] of g.factors) {
      if (before[g.key][f] !== after[g.key][f]) {
        out.push(`${name}: weight ${before[g.key][f]} → ${after[g.key][f]} (share of ${g.title.toLowerCase()} ${share(before, f)}% → ${share(after, f)}%)`);
      }
    }
  }
  for (const c of confidences) {
    if (before.confidenceFactor[c] !== after.confidenceFactor[c]) out.push(`${confidenceLabels[c]} confidence: risk multiplied by ${before.confidenceFactor[c]} → ${after.confidenceFactor[c]}`);
  }
  for (const b of bands) {
    const was = before.priorityBands.find((x) => x.band === b)?.minRisk;
    const now = after.priorityBands.find((x) => x.band === b)?.minRisk;
    if (was !== now) out.push(`${label(b)} priority: starts at risk score ${was} → ${now}`);
  }
  for (const k of upliftKeys) {
    if (before.threatPriority?.[k] !== after.threatPriority?.[k]) out.push(`${upliftWords[k]}: ${before.threatPriority?.[k]} → ${after.threatPriority?.[k]}`);
  }
  if (before.reviewPeriodDays !== after.reviewPeriodDays) out.push(`Review an assessment after: ${before.reviewPeriodDays} days → ${after.reviewPeriodDays} days`);
  return out;
}
