import { Field, Int, ObjectType } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';
import { Node } from '../../graphql/node';
import { SharedRecord } from '../../shared/shared-record';
import { CriminalActivity } from '../threats/threat.types';
import { PlanActionStatus, PlanEntryKind, PlanProblemCode, PlanStatus, Strand, Tactic } from './plan.enums';

@ObjectType({ description: 'A recorded reason why a strand does not apply to this threat.' })
export class StrandExemption {
  @Field(() => Strand) strand!: Strand;
  @Field(() => String) reason!: string;
}

@ObjectType({ implements: [Node, SharedRecord], description: 'The 4P plan (Pursue, Prevent, Protect, Prepare) of an adopted threat: one per threat.' })
export class FourPPlan extends SharedRecord {
  threatId!: string;
  lroId!: string | null;
  sroId!: string | null;

  @Field(() => PlanStatus) status!: PlanStatus;
  @Field(() => String, { nullable: true, description: 'Why the plan was closed; set only on a closed plan.' }) closureReason!: string | null;
  @Field(() => Int, { description: 'Days between reviews; a recorded review sets the next one this far ahead.' }) reviewFrequencyDays!: number;
  @Field(() => LocalDate, { nullable: true }) nextReviewDue!: string | null;
  @Field(() => [StrandExemption], { description: 'Strands recorded as not applying, each with its reason.' }) strandExemptions!: StrandExemption[];
}

@ObjectType({ implements: Node, description: 'What the plan aims to achieve under one strand.' })
export class PlanObjective extends Node {
  dbId!: string;
  planId!: string;
  @Field(() => Strand) strand!: Strand;
  @Field(() => String) description!: string;
  @Field(() => String, { nullable: true, description: 'How success will be judged.' }) successMeasure!: string | null;
}

@ObjectType({ implements: Node, description: 'A task in a plan, owned by one organisation, addressing criminal activities of the threat.' })
export class PlanAction extends Node {
  dbId!: string;
  planId!: string;
  objectiveId!: string | null;
  ownerOrganisationId!: string;
  addressesActivityIds!: string[];
  @Field(() => Strand) strand!: Strand;
  @Field(() => String) description!: string;
  @Field(() => Tactic) tactic!: Tactic;
  @Field(() => LocalDate, { nullable: true }) dueDate!: string | null;
  @Field(() => PlanActionStatus) status!: PlanActionStatus;
  @Field(() => Boolean, { description: 'Due before today and not complete or cancelled.' }) isOverdue!: boolean;
}

@ObjectType({ description: 'A partner organisation named in a plan, with the strands it contributes to.' })
export class PlanPartner {
  planId!: string;
  organisationId!: string;
  @Field(() => [Strand]) strands!: Strand[];
  @Field(() => String, { nullable: true, description: 'What the partner does in the plan.' }) role!: string | null;
}

@ObjectType({ implements: Node, description: 'A dated note in a plan: an intelligence gap, an outcome, or learning.' })
export class PlanEntry extends Node {
  dbId!: string;
  planId!: string;
  recordedById!: string;
  resolvedById!: string | null;
  @Field(() => PlanEntryKind) kind!: PlanEntryKind;
  @Field(() => String) text!: string;
  @Field(() => LocalDate) recordedOn!: string;
  @Field(() => LocalDate, { nullable: true, description: 'When an intelligence gap was filled.' }) resolvedOn!: string | null;
  @Field(() => String, { nullable: true, description: 'How an intelligence gap was filled.' }) resolution!: string | null;
}

@ObjectType({ description: 'A review of the plan at a tasking or governance forum.' })
export class PlanReview {
  dbId!: string;
  planId!: string;
  reviewerId!: string;
  @Field(() => LocalDate) date!: string;
  @Field(() => String, { description: 'Where it was reviewed, e.g. the regional tasking and coordination group.' }) forum!: string;
  @Field(() => String) decisions!: string;
}

@ObjectType({ description: 'One named failure of the quality gate.' })
export class PlanQualityProblem {
  @Field(() => PlanProblemCode) code!: PlanProblemCode;
  @Field(() => String) message!: string;
  @Field(() => Strand, { nullable: true, description: 'The strand concerned, for MISSING_STRAND and PARTNER_NOT_NAMED.' }) strand!: Strand | null;
  @Field(() => CriminalActivity, { nullable: true, description: 'The activity concerned, for ACTIVITY_NOT_ADDRESSED.' })
  criminalActivity!: CriminalActivity | null;
}

@ObjectType({ description: 'The plan quality gate, computed by the server every time the plan is read.' })
export class PlanQuality {
  @Field(() => Int, { description: 'round(100 × checks passed / checks made).' }) score!: number;
  @Field(() => Boolean, { description: 'True when every check passes.' }) passes!: boolean;
  @Field(() => Int) checksMade!: number;
  @Field(() => Int) checksPassed!: number;
  @Field(() => [PlanQualityProblem]) problems!: PlanQualityProblem[];
}
