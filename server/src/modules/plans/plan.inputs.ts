import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { ConnectionArgs, SortDirection } from '../../graphql/connection';
import { LocalDate } from '../../graphql/scalars';
import { SharingInput } from '../threats/threat.inputs';
import { PlanActionStatus, PlanEntryKind, PlanStatus, Strand, Tactic } from './plan.enums';

@InputType({ description: 'Why a strand does not apply to this threat.' })
export class StrandExemptionInput {
  @Field(() => Strand) strand!: Strand;
  @Field(() => String) reason!: string;
}

@InputType()
export class CreatePlanInput {
  @Field(() => ID, { description: 'An ADOPTED or UNDER_REVIEW threat with no plan yet.' }) threatId!: string;
  @Field(() => ID, { nullable: true, description: 'Lead responsible officer: a user with the LRO role.' }) lroId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Senior responsible officer: a user with the SRO role.' }) sroId?: string | null;
  @Field(() => Int, { nullable: true, description: 'Days between reviews, 7 to 365; default 90.' }) reviewFrequencyDays?: number | null;
  @Field(() => [StrandExemptionInput], { nullable: true }) strandExemptions?: StrandExemptionInput[] | null;
  @Field(() => SharingInput) access!: SharingInput;
}

@InputType({ description: 'Only the fields given change; null clears the LRO or SRO.' })
export class UpdatePlanInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ID, { nullable: true }) lroId?: string | null;
  @Field(() => ID, { nullable: true }) sroId?: string | null;
  @Field(() => Int, { nullable: true }) reviewFrequencyDays?: number | null;
  @Field(() => [StrandExemptionInput], { nullable: true, description: 'Replaces every recorded exemption; [] removes them all.' })
  strandExemptions?: StrandExemptionInput[] | null;
  @Field(() => SharingInput, { nullable: true }) access?: SharingInput | null;
}

@InputType()
export class ChangePlanStatusInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => PlanStatus) status!: PlanStatus;
  @Field(() => String, { nullable: true, description: 'Required when closing.' }) closureReason?: string | null;
}

@InputType()
export class ObjectiveInput {
  @Field(() => Strand) strand!: Strand;
  @Field(() => String) description!: string;
  @Field(() => String, { nullable: true }) successMeasure?: string | null;
}

@InputType()
export class AddObjectiveInput {
  @Field(() => ID) planId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ObjectiveInput) objective!: ObjectiveInput;
}

@InputType()
export class UpdateObjectiveInput {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: "The plan's version." }) expectedVersion!: number;
  @Field(() => ObjectiveInput) objective!: ObjectiveInput;
}

@InputType()
export class RemovePlanPartInput {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: "The plan's version." }) expectedVersion!: number;
}

@InputType()
export class ActionInput {
  @Field(() => Strand) strand!: Strand;
  @Field(() => ID, { nullable: true, description: 'An objective of this plan under the same strand.' }) objectiveId?: string | null;
  @Field(() => String) description!: string;
  @Field(() => Tactic) tactic!: Tactic;
  @Field(() => ID) ownerOrganisationId!: string;
  @Field(() => LocalDate, { nullable: true }) dueDate?: string | null;
  @Field(() => PlanActionStatus, { nullable: true, description: 'Default PLANNED.' }) status?: PlanActionStatus | null;
  @Field(() => [ID], { description: "Criminal activities of the plan's threat that this action tackles." }) addressesActivityIds!: string[];
}

@InputType()
export class AddActionInput {
  @Field(() => ID) planId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ActionInput) action!: ActionInput;
}

@InputType({ description: 'Only the fields given change; objectiveId or dueDate null clears them.' })
export class UpdateActionInput {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: "The plan's version." }) expectedVersion!: number;
  @Field(() => Strand, { nullable: true }) strand?: Strand | null;
  @Field(() => ID, { nullable: true }) objectiveId?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Tactic, { nullable: true }) tactic?: Tactic | null;
  @Field(() => ID, { nullable: true }) ownerOrganisationId?: string | null;
  @Field(() => LocalDate, { nullable: true }) dueDate?: string | null;
  @Field(() => PlanActionStatus, { nullable: true }) status?: PlanActionStatus | null;
  @Field(() => [ID], { nullable: true }) addressesActivityIds?: string[] | null;
}

@InputType({ description: 'Names a partner for strands; naming one already named replaces its strands and role.' })
export class AddPlanPartnerInput {
  @Field(() => ID) planId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ID) organisationId!: string;
  @Field(() => [Strand]) strands!: Strand[];
  @Field(() => String, { nullable: true }) role?: string | null;
}

@InputType()
export class RemovePlanPartnerInput {
  @Field(() => ID) planId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ID) organisationId!: string;
}

@InputType()
export class AddPlanEntryInput {
  @Field(() => ID) planId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => PlanEntryKind) kind!: PlanEntryKind;
  @Field(() => String) text!: string;
  @Field(() => LocalDate, { nullable: true, description: 'Defaults to today; not in the future.' }) recordedOn?: string | null;
}

@InputType()
export class ResolveIntelligenceGapInput {
  @Field(() => ID, { description: 'The intelligence gap (a PlanEntry).' }) id!: string;
  @Field(() => Int, { description: "The plan's version." }) expectedVersion!: number;
  @Field(() => String, { description: 'How the gap was filled.' }) resolution!: string;
  @Field(() => LocalDate, { nullable: true, description: 'Defaults to today; not in the future.' }) resolvedOn?: string | null;
}

@InputType()
export class RecordPlanReviewInput {
  @Field(() => ID) planId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => LocalDate, { description: 'Not in the future; the next review falls reviewFrequencyDays later.' }) date!: string;
  @Field(() => String) forum!: string;
  @Field(() => String) decisions!: string;
  @Field(() => ID, { nullable: true, description: 'Who chaired the review; default the caller.' }) reviewerId?: string | null;
}

@InputType({ description: 'An objective being added, as far as the quality gate reads it.' })
export class PlanDraftObjectiveInput {
  @Field(() => Strand) strand!: Strand;
}

@InputType({ description: 'An action being added, as far as the quality gate reads it.' })
export class PlanDraftActionInput {
  @Field(() => Strand) strand!: Strand;
  @Field(() => PlanActionStatus, { nullable: true, description: 'Default PLANNED.' }) status?: PlanActionStatus | null;
  @Field(() => [ID], { description: "Criminal activities of the plan's threat that this action tackles." }) addressesActivityIds!: string[];
}

@InputType({ description: 'A partner being named, as far as the quality gate reads it.' })
export class PlanDraftPartnerInput {
  @Field(() => ID) organisationId!: string;
  @Field(() => [Strand]) strands!: Strand[];
}

@InputType({
  description:
    'Unsaved changes to a plan, as the editor holds them while the user types. Each part means what saving it would: ' +
    'lroId and strandExemptions as updatePlan, objectives and actions as addObjective and addAction, partners as addPlanPartner.',
})
export class PlanDraftInput {
  @Field(() => ID, { nullable: true, description: 'Omitted: the LRO as saved; null: none.' }) lroId?: string | null;
  @Field(() => [StrandExemptionInput], { nullable: true, description: 'Replaces every recorded exemption; omitted: as saved.' })
  strandExemptions?: StrandExemptionInput[] | null;
  @Field(() => [PlanDraftObjectiveInput], { nullable: true, description: 'Objectives being added.' }) objectives?: PlanDraftObjectiveInput[] | null;
  @Field(() => [PlanDraftActionInput], { nullable: true, description: 'Actions being added.' }) actions?: PlanDraftActionInput[] | null;
  @Field(() => [PlanDraftPartnerInput], { nullable: true, description: 'Partners being named; naming one already named replaces its strands.' })
  partners?: PlanDraftPartnerInput[] | null;
}

@InputType({ description: 'Narrows a plan list; all given conditions must hold.' })
export class PlanFilter {
  @Field(() => [PlanStatus], { nullable: true }) status?: PlanStatus[];
  @Field(() => [ID], { nullable: true }) owningOrganisationIds?: string[];
  @Field(() => [ID], { nullable: true }) threatIds?: string[];
  @Field(() => Boolean, { nullable: true, description: 'true: plans failing the quality gate; false: plans passing it.' }) failingGate?: boolean;
  @Field(() => Boolean, { nullable: true, description: 'true: plans whose review is overdue; false: the others.' }) reviewOverdue?: boolean;
  @Field(() => [ID], { nullable: true, description: 'Plans whose LRO is one of these users.' }) lroIds?: string[];
  @Field(() => [ID], { nullable: true, description: "Plans whose threat is led by one of these organisations." }) leadOrganisationIds?: string[];
  @Field(() => Boolean, { nullable: true, description: 'true: plans with an open action past its due date (among the actions you are shown); false: the others.' })
  actionsOverdue?: boolean;
  @Field(() => String, { nullable: true, description: "Words in the threat's name or URN, or in any objective or action description." })
  text?: string;
}

export enum PlanOrderField {
  NEXT_REVIEW_DUE = 'NEXT_REVIEW_DUE',
  UPDATED_AT = 'UPDATED_AT',
  THREAT_NAME = 'THREAT_NAME',
}
registerEnumType(PlanOrderField, { name: 'PlanOrderField' });

@InputType()
export class PlanOrder {
  @Field(() => PlanOrderField) field!: PlanOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@ArgsType()
export class PlansArgs extends ConnectionArgs {
  @Field(() => PlanFilter, { nullable: true }) filter?: PlanFilter | null;
  @Field(() => [PlanOrder], { nullable: true, description: 'Default: most recently updated first.' }) orderBy?: PlanOrder[] | null;
}
