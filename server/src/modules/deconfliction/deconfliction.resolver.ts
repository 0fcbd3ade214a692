import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, createUnionType } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { Problems } from '../../shared/validation';
import { organisationLoader, userLoader } from '../identity/identity.loaders';
import { Organisation } from '../identity/organisation.entity';
import { User } from '../identity/user.entity';
import { intelligenceLoaders } from '../intelligence/intelligence.loaders';
import { IntelligenceReport } from '../intelligence/intelligence.types';
import { threatLoaders } from '../threats/threat.loaders';
import { Nominal } from '../threats/threat.types';
import * as deconfliction from './deconfliction.service';
import { describeInterest } from './deconfliction.words';
import {
  DeconflictionInterest,
  DeconflictionMatch,
  DeconflictionResult,
  IdentifierInput,
  RecordedIdentifier,
  RecordIdentifierInput,
  RecordIdentifierResult,
} from './deconfliction.types';

const MAX_INTERESTS = 100;

const IdentifierHolder = createUnionType({
  name: 'IdentifierHolder',
  description: 'A record identifiers are held on.',
  types: () => [Nominal, IntelligenceReport] as const,
  resolveType: (value) => (value as { __typename?: string }).__typename,
});

@Resolver()
export class DeconflictionResolver {
  @Mutation(() => DeconflictionResult, {
    description:
      'Checks whether another organisation holds this identifier, including on records you may not read. You learn only who holds it and whom to contact; ' +
      'each holder is told live that your organisation has an interest. Audited on both sides; needs a stated purpose.',
  })
  checkIdentifier(@Arg('input', () => IdentifierInput) input: IdentifierInput, @Ctx() ctx: RequestContext) {
    return deconfliction.checkIdentifier(ctx, input);
  }

  @Mutation(() => RecordIdentifierResult, {
    description: 'Records an identifier on a person or intelligence report your organisation holds, and checks it as checkIdentifier does.',
  })
  recordIdentifier(@Arg('input', () => RecordIdentifierInput) input: RecordIdentifierInput, @Ctx() ctx: RequestContext) {
    return deconfliction.recordIdentifier(ctx, input);
  }

  @Mutation(() => IdentifierHolder, {
    description:
      'Removes an identifier your organisation holds, from the person or report it is on (which is returned). One taken from a field comes back when that field next changes. ' +
      "Another organisation's, or one on a record you may not read, is not found.",
  })
  async removeIdentifier(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    const record = await deconfliction.removeIdentifier(ctx, id);
    return record.type === 'Nominal' ? threatLoaders.nominal(ctx).load(record.id) : intelligenceLoaders.report(ctx).load(record.id);
  }

  @Query(() => [DeconflictionInterest], { description: 'Interests other organisations have shown in identifiers your organisation holds, on records you may read, most recent first.' })
  deconflictionInterests(@Arg('first', () => Int, { defaultValue: 20 }) first: number, @Ctx() ctx: RequestContext) {
    const p = new Problems('');
    p.when(first < 1 || first > MAX_INTERESTS, 'first', `must be between 1 and ${MAX_INTERESTS}`);
    p.throwIfAny();
    return deconfliction.recentInterests(ctx, first);
  }
}

@Resolver(() => DeconflictionMatch)
export class DeconflictionMatchResolver {
  @FieldResolver(() => Organisation)
  organisation(@Root() m: DeconflictionMatch, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(m.organisationId);
  }
}

@Resolver(() => DeconflictionInterest)
export class DeconflictionInterestResolver {
  @FieldResolver(() => Organisation, { description: 'The organisation that checked.' })
  checkingOrganisation(@Root() d: DeconflictionInterest, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(d.checkingOrganisationId);
  }

  @FieldResolver(() => User, { description: 'Who checked: whom to contact.' })
  checkedBy(@Root() d: DeconflictionInterest, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(d.checkedById);
  }

  @FieldResolver(() => Nominal, { nullable: true, description: 'Your person the identifier is on, if it is on a person.' })
  nominal(@Root() d: DeconflictionInterest, @Ctx() ctx: RequestContext) {
    return d.nominalId ? threatLoaders.nominal(ctx).load(d.nominalId) : null;
  }

  @FieldResolver(() => IntelligenceReport, { nullable: true, description: 'Your intelligence report the identifier is on, if it is on a report.' })
  intelligenceReport(@Root() d: DeconflictionInterest, @Ctx() ctx: RequestContext) {
    return d.intelligenceReportId ? intelligenceLoaders.report(ctx).load(d.intelligenceReportId) : null;
  }

  @FieldResolver(() => String, { description: 'In plain words, e.g. "Surrey Police has an interest in a phone number you hold."' })
  async message(@Root() d: DeconflictionInterest, @Ctx() ctx: RequestContext) {
    const organisation = await organisationLoader(ctx).load(d.checkingOrganisationId);
    return describeInterest(organisation?.name ?? 'Another organisation', d.kind, d.strength);
  }
}

/** The identifiers recorded on a person or report, for its holder's users. */
@Resolver(() => Nominal)
export class NominalIdentifiersResolver {
  @FieldResolver(() => [RecordedIdentifier], { description: 'Identifiers your organisation holds on this person for deconfliction (from their name and aliases with their date of birth, and recorded by hand), oldest first.' })
  identifiers(@Root() n: Nominal, @Ctx() ctx: RequestContext) {
    return deconfliction.identifiersOf(ctx, 'Nominal', n.dbId);
  }
}

@Resolver(() => IntelligenceReport)
export class ReportIdentifiersResolver {
  @FieldResolver(() => [RecordedIdentifier], { description: 'Identifiers your organisation holds on this report for deconfliction (the people it is linked to, and recorded by hand), oldest first.' })
  identifiers(@Root() r: IntelligenceReport, @Ctx() ctx: RequestContext) {
    return deconfliction.identifiersOf(ctx, 'IntelligenceReport', r.dbId);
  }
}
