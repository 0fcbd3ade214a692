import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { ConnectionArgs, SortDirection } from '../../graphql/connection';
import { LocalDate } from '../../graphql/scalars';
import { SharingInput } from '../threats/threat.inputs';
import { Strand, Tactic } from '../plans/plan.enums';
import { DisruptionLevel, DisruptionStatus } from './disruption.enums';

/*
 * The recorded fields are nullable in the schema on purpose: the service checks them all
 * together, so a missing strand, level and narrative come back as one BAD_USER_INPUT naming
 * each field, rather than GraphQL stopping at the first.
 */

@InputType()
export class CreateDisruptionInput {
  @Field(() => ID) threatId!: string;
  @Field(() => ID, { nullable: true, description: 'The criminal activity of the threat disrupted, if one in particular.' }) criminalActivityId?: string | null;
  @Field(() => ID, { nullable: true, description: "The action of the threat's 4P plan that achieved it, if any." }) planActionId?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'Required. When it happened.' }) date?: string | null;
  @Field(() => Strand, { nullable: true, description: 'Required.' }) strand?: Strand | null;
  @Field(() => DisruptionLevel, { nullable: true, description: 'Required: the level claimed (see disruptionRules).' }) level?: DisruptionLevel | null;
  @Field(() => Tactic, { nullable: true, description: 'Required.' }) tactic?: Tactic | null;
  @Field(() => String, { nullable: true, description: 'Required: what was done.' }) description?: string | null;
  @Field(() => String, { nullable: true, description: "Required: how the group's ability to cause harm was dismantled, frustrated or undermined." })
  impactNarrative?: string | null;
  @Field(() => [String], { nullable: true, description: 'Required: at least one evidence reference.' }) evidenceRefs?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Partner organisations that contributed (not the claiming organisation): one event, one record.' })
  contributorIds?: string[] | null;
  @Field(() => SharingInput) access!: SharingInput;
}

@InputType({ description: 'Changes to a DRAFT or RETURNED disruption; only the fields given change, then every entry rule is checked again.' })
export class UpdateDisruptionInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ID, { nullable: true }) threatId?: string | null;
  @Field(() => ID, { nullable: true, description: 'null clears it.' }) criminalActivityId?: string | null;
  @Field(() => ID, { nullable: true, description: 'null clears it.' }) planActionId?: string | null;
  @Field(() => LocalDate, { nullable: true }) date?: string | null;
  @Field(() => Strand, { nullable: true }) strand?: Strand | null;
  @Field(() => DisruptionLevel, { nullable: true }) level?: DisruptionLevel | null;
  @Field(() => Tactic, { nullable: true }) tactic?: Tactic | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) impactNarrative?: string | null;
  @Field(() => [String], { nullable: true }) evidenceRefs?: string[] | null;
  @Field(() => [ID], { nullable: true }) contributorIds?: string[] | null;
  @Field(() => SharingInput, { nullable: true }) access?: SharingInput | null;
}

@InputType()
export class SubmitDisruptionInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
}

@InputType()
export class ValidateDisruptionInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => DisruptionLevel, { description: 'The level the validator agrees; NONE or NEGATIVE validate the record without counting it.' })
  levelAgreed!: DisruptionLevel;
  @Field(() => Strand) strandAgreed!: Strand;
  @Field(() => String, { nullable: true, description: 'Required when the agreed level or strand differs from the claim.' }) reasons?: string | null;
}

@InputType({ description: 'Returns a claim for correction, or rejects it; a reason is required.' })
export class DisruptionDecisionInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { nullable: true, description: 'Required.' }) reason?: string | null;
}

@InputType({ description: 'Corrects a VALIDATED disruption: it becomes SUPERSEDED and a new DRAFT copy replaces it.' })
export class SupersedeDisruptionInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { nullable: true, description: 'Required: what was wrong with the validated record.' }) reason?: string | null;
}

@InputType({ description: 'Narrows a disruption list; all given conditions must hold.' })
export class DisruptionFilter {
  @Field(() => [DisruptionStatus], { nullable: true }) status?: DisruptionStatus[];
  @Field(() => [ID], { nullable: true }) threatIds?: string[];
  @Field(() => [ID], { nullable: true }) claimingOrganisationIds?: string[];
  @Field(() => [DisruptionLevel], { nullable: true, description: 'The level claimed.' }) level?: DisruptionLevel[];
  @Field(() => [Strand], { nullable: true, description: 'The strand claimed.' }) strand?: Strand[];
  @Field(() => LocalDate, { nullable: true }) dateFrom?: string;
  @Field(() => LocalDate, { nullable: true }) dateTo?: string;
  @Field(() => Boolean, { nullable: true }) isLate?: boolean;
  @Field(() => Boolean, { nullable: true, description: 'true: only records flagged as a possible duplicate; false: only those not flagged.' })
  possibleDuplicate?: boolean;
  @Field(() => String, { nullable: true, description: 'Words in the description or impact narrative, or part of an evidence reference.' }) text?: string;
}

export enum DisruptionOrderField {
  DATE = 'DATE',
  SUBMITTED_AT = 'SUBMITTED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(DisruptionOrderField, { name: 'DisruptionOrderField' });

@InputType()
export class DisruptionOrder {
  @Field(() => DisruptionOrderField) field!: DisruptionOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@ArgsType()
export class DisruptionsArgs extends ConnectionArgs {
  @Field(() => DisruptionFilter, { nullable: true }) filter?: DisruptionFilter | null;
  @Field(() => [DisruptionOrder], { nullable: true, description: 'Default: latest date first.' }) orderBy?: DisruptionOrder[] | null;
}
