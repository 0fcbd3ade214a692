import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { SharedRecord } from '../../shared/shared-record';
import { ExploitationType, ReferralOutcome, ReferralStatus, ReferralType, ReferralUpdateKind, Urgency } from './referral.enums';

@ObjectType({
  implements: [Node, SharedRecord],
  description: 'A safeguarding referral from one organisation to another, with its timeline. Owned by the referring organisation and shared with the receiving one.',
})
export class SafeguardingReferral extends SharedRecord {
  subjectId!: string | null;
  referringOrganisationId!: string;
  receivingOrganisationId!: string;
  linkedThreatIds!: string[];

  @Field(() => String, { description: 'Reference, e.g. SR-2026-00042.' }) reference!: string;
  @Field(() => Boolean, { description: 'Whether the subject is under 18; for a nominal with a known date of birth it agrees with it.' })
  subjectIsChild!: boolean;
  @Field(() => ReferralType) referralType!: ReferralType;
  @Field(() => [ExploitationType]) exploitationTypes!: ExploitationType[];
  @Field(() => Urgency) urgency!: Urgency;
  @Field(() => Boolean, { description: 'Whether the subject (or, for a child, where appropriate a parent) consented to the referral.' })
  consentObtained!: boolean;
  @Field(() => String) summary!: string;
  @Field(() => ReferralStatus) status!: ReferralStatus;
  @Field(() => ReferralOutcome, { nullable: true, description: 'Set by recordReferralDecision.' }) outcome!: ReferralOutcome | null;
  @Field(() => Date) submittedAt!: Date;
  @Field(() => Date, { description: 'Submission time plus the acknowledgement target for the urgency (referralRules).' })
  acknowledgementDueAt!: Date;
  @Field(() => Date, { nullable: true }) acknowledgedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the receiving organisation last gave the referrer feedback.' })
  feedbackToReferrerAt!: Date | null;
  @Field(() => Boolean, { description: 'Not acknowledged and the acknowledgement due time has passed.' })
  isAcknowledgementOverdue!: boolean;
  @Field(() => Boolean, { nullable: true, description: 'Whether it was acknowledged by the due time; null until acknowledged.' })
  acknowledgedWithinTarget!: boolean | null;
}

@ObjectType({ implements: Node, description: 'One entry on a referral timeline: a status change, note, share or feedback.' })
export class ReferralUpdate extends Node {
  dbId!: string;
  referralId!: string;
  byId!: string;
  organisationId!: string;
  sharedWithOrganisationId!: string | null;

  @Field(() => Date) at!: Date;
  @Field(() => ReferralUpdateKind) kind!: ReferralUpdateKind;
  @Field(() => ReferralStatus, { nullable: true, description: 'STATUS_CHANGE only; null when the referral was created.' })
  fromStatus!: ReferralStatus | null;
  @Field(() => ReferralStatus, { nullable: true, description: 'STATUS_CHANGE only.' }) toStatus!: ReferralStatus | null;
  @Field(() => String, { nullable: true, description: 'The note or feedback, or a comment given with a status change.' }) text!: string | null;
  @Field(() => String, { nullable: true, description: 'SHARE only: the reason the information was shared (consent, or the lawful reason without it).' })
  shareReason!: string | null;
}

@ObjectType({ description: 'How long the receiving organisation has to acknowledge a referral of one urgency.' })
export class AcknowledgementTarget {
  @Field(() => Urgency) urgency!: Urgency;
  @Field(() => Int) hours!: number;
}

@ObjectType({ description: 'Referral configuration (referral-rules.json).' })
export class ReferralRulesInfo {
  @Field(() => [AcknowledgementTarget]) acknowledgementTargets!: AcknowledgementTarget[];
  @Field(() => String, { nullable: true }) note!: string | null;
}
