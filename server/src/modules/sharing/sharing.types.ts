import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { LocalDate } from '../../graphql/scalars';
import { ProtectiveMarking, Role } from '../identity/identity.enums';
import { AgreementStatus, DataCategory, LegalGateway } from './sharing.enums';

@ObjectType({
  implements: Node,
  description: 'An information sharing agreement (ISA): without one in force, a non-police partner reads nothing that others share with it.',
})
export class InformationSharingAgreement extends Node {
  dbId!: string;
  partyIds!: string[];
  createdById!: string | null;
  updatedById!: string | null;

  @Field(() => String) title!: string;
  @Field(() => [LegalGateway]) legalGateways!: LegalGateway[];
  @Field(() => [String]) purposes!: string[];
  @Field(() => [DataCategory], { description: 'The kinds of record it covers.' }) dataCategories!: DataCategory[];
  @Field(() => ProtectiveMarking, { description: 'The highest marking shared under it.' }) maxProtectiveMarking!: ProtectiveMarking;
  @Field(() => LocalDate, { description: 'First day it applies.' }) effectiveFrom!: string;
  @Field(() => LocalDate, { description: 'First day it no longer applies.' }) expiresOn!: string;
  @Field(() => AgreementStatus) status!: AgreementStatus;
  @Field(() => String, { nullable: true, description: 'Why it was suspended or ended early.' }) statusReason!: string | null;
  @Field(() => Boolean, { description: 'ACTIVE and today is within [effectiveFrom, expiresOn): it grants access now.' }) isInForce!: boolean;
  @Field(() => Int, { description: 'Days from today until expiresOn; 0 or less once that day has come.' }) expiresInDays!: number;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  @Field(() => Int, { description: 'Increases with every change; send it back as expectedVersion.' }) version!: number;
}

@ObjectType({ description: 'Which roles may read one kind of record (the default policy, which administrators can change).' })
export class AccessRoleGrant {
  @Field(() => DataCategory) dataCategory!: DataCategory;
  @Field(() => [Role]) roles!: Role[];
}
