import { Entity, OptionalProps, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { OrganisationType } from './identity.enums';

/** A police force, agency or local partner taking part in the regional partnership. */
@ObjectType({ implements: Node, description: 'A police force, agency or local partner in the partnership.' })
@Entity({ tableName: 'organisation' })
export class Organisation {
  [OptionalProps]?: 'globalId';

  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global object ID, usable with node(id).' })
  get globalId(): string {
    return toGlobalId('Organisation', this.id);
  }

  @Field(() => String, { description: 'Short code used across the region, e.g. SEROCU, TVP, OXON_CS.' })
  @Property({ type: 'text', unique: true })
  code!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => OrganisationType)
  @Enum({ items: () => OrganisationType, columnType: 'text' })
  type!: OrganisationType;

  @Field(() => String, { description: 'SOUTH_EAST for the region\'s own organisations, NATIONAL for national agencies.' })
  @Property({ type: 'text' })
  region!: string;

  @Field(() => Boolean, { description: 'SEROCU, the forces and national law-enforcement agencies.' })
  @Property({ type: 'boolean' })
  isLawEnforcement!: boolean;
}
