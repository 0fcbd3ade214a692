import { z } from 'zod';
import rulesFile from './referral-rules.json';
import { Urgency } from './referral.enums';

const hours = z.number().int().min(1).max(24 * 30);

/**
 * Referral configuration (docs/domain.md: "acknowledgement is due within a configurable time by
 * urgency"), read from referral-rules.json once at start-up and refused if malformed, so a bad
 * edit stops the server rather than giving referrals wrong due times.
 */
export const referralRulesSchema = z
  .object({
    /** Why the values are what they are; shown to users with the rules. */
    note: z.string().optional(),
    /** Hours from submission within which the receiving organisation must acknowledge, per urgency. */
    acknowledgementHours: z.object({ RED: hours, AMBER: hours, GREEN: hours }).strict(),
  })
  .strict()
  .refine((r) => r.acknowledgementHours.RED <= r.acknowledgementHours.AMBER && r.acknowledgementHours.AMBER <= r.acknowledgementHours.GREEN, {
    message: 'a more urgent referral cannot have a longer acknowledgement target',
    path: ['acknowledgementHours'],
  });

export type ReferralRules = z.infer<typeof referralRulesSchema>;

export const referralRules: ReferralRules = referralRulesSchema.parse(rulesFile);

export function acknowledgementHours(urgency: Urgency): number {
  return referralRules.acknowledgementHours[urgency];
}
