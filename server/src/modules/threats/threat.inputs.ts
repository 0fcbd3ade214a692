import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ConnectionArgs, SortDirection } from '../../graphql/connection';
import { LocalDate } from '../../graphql/scalars';
import { ProtectiveMarking } from '../identity/identity.enums';
import { PriorityBand } from '../assessments/assessment.enums';
import { Sharing } from '../../shared/sharing';
import { registerEnumType } from 'type-graphql';
import { ArchiveReason, CrimeCategory, GeographicScope, MembershipRole, SubjectType, TaskingLevel, ThreatStatus } from './threat.enums';

/** Marking and sharing, required when a record is created (never a second step). */
@InputType()
export class SharingInput {
  @Field(() => ProtectiveMarking) protectiveMarking!: ProtectiveMarking;
  @Field(() => Sharing) sharing!: Sharing;
  @Field(() => [ID], { nullable: true, description: 'Organisations, when sharing is NAMED_ORGANISATIONS.' })
  sharedWithIds?: string[] | null;
}

@InputType()
export class CriminalActivityInput {
  @Field(() => CrimeCategory) category!: CrimeCategory;
  @Field(() => String, { nullable: true }) subCategory?: string | null;
  @Field(() => String) description!: string;
  @Field(() => LocalDate) firstIdentified!: string;
  @Field(() => LocalDate, { nullable: true }) lastEvidenced?: string | null;
}

@InputType()
export class CreateThreatInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => SubjectType) subjectType!: SubjectType;
  @Field(() => ID) leadOrganisationId!: string;
  @Field(() => TaskingLevel) taskingLevel!: TaskingLevel;
  @Field(() => GeographicScope) geographicScope!: GeographicScope;
  @Field(() => [ID], { nullable: true }) areasAffectedIds?: string[] | null;
  @Field(() => LocalDate, { nullable: true, description: 'Defaults to today.' }) identifiedOn?: string | null;
  @Field(() => ID, { nullable: true }) lroId?: string | null;
  @Field(() => ID, { nullable: true }) sroId?: string | null;
  @Field(() => [CriminalActivityInput], { description: 'Every criminal activity known so far; at least one.' })
  criminalActivities!: CriminalActivityInput[];
  @Field(() => SharingInput) access!: SharingInput;
}

@InputType()
export class UpdateThreatInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => ID, { nullable: true }) leadOrganisationId?: string | null;
  @Field(() => TaskingLevel, { nullable: true }) taskingLevel?: TaskingLevel | null;
  @Field(() => GeographicScope, { nullable: true }) geographicScope?: GeographicScope | null;
  @Field(() => [ID], { nullable: true }) areasAffectedIds?: string[] | null;
  @Field(() => ID, { nullable: true }) lroId?: string | null;
  @Field(() => ID, { nullable: true }) sroId?: string | null;
  @Field(() => LocalDate, { nullable: true }) nextReviewDue?: string | null;
  @Field(() => SharingInput, { nullable: true }) access?: SharingInput | null;
}

@InputType()
export class ChangeThreatStatusInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ThreatStatus) status!: ThreatStatus;
  @Field(() => ArchiveReason, { nullable: true, description: 'Required when archiving.' }) archiveReason?: ArchiveReason | null;
}

@InputType()
export class AddCriminalActivityInput {
  @Field(() => ID) threatId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => CriminalActivityInput) activity!: CriminalActivityInput;
}

@InputType()
export class UpdateCriminalActivityInput {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: "The threat's version." }) expectedVersion!: number;
  @Field(() => CriminalActivityInput) activity!: CriminalActivityInput;
}

@InputType()
export class RemoveCriminalActivityInput {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: "The threat's version." }) expectedVersion!: number;
}

@InputType()
export class AddMemberInput {
  @Field(() => ID) threatId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ID) nominalId!: string;
  @Field(() => MembershipRole) role!: MembershipRole;
  @Field(() => LocalDate, { nullable: true }) from?: string | null;
  @Field(() => LocalDate, { nullable: true }) to?: string | null;
  @Field(() => Boolean, { nullable: true }) underOffenderManagement?: boolean | null;
}

@InputType()
export class RemoveMemberInput {
  @Field(() => ID) membershipId!: string;
  @Field(() => Int, { description: "The threat's version." }) expectedVersion!: number;
}

@InputType()
export class LinkThreatsInput {
  @Field(() => ID) threatId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ID) linkedThreatId!: string;
  @Field(() => String) reason!: string;
}

@InputType({ description: 'Removes the link between two threats (recorded in error, or no longer true).' })
export class UnlinkThreatsInput {
  @Field(() => ID) threatId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ID) linkedThreatId!: string;
}

@InputType()
export class CreateNominalInput {
  @Field(() => String) name!: string;
  @Field(() => [String], { nullable: true }) aliases?: string[] | null;
  @Field(() => LocalDate, { nullable: true }) dateOfBirth?: string | null;
  @Field(() => [String], { nullable: true }) vulnerabilityFlags?: string[] | null;
  @Field(() => SharingInput) access!: SharingInput;
}

@InputType()
export class UpdateNominalInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => [String], { nullable: true }) aliases?: string[] | null;
  @Field(() => LocalDate, { nullable: true }) dateOfBirth?: string | null;
  @Field(() => [String], { nullable: true }) vulnerabilityFlags?: string[] | null;
  @Field(() => SharingInput, { nullable: true }) access?: SharingInput | null;
}

@InputType({ description: 'Narrows a threat list; all given conditions must hold.' })
export class ThreatFilter {
  @Field(() => [ThreatStatus], { nullable: true }) status?: ThreatStatus[];
  @Field(() => [SubjectType], { nullable: true }) subjectType?: SubjectType[];
  @Field(() => [TaskingLevel], { nullable: true }) taskingLevel?: TaskingLevel[];
  @Field(() => [ID], { nullable: true }) leadOrganisationIds?: string[];
  @Field(() => [ID], { nullable: true }) owningOrganisationIds?: string[];
  @Field(() => [CrimeCategory], { nullable: true, description: 'Threats with at least one activity in any of these categories.' })
  category?: CrimeCategory[];
  @Field(() => [PriorityBand], { nullable: true }) priority?: PriorityBand[];
  @Field(() => LocalDate, { nullable: true }) identifiedFrom?: string;
  @Field(() => LocalDate, { nullable: true }) identifiedTo?: string;
  @Field(() => LocalDate, { nullable: true }) reviewDueBefore?: string;
  @Field(() => String, { nullable: true, description: 'Words in the name, URN, summary or any activity description.' })
  text?: string;
}

export enum ThreatOrderField {
  NAME = 'NAME',
  URN = 'URN',
  IDENTIFIED_ON = 'IDENTIFIED_ON',
  RISK = 'RISK',
  STATUS = 'STATUS',
  NEXT_REVIEW_DUE = 'NEXT_REVIEW_DUE',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(ThreatOrderField, { name: 'ThreatOrderField', description: 'RISK orders by overall risk score (so by priority band).' });

@InputType()
export class ThreatOrder {
  @Field(() => ThreatOrderField) field!: ThreatOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@ArgsType()
export class ThreatsArgs extends ConnectionArgs {
  @Field(() => ThreatFilter, { nullable: true }) filter?: ThreatFilter | null;
  @Field(() => [ThreatOrder], { nullable: true, description: 'Default: most recently updated first.' }) orderBy?: ThreatOrder[] | null;
}

@InputType()
export class NominalFilter {
  @Field(() => String, { nullable: true, description: 'Words in the name or an alias.' }) text?: string;
  @Field(() => Boolean, { nullable: true }) isChild?: boolean;
  @Field(() => [ID], { nullable: true }) owningOrganisationIds?: string[];
}

@ArgsType()
export class NominalsArgs extends ConnectionArgs {
  @Field(() => NominalFilter, { nullable: true }) filter?: NominalFilter | null;
}
