import { GraphQLJSON } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../graphql/connection';
import { AuditAction, Purpose } from './audit.enums';

@ObjectType({ description: 'One entry in the append-only audit trail. Once chained (within a second of its commit), each carries the hash of the one before it in the chain.' })
export class AuditEvent {
  userId!: string;
  organisationId!: string;
  recordDbIds!: string[];

  @Field(() => ID, { description: "The event's number in the trail, in the order events were written (the chain links them in the order they were committed)." })
  id!: string;

  @Field(() => Date) at!: Date;
  @Field(() => String, { description: 'The username at the time of the event.' }) username!: string;
  @Field(() => String, { nullable: true, description: 'The GraphQL operation name the client sent.' }) operation!: string | null;
  @Field(() => AuditAction) action!: AuditAction;
  @Field(() => String, { nullable: true, description: 'GraphQL type of the records, e.g. SocThreat.' }) recordType!: string | null;
  @Field(() => [ID], { description: 'Global IDs of the records concerned (all of them: one event per action and type per request).' })
  recordIds!: string[];
  @Field(() => Purpose, { nullable: true, description: 'The purpose stated with the request; null when none was.' }) purpose!: Purpose | null;
  @Field(() => String, { nullable: true }) clientAddress!: string | null;
  @Field(() => String, { nullable: true }) requestId!: string | null;
  @Field(() => GraphQLJSON, { description: 'Mutation names, refusal reasons, export formats.' }) detail!: unknown;
  @Field(() => String, { nullable: true, description: "The previous event's hash in the chain (64 zeros for the first); null until the event is chained, within a second of its commit." })
  prevHash!: string | null;
  @Field(() => String, { nullable: true, description: 'sha256(prevHash || canonical text of this event), set by the database when the event is chained; null until then.' })
  hash!: string | null;
}

@ObjectType()
export class AuditEventConnection extends ConnectionType(AuditEvent) {}

@InputType()
export class AuditEventFilter {
  @Field(() => [ID], { nullable: true }) userIds?: string[] | null;
  @Field(() => [ID], { nullable: true }) organisationIds?: string[] | null;
  @Field(() => ID, { nullable: true, description: 'Events naming this record (global ID).' }) recordId?: string | null;
  @Field(() => [Purpose], { nullable: true }) purpose?: Purpose[] | null;
  @Field(() => [AuditAction], { nullable: true }) action?: AuditAction[] | null;
  @Field(() => Date, { nullable: true, description: 'At or after this time.' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Before this time.' }) to?: Date | null;
  @Field(() => String, { nullable: true, description: 'Events by users whose username or name contains these words.' }) user?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "Events naming this record, given by its reference (a threat's URN such as SE-2024-0042, a referral's reference) or its ID.",
  })
  record?: string | null;
  @Field(() => Boolean, { nullable: true, description: "true: leaves out the caller's own searches of the audit trail (and the web client's reads of the names of the records they list)." }) hideOwnSearches?: boolean | null;
}

@ArgsType()
export class AuditEventsArgs extends ConnectionArgs {
  @Field(() => AuditEventFilter, { nullable: true }) filter?: AuditEventFilter | null;
}

@ObjectType({ description: 'The result of recomputing the whole audit chain.' })
export class AuditChainVerification {
  @Field(() => Boolean, { description: 'Every event links to the one before and hashes to what it says, none is missing at the end, and every published anchor still matches.' })
  valid!: boolean;
  @Field(() => Int, { description: 'Events checked: every event chained so far.' }) eventsChecked!: number;
  @Field(() => Int, {
    description: 'Events committed but not yet linked into the chain (they are chained within a second of commit, by any instance); not checked, and not a fault.',
  })
  eventsUnchained!: number;
  @Field(() => ID, { nullable: true, description: 'The first event that does not verify (or the missing last one).' })
  firstBrokenEventId!: string | null;
  @Field(() => Int, { description: "How many of this server's published chain heads (anchors) were checked." })
  anchorsChecked!: number;
  @Field(() => ID, {
    nullable: true,
    description: 'The first anchored event whose hash is no longer the one published (the chain was rewritten and recomputed), or whose anchor was tampered with.',
  })
  firstBrokenAnchorEventId!: string | null;
  @Field(() => Date, { description: 'When this check ran.' }) checkedAt!: Date;
}
