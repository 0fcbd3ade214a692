import type { Organisation } from '../identity/organisation.entity';
import { Field, ObjectType } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';
import { Node } from '../../graphql/node';
import { SharedRecord } from '../../shared/shared-record';
import { PriorityBand } from '../assessments/assessment.enums';
import { ArchiveReason, CrimeCategory, GeographicScope, MembershipRole, SubjectType, TaskingLevel, ThreatStatus } from './threat.enums';

@ObjectType({ implements: [Node, SharedRecord], description: 'An organised crime group, priority individual or vulnerability: the unit of assessment and tasking.' })
export class SocThreat extends SharedRecord {
  leadOrganisationId!: string;
  /** Read with the threat where the query could (threatsByIds); else the resolver loads it. */
  leadOrganisation?: Organisation;
  areasAffectedIds!: string[];
  lroId!: string | null;
  sroId!: string | null;

  @Field(() => String, { description: 'Regional reference, e.g. SE-2026-0042.' }) urn!: string;
  @Field(() => String, { description: 'Operation name.' }) name!: string;
  @Field(() => String, { nullable: true }) summary!: string | null;
  @Field(() => SubjectType) subjectType!: SubjectType;
  @Field(() => TaskingLevel) taskingLevel!: TaskingLevel;
  @Field(() => GeographicScope) geographicScope!: GeographicScope;
  @Field(() => ThreatStatus) status!: ThreatStatus;
  @Field(() => ArchiveReason, { nullable: true }) archiveReason!: ArchiveReason | null;
  @Field(() => LocalDate, { description: 'When the threat was first identified.' }) identifiedOn!: string;
  @Field(() => LocalDate, { nullable: true, description: 'When it was first assessed.' }) assessedOn!: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'When it was last adopted.' }) adoptedOn!: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'When it was archived or rejected.' }) closedOn!: string | null;
  @Field(() => LocalDate, { nullable: true }) nextReviewDue!: string | null;
  @Field(() => PriorityBand, {
    nullable: true,
    description: "Overall priority, derived from every approved assessment of the threat and of each of its activities; null until one is approved.",
  })
  priority!: PriorityBand | null;
  @Field(() => Number, { nullable: true, description: 'Overall risk score (0-100) behind the priority.' })
  riskScore!: number | null;
}

@ObjectType({ implements: Node, description: 'One criminal activity of a threat; a threat has at least one, each assessed on its own.' })
export class CriminalActivity extends Node {
  dbId!: string;
  threatId!: string;
  /** Its threat's owning organisation, which is shown the activity whole (access/redaction.ts). */
  owningOrganisationId!: string;
  @Field(() => CrimeCategory) category!: CrimeCategory;
  @Field(() => String, { nullable: true, description: 'e.g. COUNTY_LINES, CUCKOOING, CHILD_CRIMINAL_EXPLOITATION.' }) subCategory!: string | null;
  @Field(() => String, { nullable: true, description: 'Null when withheld from you (see withheld).' }) description!: string;
  @Field(() => LocalDate) firstIdentified!: string;
  @Field(() => LocalDate, { nullable: true }) lastEvidenced!: string | null;
}

@ObjectType({ implements: [Node, SharedRecord], description: 'A person known to the partnership.' })
export class Nominal extends SharedRecord {
  @Field(() => String) name!: string;
  @Field(() => [String], { nullable: true, description: 'Null when withheld from you (see withheld).' }) aliases!: string[];
  @Field(() => LocalDate, { nullable: true }) dateOfBirth!: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Under 18 today; null when the date of birth is unknown.' })
  isChild!: boolean | null;
  @Field(() => [String], { nullable: true, description: 'Null when withheld from you (see withheld).' }) vulnerabilityFlags!: string[];
}

@ObjectType({ implements: Node, description: "A nominal's part in a threat." })
export class Membership extends Node {
  dbId!: string;
  threatId!: string;
  nominalId!: string;
  @Field(() => MembershipRole) role!: MembershipRole;
  @Field(() => LocalDate, { nullable: true }) from!: string | null;
  @Field(() => LocalDate, { nullable: true }) to!: string | null;
  @Field(() => Boolean) underOffenderManagement!: boolean;
}

@ObjectType({ description: 'A link between two threats, with the reason it was recorded.' })
export class ThreatLink {
  otherThreatId!: string;
  @Field(() => String) reason!: string;
  @Field(() => Date) createdAt!: Date;
}
