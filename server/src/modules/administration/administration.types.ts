import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../graphql/global-id';
import { ProtectiveMarking, Role } from '../identity/identity.enums';
import { Organisation } from '../identity/organisation.entity';

export enum ApiKeyState {
  ACTIVE = 'ACTIVE',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(ApiKeyState, { name: 'ApiKeyState', description: 'Whether a key works: ACTIVE, or REVOKED by an administrator, or EXPIRED.' });

@ObjectType({ description: 'An API key for scripts (reports): read-only, for REPORTING, as its own service account. Never its secret.' })
export class ApiKey {
  /** For the audit trail: the key's row. */
  __typename = 'ApiKey';
  dbId!: string;

  @Field(() => ID)
  get id(): string {
    return toGlobalId('ApiKey', this.dbId);
  }

  @Field(() => String, { description: 'What it is for.' }) name!: string;
  @Field(() => Organisation) organisation!: Organisation;
  @Field(() => ApiKeyState) state!: ApiKeyState;
  @Field(() => Role, { description: 'The one reading role its service account holds.' }) role!: Role;
  @Field(() => ProtectiveMarking, { description: 'What its service account is cleared to read.' }) clearance!: ProtectiveMarking;
  @Field(() => Date) createdAt!: Date;
  @Field(() => String, { nullable: true, description: 'Who created it: a username, or the operating-system account that ran npm run apikey.' })
  createdBy!: string | null;
  @Field(() => Date, { nullable: true, description: 'When it stops working; null: never.' }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Its last request, from the audit trail; null: never used.' }) lastUsedAt!: Date | null;
}

@ObjectType({ description: 'A new key: the whole key is in `key`, shown this once and never again (only its hash is kept).' })
export class CreatedApiKey {
  /** For the audit trail: the key created. */
  __typename = 'ApiKey';
  dbId!: string;

  @Field(() => String, { description: 'Send as "Authorization: Bearer <key>". Shown once.' }) key!: string;
  @Field(() => ApiKey) apiKey!: ApiKey;
}
