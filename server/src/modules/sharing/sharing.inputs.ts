import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ConnectionArgs, SortDirection } from '../../graphql/connection';
import { LocalDate } from '../../graphql/scalars';
import { ProtectiveMarking, Role } from '../identity/identity.enums';
import { AgreementOrderField, AgreementStatus, DataCategory, LegalGateway } from './sharing.enums';

@InputType()
export class CreateSharingAgreementInput {
  @Field(() => String) title!: string;
  @Field(() => [ID], { description: 'At least two organisations, at least one of them not law enforcement.' }) partyIds!: string[];
  @Field(() => [LegalGateway], { description: 'At least one.' }) legalGateways!: LegalGateway[];
  @Field(() => [String], { nullable: true }) purposes?: string[] | null;
  @Field(() => [DataCategory], { description: 'At least one.' }) dataCategories!: DataCategory[];
  @Field(() => ProtectiveMarking) maxProtectiveMarking!: ProtectiveMarking;
  @Field(() => LocalDate) effectiveFrom!: string;
  @Field(() => LocalDate, { description: 'After effectiveFrom; the first day it no longer applies.' }) expiresOn!: string;
  @Field(() => AgreementStatus, { nullable: true, description: 'DRAFT (default) or ACTIVE.' }) status?: AgreementStatus | null;
}

@InputType({ description: 'Changes to a DRAFT agreement; of an ACTIVE one, only a later expiresOn.' })
export class UpdateSharingAgreementInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => [ID], { nullable: true }) partyIds?: string[] | null;
  @Field(() => [LegalGateway], { nullable: true }) legalGateways?: LegalGateway[] | null;
  @Field(() => [String], { nullable: true }) purposes?: string[] | null;
  @Field(() => [DataCategory], { nullable: true }) dataCategories?: DataCategory[] | null;
  @Field(() => ProtectiveMarking, { nullable: true }) maxProtectiveMarking?: ProtectiveMarking | null;
  @Field(() => LocalDate, { nullable: true }) effectiveFrom?: string | null;
  @Field(() => LocalDate, { nullable: true }) expiresOn?: string | null;
}

@InputType()
export class AgreementStatusInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { nullable: true, description: 'Recorded as statusReason.' }) reason?: string | null;
}

@InputType()
export class SuspendSharingAgreementInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { description: 'Why sharing stops; recorded as statusReason.' }) reason!: string;
}

@InputType({ description: 'Narrows the agreement list; all given conditions must hold.' })
export class AgreementFilter {
  @Field(() => [AgreementStatus], { nullable: true }) status?: AgreementStatus[] | null;
  @Field(() => [ID], { nullable: true, description: 'Agreements any of these organisations is party to.' }) organisationIds?: string[] | null;
  @Field(() => DataCategory, { nullable: true, description: 'Agreements covering this kind of record.' }) dataCategory?: DataCategory | null;
  @Field(() => Boolean, { nullable: true, description: 'true: only those granting access today; false: only those not.' }) inForce?: boolean | null;
  @Field(() => Int, { nullable: true, description: 'In force and ending within this many days.' }) expiringWithinDays?: number | null;
}

@InputType()
export class AgreementOrder {
  @Field(() => AgreementOrderField) field!: AgreementOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@ArgsType()
export class SharingAgreementsArgs extends ConnectionArgs {
  @Field(() => AgreementFilter, { nullable: true }) filter?: AgreementFilter | null;
  @Field(() => [AgreementOrder], { nullable: true, description: 'Default: soonest to expire first.' }) orderBy?: AgreementOrder[] | null;
}

@InputType()
export class SetAccessRoleGrantsInput {
  @Field(() => DataCategory) dataCategory!: DataCategory;
  @Field(() => [Role], { description: 'Every role that may read this kind of record from now on; at least one.' }) roles!: Role[];
}
