import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { ConnectionArgs, SortDirection } from '../../graphql/connection';
import { LocalDate } from '../../graphql/scalars';
import { ProtectiveMarking } from '../identity/identity.enums';
import { ExploitationType, ReferralDirection, ReferralOutcome, ReferralStatus, ReferralType, Urgency } from './referral.enums';

@InputType({ description: "A new referral from the caller's organisation. Sharing is always with the receiving organisation only." })
export class CreateReferralInput {
  @Field(() => ID, { nullable: true, description: 'The nominal the referral is about. Never for a DUTY_TO_NOTIFY_MS1, which is anonymous.' })
  subjectId?: string | null;
  @Field(() => Boolean) subjectIsChild!: boolean;
  @Field(() => ReferralType) referralType!: ReferralType;
  @Field(() => [ExploitationType], { description: 'At least one.' }) exploitationTypes!: ExploitationType[];
  @Field(() => ID) receivingOrganisationId!: string;
  @Field(() => Urgency) urgency!: Urgency;
  @Field(() => Boolean) consentObtained!: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'Why the information is shared without consent (e.g. a child at risk of significant harm). Required when consent was not obtained.',
  })
  sharingReason?: string | null;
  @Field(() => String) summary!: string;
  @Field(() => [ID], { nullable: true, description: 'Threats (groups) the subject is exploited by or linked to.' }) linkedThreatIds?: string[] | null;
  @Field(() => ProtectiveMarking) protectiveMarking!: ProtectiveMarking;
}

@InputType({ description: 'A move along the lifecycle by the receiving organisation.' })
export class ReferralStepInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { nullable: true, description: 'A comment recorded with the move on the timeline.' }) note?: string | null;
}

@InputType()
export class ReferralDecisionInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ReferralOutcome, { description: 'REASONABLE_GROUNDS_* and CONCLUSIVE_GROUNDS_* only for an NRM referral.' }) outcome!: ReferralOutcome;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType({ description: 'A note or feedback on the timeline.' })
export class ReferralTextInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String) text!: string;
}

@InputType({ description: 'Narrows a referral list; all given conditions must hold.' })
export class ReferralFilter {
  @Field(() => ReferralDirection, { nullable: true }) direction?: ReferralDirection;
  @Field(() => [ReferralStatus], { nullable: true }) status?: ReferralStatus[];
  @Field(() => [Urgency], { nullable: true }) urgency?: Urgency[];
  @Field(() => [ReferralType], { nullable: true }) referralType?: ReferralType[];
  @Field(() => Boolean, { nullable: true, description: 'true: not yet acknowledged; false: acknowledged.' }) awaitingAcknowledgement?: boolean;
  @Field(() => Boolean, { nullable: true, description: 'true: acknowledgement overdue; false: not overdue.' }) overdue?: boolean;
  @Field(() => LocalDate, { nullable: true, description: 'Submitted on or after this date (UTC).' }) submittedFrom?: string;
  @Field(() => LocalDate, { nullable: true, description: 'Submitted on or before this date (UTC).' }) submittedTo?: string;
  @Field(() => String, { nullable: true, description: 'Words in the reference or summary.' }) text?: string;
}

export enum ReferralOrderField {
  SUBMITTED_AT = 'SUBMITTED_AT',
  ACKNOWLEDGEMENT_DUE_AT = 'ACKNOWLEDGEMENT_DUE_AT',
  URGENCY = 'URGENCY',
}
registerEnumType(ReferralOrderField, { name: 'ReferralOrderField', description: 'URGENCY ascending puts RED first.' });

@InputType()
export class ReferralOrder {
  @Field(() => ReferralOrderField) field!: ReferralOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@ArgsType()
export class ReferralsArgs extends ConnectionArgs {
  @Field(() => ReferralFilter, { nullable: true }) filter?: ReferralFilter | null;
  @Field(() => [ReferralOrder], { nullable: true, description: 'Default: most recently submitted first.' }) orderBy?: ReferralOrder[] | null;
}
