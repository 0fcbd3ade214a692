import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ConnectionArgs, SortDirection } from '../../graphql/connection';
import { SharingInput } from '../threats/threat.inputs';
import { CrimeCategory } from '../threats/threat.enums';
import { HandlingCode, IntelligenceAssessment, IntelligenceOrderField, SourceEvaluation } from './intelligence.enums';

/*
 * Grading and texts are nullable in the schema so that a missing one is answered by the entry
 * rules (BAD_USER_INPUT naming the field) rather than by a schema error naming none.
 */

@InputType()
export class CreateIntelligenceReportInput {
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, not in the future.' }) receivedOn?: string | null;
  @Field(() => SourceEvaluation, { nullable: true, description: 'Required.' }) sourceEvaluation?: SourceEvaluation | null;
  @Field(() => IntelligenceAssessment, { nullable: true, description: 'Required.' }) intelligenceAssessment?: IntelligenceAssessment | null;
  @Field(() => HandlingCode, { nullable: true, description: 'Required.' }) handlingCode?: HandlingCode | null;
  @Field(() => String, { nullable: true, description: 'Required with handling code C.' }) handlingConditions?: string | null;
  @Field(() => String, { nullable: true }) sourceReference?: string | null;
  @Field(() => String, { nullable: true, description: 'Required.' }) sanitisedText?: string | null;
  @Field(() => String, { nullable: true, description: 'Required.' }) originalText?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Threats the intelligence is about.' }) threatIds?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Criminal activities of those threats it is about.' }) activityIds?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'People it is about.' }) nominalIds?: string[] | null;
  @Field(() => [CrimeCategory], { nullable: true, description: 'Crime categories it mentions (the threats need not list them yet).' }) crimeCategories?: CrimeCategory[] | null;
  @Field(() => SharingInput) access!: SharingInput;
}

@InputType({ description: 'Changes to an intelligence report; only the fields given change.' })
export class UpdateIntelligenceReportInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { nullable: true }) receivedOn?: string | null;
  @Field(() => SourceEvaluation, { nullable: true }) sourceEvaluation?: SourceEvaluation | null;
  @Field(() => IntelligenceAssessment, { nullable: true }) intelligenceAssessment?: IntelligenceAssessment | null;
  @Field(() => HandlingCode, { nullable: true }) handlingCode?: HandlingCode | null;
  @Field(() => String, { nullable: true }) handlingConditions?: string | null;
  @Field(() => String, { nullable: true }) sourceReference?: string | null;
  @Field(() => String, { nullable: true }) sanitisedText?: string | null;
  @Field(() => String, { nullable: true }) originalText?: string | null;
  @Field(() => [ID], { nullable: true }) threatIds?: string[] | null;
  @Field(() => [ID], { nullable: true }) activityIds?: string[] | null;
  @Field(() => [ID], { nullable: true }) nominalIds?: string[] | null;
  @Field(() => [CrimeCategory], { nullable: true }) crimeCategories?: CrimeCategory[] | null;
  @Field(() => SharingInput, { nullable: true }) access?: SharingInput | null;
}

@InputType()
export class DisseminateIntelligenceInput {
  @Field(() => ID, { description: 'The intelligence report.' }) id!: string;
  @Field(() => ID, { description: 'The partner organisation it is given to.' }) recipientOrganisationId!: string;
}

@InputType({ description: 'Narrows intelligence reports; all given conditions must hold.' })
export class IntelligenceFilter {
  @Field(() => [ID], { nullable: true, description: 'Reports about any of these threats.' }) threatIds?: string[];
  @Field(() => [HandlingCode], { nullable: true }) handlingCode?: HandlingCode[];
  @Field(() => String, { nullable: true, description: 'Received on or after (YYYY-MM-DD).' }) receivedFrom?: string;
  @Field(() => String, { nullable: true, description: 'Received on or before (YYYY-MM-DD).' }) receivedTo?: string;
  @Field(() => String, { nullable: true, description: 'Words in the reference or the sanitised text, or in the original text where you are shown it (any case).' }) text?: string;
}

@InputType()
export class IntelligenceOrder {
  @Field(() => IntelligenceOrderField) field!: IntelligenceOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.DESC }) direction!: SortDirection;
}

@ArgsType()
export class IntelligenceReportsArgs extends ConnectionArgs {
  @Field(() => IntelligenceFilter, { nullable: true }) filter?: IntelligenceFilter | null;
  @Field(() => [IntelligenceOrder], { nullable: true, description: 'Default: most recently received first.' }) orderBy?: IntelligenceOrder[] | null;
}
