import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { WithheldField } from '../../access/redaction';
import { LocalDate } from '../../graphql/scalars';
import { HandlingCode, IntelligenceAssessment, SourceEvaluation } from './intelligence.enums';

export enum IntelligenceStatsDimension {
  OWNING_ORGANISATION = 'OWNING_ORGANISATION',
  SOURCE_EVALUATION = 'SOURCE_EVALUATION',
  INTELLIGENCE_ASSESSMENT = 'INTELLIGENCE_ASSESSMENT',
  HANDLING_CODE = 'HANDLING_CODE',
  FISCAL_YEAR = 'FISCAL_YEAR',
  QUARTER = 'QUARTER',
}

registerEnumType(IntelligenceStatsDimension, {
  name: 'IntelligenceStatsDimension',
  valuesConfig: {
    OWNING_ORGANISATION: { description: 'The organisation that recorded the intelligence.' },
    SOURCE_EVALUATION: { description: 'The source evaluation (1, 2 or 3); withheld from partners (null).' },
    INTELLIGENCE_ASSESSMENT: { description: 'The intelligence assessment (A to E); withheld from partners (null).' },
    HANDLING_CODE: { description: 'The handling code (P or C).' },
    FISCAL_YEAR: { description: 'The reporting year it was received in (1 April to 31 March, "2025/26").' },
    QUARTER: { description: 'The quarter of the reporting year (Q1 April to June); needs FISCAL_YEAR.' },
  },
});

@InputType({ description: 'Which intelligence the figures cover (by the day it was received); all given conditions must hold.' })
export class IntelligenceStatsFilter {
  @Field(() => LocalDate, { nullable: true, description: 'Received on or after this day.' }) from?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'Received on or before this day.' }) to?: string | null;
  @Field(() => [String], { nullable: true, description: 'Reporting years it was received in, e.g. ["2025/26"].' }) fiscalYears?: string[] | null;
}

@ArgsType()
export class IntelligenceStatsArgs {
  @Field(() => IntelligenceStatsFilter, { nullable: true }) filter?: IntelligenceStatsFilter | null;
  @Field(() => [IntelligenceStatsDimension]) groupBy!: IntelligenceStatsDimension[];
}

@ObjectType({ description: 'One group of intelligence reports: the keys asked for in groupBy (others null) and its counts.' })
export class IntelligenceStatsRow {
  owningOrganisationId!: string | null;
  @Field(() => SourceEvaluation, { nullable: true }) sourceEvaluation!: SourceEvaluation | null;
  @Field(() => IntelligenceAssessment, { nullable: true }) intelligenceAssessment!: IntelligenceAssessment | null;
  @Field(() => HandlingCode, { nullable: true }) handlingCode!: HandlingCode | null;
  @Field(() => String, { nullable: true }) fiscalYear!: string | null;
  @Field(() => String, { nullable: true }) quarter!: string | null;
  @Field(() => Int) count!: number;
  @Field(() => Int, { description: 'Disseminated to at least one partner organisation.' }) disseminated!: number;
  @Field(() => Int, { nullable: true, description: 'Graded as the entry rules flag (e.g. 3E). Null when grading is withheld from you.' }) flagged!: number | null;
}

@ObjectType({ description: 'Intelligence figures: the reports you may read, counted in the database (every one counted is an audited read).' })
export class IntelligenceStats {
  @Field(() => [IntelligenceStatsRow]) rows!: IntelligenceStatsRow[];
  @Field(() => Int, { description: 'Reports selected (each once, whatever the breakdown).' }) total!: number;
  @Field(() => [WithheldField], { description: 'Breakdowns you are not shown, and why: partners are never shown grading, so it is counted under null.' })
  withheld!: WithheldField[];
}
