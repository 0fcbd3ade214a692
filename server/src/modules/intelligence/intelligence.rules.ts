import { z } from 'zod';
import type { Problems } from '../../shared/validation';
import rulesJson from './intelligence-rules.json';
import { HandlingCode, IntelligenceAssessment, SourceEvaluation } from './intelligence.enums';

/**
 * The entry rules for intelligence reports that the domain calls configuration
 * (intelligence-rules.json): which fields are required, which handling codes need their
 * conditions stated, and which gradings raise a flag. Parsed once at start-up; a bad file stops
 * the server, not a request.
 */
const REQUIRABLE = ['receivedOn', 'sourceEvaluation', 'intelligenceAssessment', 'handlingCode', 'sanitisedText', 'originalText', 'sourceReference'] as const;

export const intelligenceRulesSchema = z
  .object({
    note: z.string().optional(),
    required: z.array(z.enum(REQUIRABLE)),
    conditionsRequiredFor: z.array(z.enum(HandlingCode)),
    maxTextLength: z.number().int().min(100).max(1_000_000),
    flags: z.array(
      z
        .object({
          code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
          sourceEvaluation: z.array(z.enum(SourceEvaluation)).min(1),
          intelligenceAssessment: z.array(z.enum(IntelligenceAssessment)).min(1),
          message: z.string().min(1).max(1000),
        })
        .strict(),
    ),
  })
  .strict()
  // Grading is what the record is: it cannot be configured away.
  .refine((r) => ['sourceEvaluation', 'intelligenceAssessment', 'handlingCode'].every((f) => r.required.includes(f as (typeof REQUIRABLE)[number])), 'grading (sourceEvaluation, intelligenceAssessment, handlingCode) is always required');

export type IntelligenceRules = z.infer<typeof intelligenceRulesSchema>;

export const intelligenceRules: IntelligenceRules = intelligenceRulesSchema.parse(rulesJson);

export type RequirableField = (typeof REQUIRABLE)[number];

/** The report's fields as they will be once the input is applied (what the rules judge). */
export interface ReportFields {
  receivedOn?: string | null;
  sourceEvaluation?: SourceEvaluation | null;
  intelligenceAssessment?: IntelligenceAssessment | null;
  handlingCode?: HandlingCode | null;
  handlingConditions?: string | null;
  sanitisedText?: string | null;
  originalText?: string | null;
  sourceReference?: string | null;
}

/** Adds a problem for each rule the fields break, each naming its field. */
export function checkEntryRules(rules: IntelligenceRules, p: Problems, f: ReportFields): void {
  for (const field of rules.required) {
    const value = f[field];
    p.when(value == null || (typeof value === 'string' && value.trim() === ''), field, 'is required');
  }
  const needsConditions = !!f.handlingCode && rules.conditionsRequiredFor.includes(f.handlingCode);
  p.when(needsConditions && !f.handlingConditions?.trim(), 'handlingConditions', `handling code ${f.handlingCode} needs the conditions of dissemination stated`);
  for (const field of ['sanitisedText', 'originalText', 'handlingConditions', 'sourceReference'] as const) {
    p.when((f[field]?.length ?? 0) > rules.maxTextLength, field, `must be at most ${rules.maxTextLength} characters`);
  }
}

export interface RaisedFlag {
  code: string;
  message: string;
}

/** The flags a grading raises (e.g. 3E), in the order configured. */
export function flagsFor(rules: IntelligenceRules, source: SourceEvaluation, assessment: IntelligenceAssessment): RaisedFlag[] {
  return rules.flags.filter((f) => f.sourceEvaluation.includes(source) && f.intelligenceAssessment.includes(assessment)).map(({ code, message }) => ({ code, message }));
}
