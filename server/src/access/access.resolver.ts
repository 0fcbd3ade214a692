import type { Knex } from '@mikro-orm/postgresql';
import { Arg, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { ForbiddenError } from '../graphql/errors';
import { AuditAction } from '../audit/audit.enums';
import { PurposeRequiredError } from '../audit/purpose';
import { allowedPurposes } from './purpose-roles';
import { fromGlobalId } from '../graphql/global-id';
import { Role } from '../modules/identity/identity.enums';
import { User } from '../modules/identity/user.entity';
import { explainRead, type UserFacts } from './explain';
import { readableRecords } from './references';
import { recordKindOfType } from './catalogue';
import { toUser, userRows } from '../modules/identity/identity.loaders';

async function userNamed(knex: Knex, username: string): Promise<User | undefined> {
  const row = await userRows(knex).where('u.username', username).first();
  return row && toUser(row);
}

@ObjectType({ description: 'One access rule applied to one user and one record.' })
export class AccessRule {
  @Field(() => String, { description: 'CLEARANCE, ROLE, SHARING, AGREEMENT, REFERRAL_PARTY, REFERRAL_SUBJECT, DISSEMINATION, PARTNER_*, THREAT.' }) rule!: string;
  @Field(() => Boolean) passed!: boolean;
  @Field(() => String) detail!: string;
}

@ObjectType({ description: 'Why a user can or cannot read a record.' })
export class AccessExplanation {
  @Field(() => ID) recordId!: string;
  @Field(() => User) user!: User;
  @Field(() => Boolean) canRead!: boolean;
  @Field(() => [AccessRule]) rules!: AccessRule[];
}

/** Admins and auditors may ask about any record and any user; everyone else about what they can see, for themselves. */
const OVERSEERS = [Role.ADMIN, Role.AUDITOR];

@Resolver()
export class AccessResolver {
  @Query(() => AccessExplanation, {
    nullable: true,
    description:
      'Why can I see this? The rules that grant or deny reading a shared record, for you or (admins and auditors) for another user. Null when the record does not exist or you may not see it.',
  })
  async explainAccess(
    @Arg('recordId', () => ID) recordId: string,
    @Arg('username', () => String, { nullable: true }) username: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AccessExplanation | null> {
    const overseer = ctx.viewer.roles.some((r) => OVERSEERS.includes(r));
    if (username && username !== ctx.viewer.username && !overseer) {
      throw new ForbiddenError('Only admins and auditors may ask about another user\'s access.');
    }
    const parsed = fromGlobalId(recordId);
    const kind = parsed ? recordKindOfType(parsed.type) : undefined;
    if (!parsed || !kind) return null;
    const { table } = kind;
    // Overseers see the record's facts whoever they are; anyone else only a record they may read
    // (a plan or disruption with its threat, or the explanation would name a threat hidden from them).
    // Looking past the rules is itself an access to sensitive data: it needs a stated purpose
    // and goes on the audit trail, as a read of the record with who was asked about.
    if (overseer && !ctx.purpose) throw new PurposeRequiredError(parsed.type, allowedPurposes(ctx.viewer.roles), 'Asking who can see a record, as an admin or auditor,');
    // Read past row-level security (explanation-db.ts), never on a second connection of the request pool.
    const privileged = ctx.explanationDb;
    const row = overseer
      ? await privileged(table).where({ id: parsed.id }).first()
      : await readableRecords(ctx.access, table, 'rec').where('rec.id', parsed.id).first();
    if (!row) return null;
    const user = username ? await userNamed(privileged, username) : ctx.viewer;
    if (!user) return null;
    if (overseer) ctx.audit.record(AuditAction.READ, parsed.type, [parsed.id], { explainAccessFor: user.username });
    const facts: UserFacts = {
      id: user.id,
      username: user.username,
      roles: user.roles,
      clearance: user.clearance,
      organisationId: user.organisation.id,
      organisationCode: user.organisation.code,
      isLawEnforcement: user.organisation.isLawEnforcement,
    };
    return { recordId, user, ...(await explainRead(privileged, facts, table, row)) };
  }
}
