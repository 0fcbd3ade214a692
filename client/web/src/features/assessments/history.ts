import type { AssessmentMethod, AssessmentStatus, Confidence } from '../../gql/graphql';
import { formatDate, formatDateTime, label } from '../../lib/ui';
import { confidenceLabels, groups, methodLabels, statusLabels } from './model';

/** One change to an assessment as people read it: no field names, enum spellings, IDs or JSON. */
export interface ShownChange {
  key: string;
  label: string;
  from: string;
  to: string;
}

const fieldLabels: Record<string, string> = {
  status: 'Status',
  priority: 'Priority',
  riskScore: 'Risk score',
  harmScore: 'Harm',
  likelihoodScore: 'Likelihood',
  organisationalPositionScore: 'Organisational position',
  statusReason: 'Reason for returning',
  rationale: 'Rationale',
  method: 'Method',
  confidence: 'Confidence',
  reviewDue: 'Review due',
  modelVersion: 'Scoring model version',
  decidedAt: 'Decided',
};

const factorTitles: Record<string, string> = Object.fromEntries(groups.flatMap((g) => g.factors.map(([f, title]) => [`${g.key}.${f}`, title])));

const parsed = (value: unknown): Record<string, Record<string, number>> | null => {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value);
    } catch {
      return null;
    }
  }
  return value && typeof value === 'object' ? (value as Record<string, Record<string, number>>) : null;
};

function text(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (field === 'status') return statusLabels[value as AssessmentStatus] ?? label(String(value));
  if (field === 'method') return methodLabels[value as AssessmentMethod]?.replace(/ \(.*\)$/, '') ?? label(String(value));
  if (field === 'confidence') return confidenceLabels[value as Confidence] ?? label(String(value));
  if (field === 'priority') return label(String(value));
  if (field === 'reviewDue') return formatDate(value);
  if (field.endsWith('At')) return formatDateTime(value);
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** An assessment's recorded changes for the history list: factor by factor, IDs and who-fields left out (the entry names the person). */
export function assessmentChanges(changes: { field: string; from?: unknown; to?: unknown }[]): ShownChange[] {
  return changes.flatMap((c): ShownChange[] => {
    if (/(Id|By)$/.test(c.field) || c.field === 'threat' || c.field === 'criminalActivity') return [];
    if (c.field === 'scores') {
      const from = parsed(c.from);
      const to = parsed(c.to);
      if (!to) return [];
      if (!from) return [{ key: 'scores', label: 'Factor scores', from: '', to: 'every factor scored' }];
      return Object.entries(factorTitles)
        .map(([path, title]) => {
          const [group, factor] = path.split('.');
          return { key: path, label: title, from: String(from[group]?.[factor] ?? ''), to: String(to[group]?.[factor] ?? '') };
        })
        .filter((x) => x.from !== x.to);
    }
    const name = fieldLabels[c.field] ?? label(c.field.replace(/([a-z])([A-Z])/g, '$1_$2'));
    return [{ key: c.field, label: name, from: text(c.field, c.from), to: text(c.field, c.to) }];
  });
}
