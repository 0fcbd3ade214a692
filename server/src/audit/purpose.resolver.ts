import { Arg, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { Purpose } from './audit.enums';
import { recordPurposeChange } from './purpose';

@ObjectType({ description: 'The purpose now stated, and the one it replaced.' })
export class StatedPurpose {
  @Field(() => Purpose) purpose!: Purpose;
  @Field(() => Purpose, { nullable: true }) previous!: Purpose | null;
}

@Resolver()
export class PurposeResolver {
  @Mutation(() => StatedPurpose, {
    description:
      'Records on the audit trail that you now work under another purpose (without signing out). Send the new purpose in X-Purpose ' +
      'with this request too; later requests carry it as usual.',
  })
  statePurpose(
    @Arg('purpose', () => Purpose) purpose: Purpose,
    @Arg('previous', () => Purpose, { nullable: true, description: 'The purpose you worked under until now.' }) previous: Purpose | null,
    @Ctx() ctx: RequestContext,
  ) {
    return recordPurposeChange(ctx, purpose, previous);
  }
}
