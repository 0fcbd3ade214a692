import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { ProtectiveMarking, Role } from './identity.enums';
import { Organisation } from './organisation.entity';
import { Purpose } from '../../audit/audit.enums';
import { allowedPurposes } from '../../access/purpose-roles';

/** A person who signs in. Identity comes from the token; roles and clearance from here. */
@ObjectType({ implements: Node, description: 'A person who signs in to the platform.' })
@Entity({ tableName: 'app_user' })
export class User {
  [OptionalProps]?: 'globalId' | 'allowedPurposes' | 'createdAt' | 'updatedAt' | 'active';

  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global object ID, usable with node(id).' })
  get globalId(): string {
    return toGlobalId('User', this.id);
  }

  @Field(() => String, { description: 'Sign-in name, e.g. serocu.analyst; the username claim of the token.' })
  @Property({ type: 'text', unique: true })
  username!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  displayName!: string;

  /** Eager: every request needs the caller's organisation, so it comes in the same query. */
  @Field(() => Organisation)
  @ManyToOne(() => Organisation, { eager: true })
  organisation!: Organisation;

  @Field(() => [Role])
  @Enum({ items: () => Role, array: true, columnType: 'text[]' })
  roles!: Role[];

  @Field(() => [Purpose], {
    description: 'The purposes this user\'s roles allow them to state (X-Purpose), in the order of the Purpose enum; none for a user without roles.',
  })
  get allowedPurposes(): readonly Purpose[] {
    return allowedPurposes(this.roles ?? []);
  }

  @Field(() => ProtectiveMarking, { description: 'The highest protective marking this user may read.' })
  @Enum({ items: () => ProtectiveMarking, columnType: 'text' })
  clearance!: ProtectiveMarking;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  active!: boolean;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt!: Date;
}
