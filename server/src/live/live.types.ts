import { ArgsType, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../graphql/node';
import { User } from '../modules/identity/user.entity';

export enum LiveEventType {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
  WITHDRAWN = 'WITHDRAWN',
}

registerEnumType(LiveEventType, {
  name: 'EventType',
  description: 'What happened to a record, as this subscriber sees it.',
  valuesConfig: {
    CREATED: { description: 'The record was created.' },
    UPDATED: { description: 'The record, or one of its parts (activities, actions, updates...), changed.' },
    DELETED: { description: 'The record was deleted.' },
    WITHDRAWN: {
      description:
        'You can no longer see this record (its sharing or marking changed, or your access did). Sent once; nothing more about it follows while it stays out of reach.',
    },
  },
});

@ObjectType({ description: 'One change to a shared record, delivered to a subscriber entitled to see it.' })
export class LiveEvent {
  actorId!: string | null;

  @Field(() => String, { description: 'Pass as `after` when resubscribing to receive everything since this event, once each, in order.' })
  cursor!: string;

  @Field(() => LiveEventType) type!: LiveEventType;

  @Field(() => String, { description: 'The GraphQL type of the record, e.g. SocThreat.' }) recordType!: string;

  @Field(() => ID, { description: "The record's global ID." }) recordId!: string;

  @Field(() => Node, { nullable: true, description: 'The record as it is now, redacted for you; null when WITHDRAWN or DELETED.' })
  record!: object | null;

  @Field(() => [String], { description: 'Fields (or parts, e.g. criminalActivity) that changed; empty when WITHDRAWN.' })
  changedFields!: string[];

  @Field(() => Date, { description: 'When the change committed.' }) at!: Date;

  @Field(() => User, { nullable: true, description: 'Who made the change; null when WITHDRAWN.' }) actor?: User | null;
}

@ArgsType()
export class EventsArgs {
  @Field(() => String, { nullable: true, description: 'Resume after this cursor: every event since, in order, then live.' })
  after?: string | null;

  @Field(() => [LiveEventType], { nullable: true, description: 'Only these kinds of event (WITHDRAWN is always sent for records you were following).' })
  types?: LiveEventType[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only events about these records (global IDs).' })
  recordIds?: string[] | null;
}

@ArgsType()
export class RecordEventsArgs {
  @Field(() => ID, { description: "The record's global ID." }) id!: string;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@ArgsType()
export class TypeEventsArgs {
  @Field(() => String, { nullable: true }) after?: string | null;
}
