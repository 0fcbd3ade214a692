import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { SharedRecord } from '../../shared/shared-record';
import { CrimeCategory } from '../threats/threat.enums';
import { HandlingCode, IntelligenceAssessment, SourceEvaluation } from './intelligence.enums';

@ObjectType({ description: 'A grading the entry rules flag (intelligence-rules.json), e.g. 3E.' })
export class GradingFlag {
  @Field(() => String) code!: string;
  @Field(() => String) message!: string;
}

@ObjectType({
  implements: [Node, SharedRecord],
  description:
    'An intelligence report graded 3x5x2: source evaluation, intelligence assessment and handling code. Partner organisations are given only the sanitised text, ' +
    'and only of reports disseminated to them; grading, sources and the original text are withheld (see `withheld`). Every read is audited.',
})
export class IntelligenceReport extends SharedRecord {
  threatIds!: string[];
  activityIds!: string[];
  nominalIds!: string[];

  @Field(() => String, { description: 'The report reference, e.g. INT-2026-K7Q4MX8P (random: it counts nothing).' }) reference!: string;
  @Field(() => String, { description: 'The date the intelligence was received (YYYY-MM-DD).' }) receivedOn!: string;
  @Field(() => SourceEvaluation, { nullable: true, description: 'Null when withheld from you.' }) sourceEvaluation!: SourceEvaluation | null;
  @Field(() => IntelligenceAssessment, { nullable: true, description: 'Null when withheld from you.' }) intelligenceAssessment!: IntelligenceAssessment | null;
  @Field(() => HandlingCode) handlingCode!: HandlingCode;
  @Field(() => String, { nullable: true, description: 'The conditions of dissemination (handling code C).' }) handlingConditions!: string | null;
  @Field(() => String, { nullable: true, description: 'Who or what the source is (a reference, never a name in the sanitised text). Null when withheld.' })
  sourceReference!: string | null;
  @Field(() => String, { description: 'The text fit to disseminate: nothing that identifies the source.' }) sanitisedText!: string;
  @Field(() => String, { nullable: true, description: 'The intelligence as received. Null when withheld from you.' }) originalText!: string | null;
  @Field(() => [CrimeCategory], { description: 'The crime categories the intelligence mentions, whether or not the threats it is about list them yet.' })
  crimeCategories!: CrimeCategory[];
}

@ObjectType({ implements: Node, description: 'One dissemination of an intelligence report to a partner organisation, with the handling conditions it was given under.' })
export class IntelligenceDissemination extends Node {
  dbId!: string;
  reportId!: string;
  recipientOrganisationId!: string;
  disseminatedById!: string;

  @Field(() => HandlingCode) handlingCode!: HandlingCode;
  @Field(() => String, { nullable: true, description: 'The conditions attached, as they stood when it was disseminated.' }) handlingConditions!: string | null;
  @Field(() => String, { description: 'The sanitised text as it was disseminated.' }) sanitisedText!: string;
  @Field(() => Date) disseminatedAt!: Date;
}
