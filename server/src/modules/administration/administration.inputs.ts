import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ConnectionArgs } from '../../graphql/connection';
import { LocalDate } from '../../graphql/scalars';
import { ProtectiveMarking, Role } from '../identity/identity.enums';
import { ApiKeyState } from './administration.types';

@InputType()
export class CreateUserInput {
  @Field(() => String, { description: 'Sign-in name: lower case letters, digits, dots, hyphens, underscores; 2 to 64 characters, e.g. tvp.analyst2.' })
  username!: string;
  @Field(() => String) displayName!: string;
  @Field(() => ID, { description: 'An organisation the administrator administers.' }) organisationId!: string;
  @Field(() => [Role], { description: 'At least one.' }) roles!: Role[];
  @Field(() => ProtectiveMarking, { description: 'At most the administrator’s own clearance.' }) clearance!: ProtectiveMarking;
}

@InputType()
export class ChangeUserRolesInput {
  @Field(() => ID) id!: string;
  @Field(() => [Role], { description: 'The user’s roles from now on: at least one.' }) roles!: Role[];
}

@InputType()
export class ChangeUserClearanceInput {
  @Field(() => ID) id!: string;
  @Field(() => ProtectiveMarking, { description: 'At most the administrator’s own clearance.' }) clearance!: ProtectiveMarking;
}

@InputType()
export class DeactivateUserInput {
  @Field(() => ID) id!: string;
}

@InputType({ description: 'Narrows the user list; all given conditions must hold.' })
export class UserFilter {
  @Field(() => String, { nullable: true, description: 'Words in the username or name.' }) text?: string | null;
  @Field(() => [ID], { nullable: true }) organisationIds?: string[] | null;
  @Field(() => Boolean, { nullable: true }) active?: boolean | null;
  @Field(() => Role, { nullable: true }) role?: Role | null;
}

@ArgsType()
export class UsersArgs extends ConnectionArgs {
  @Field(() => UserFilter, { nullable: true }) filter?: UserFilter | null;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String, { description: 'What the key is for, 1 to 200 characters.' }) name!: string;
  @Field(() => ID, { nullable: true, description: 'Its organisation; the administrator’s own when not given.' }) organisationId?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'It stops working at the start of this day (UTC); in the future. Null: no expiry.' })
  expiresOn?: string | null;
}

@InputType()
export class RevokeApiKeyInput {
  @Field(() => ID) id!: string;
}

@InputType()
export class ApiKeyFilter {
  @Field(() => [ApiKeyState], { nullable: true }) state?: ApiKeyState[] | null;
  @Field(() => [ID], { nullable: true }) organisationIds?: string[] | null;
}
