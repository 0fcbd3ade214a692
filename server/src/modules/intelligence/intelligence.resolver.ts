import { Arg, Args, Ctx, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { isNarrowed, unlessWithheld, withheldFields, WithheldField } from '../../access/redaction';
import { withVisibleParents } from '../../access/policy';
import type { RequestContext } from '../../graphql/context';
import { ConnectionArgs, ConnectionType, SortDirection, firstPageSize, orderTerms, paginate, type OrderTerm } from '../../graphql/connection';
import { requireGlobalId } from '../../graphql/global-id';
import { SharedRecordResolver } from '../../shared/shared-record';
import { Problems, isIsoDate } from '../../shared/validation';
import { organisationLoader, userLoader } from '../identity/identity.loaders';
import { Organisation } from '../identity/organisation.entity';
import { User } from '../identity/user.entity';
import { threatLoaders } from '../threats/threat.loaders';
import { CriminalActivity, Nominal, SocThreat } from '../threats/threat.types';
import { IntelligenceAssessment, IntelligenceOrderField, SOURCE_CODE, SourceEvaluation } from './intelligence.enums';
import { CreateIntelligenceReportInput, DisseminateIntelligenceInput, IntelligenceReportsArgs, UpdateIntelligenceReportInput, type IntelligenceFilter } from './intelligence.inputs';
import { intelligenceLoaders } from './intelligence.loaders';
import { mapReport, reportQuery, type IntelligenceCriteria } from './intelligence.repository';
import { flagsFor, intelligenceRules } from './intelligence.rules';
import * as intelligence from './intelligence.service';
import { GradingFlag, IntelligenceDissemination, IntelligenceReport } from './intelligence.types';

@ObjectType()
export class IntelligenceReportConnection extends ConnectionType(IntelligenceReport) {}

const TYPE = 'IntelligenceReport';

function criteria(filter: IntelligenceFilter | null | undefined): IntelligenceCriteria {
  if (!filter) return {};
  const p = new Problems('');
  for (const f of ['receivedFrom', 'receivedTo'] as const) p.when(!!filter[f] && !isIsoDate(filter[f]!), `filter.${f}`, 'must be a date, YYYY-MM-DD');
  p.throwIfAny();
  return {
    threatIds: filter.threatIds?.map((g, i) => requireGlobalId(g, 'SocThreat', `filter.threatIds[${i}]`)),
    handlingCodes: filter.handlingCode,
    receivedFrom: filter.receivedFrom,
    receivedTo: filter.receivedTo,
    text: filter.text ?? undefined,
  };
}

const ORDER_COLUMNS: Record<IntelligenceOrderField, string> = { RECEIVED_ON: 'i.received_on', UPDATED_AT: 'i.updated_at' };

function order(args: IntelligenceReportsArgs): OrderTerm[] {
  return orderTerms(args.orderBy, { field: IntelligenceOrderField.RECEIVED_ON, direction: SortDirection.DESC }, ORDER_COLUMNS, 'i.id');
}

const loaded = <T>(values: (T | Error | null)[]) => values.filter((v): v is T => !!v && !(v instanceof Error));

@Resolver(() => IntelligenceReport)
export class IntelligenceReportResolver extends SharedRecordResolver(IntelligenceReport) {
  @Query(() => IntelligenceReportConnection, { description: 'Intelligence reports you may read, most recently received first. Every read is audited and needs a stated purpose.' })
  intelligenceReports(@Args(() => IntelligenceReportsArgs) args: IntelligenceReportsArgs, @Ctx() ctx: RequestContext) {
    return paginate(reportQuery(ctx.access, criteria(args.filter)), args, order(args), mapReport);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The grading as written, e.g. "1A P". Null when withheld from you.' })
  grading(@Root() r: IntelligenceReport, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, TYPE, 'grading', () => `${SOURCE_CODE[r.sourceEvaluation!]}${r.intelligenceAssessment} ${r.handlingCode}`, r);
  }

  @FieldResolver(() => [GradingFlag], { nullable: true, description: 'What the entry rules flag about the grading (e.g. 3E). Null when withheld from you.' })
  gradingFlags(@Root() r: IntelligenceReport, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, TYPE, 'gradingFlags', () => flagsFor(intelligenceRules, r.sourceEvaluation!, r.intelligenceAssessment!), r);
  }

  // Withheld fields: the row carries them (the services judge by them); the caller may not see them.
  @FieldResolver(() => SourceEvaluation, { nullable: true })
  sourceEvaluation(@Root() r: IntelligenceReport, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, TYPE, 'sourceEvaluation', () => r.sourceEvaluation, r);
  }

  @FieldResolver(() => IntelligenceAssessment, { nullable: true })
  intelligenceAssessment(@Root() r: IntelligenceReport, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, TYPE, 'intelligenceAssessment', () => r.intelligenceAssessment, r);
  }

  @FieldResolver(() => String, { nullable: true })
  sourceReference(@Root() r: IntelligenceReport, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, TYPE, 'sourceReference', () => r.sourceReference, r);
  }

  @FieldResolver(() => String, { nullable: true })
  originalText(@Root() r: IntelligenceReport, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, TYPE, 'originalText', () => r.originalText, r);
  }

  @FieldResolver(() => [WithheldField], { description: 'Fields you are not shown (null above), and why.' })
  withheld(@Root() r: IntelligenceReport, @Ctx() ctx: RequestContext) {
    return withheldFields(ctx, TYPE, r);
  }

  @FieldResolver(() => [SocThreat], { description: 'The threats it is about that you may read.' })
  async threats(@Root() r: IntelligenceReport, @Ctx() ctx: RequestContext) {
    return loaded(await threatLoaders.threat(ctx).loadMany(r.threatIds));
  }

  @FieldResolver(() => [CriminalActivity], { description: 'The criminal activities it is about, of threats you may read.' })
  async activities(@Root() r: IntelligenceReport, @Ctx() ctx: RequestContext) {
    const activities = loaded(await threatLoaders.activity(ctx).loadMany(r.activityIds));
    return loaded(await withVisibleParents(activities, (a) => threatLoaders.threat(ctx).load(a.threatId)));
  }

  @FieldResolver(() => [Nominal], { nullable: true, description: 'The people it is about that you may read. Null when withheld from you.' })
  async nominals(@Root() r: IntelligenceReport, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, TYPE, 'nominals', async () => loaded(await threatLoaders.nominal(ctx).loadMany(r.nominalIds)), r);
  }

  @FieldResolver(() => [IntelligenceDissemination], { description: "Every dissemination to a partner, oldest first; a partner is shown only those to its own organisation." })
  async disseminations(@Root() r: IntelligenceReport, @Ctx() ctx: RequestContext) {
    const all = await intelligenceLoaders.disseminationsOfReport(ctx).load(r.dbId);
    return isNarrowed(ctx, TYPE, 'disseminations', r) ? all.filter((d) => d.recipientOrganisationId === ctx.access.caller.organisationId) : all;
  }

  @Mutation(() => IntelligenceReport, { description: 'Records a graded intelligence report, owned by your organisation. The entry rules (intelligence-rules.json) name each field at fault.' })
  createIntelligenceReport(@Arg('input', () => CreateIntelligenceReportInput) input: CreateIntelligenceReportInput, @Ctx() ctx: RequestContext) {
    return intelligence.createIntelligenceReport(ctx, input);
  }

  @Mutation(() => IntelligenceReport, { description: 'Changes an intelligence report; owning organisation only. The entry rules judge the report as it will be.' })
  updateIntelligenceReport(@Arg('input', () => UpdateIntelligenceReportInput) input: UpdateIntelligenceReportInput, @Ctx() ctx: RequestContext) {
    return intelligence.updateIntelligenceReport(ctx, input);
  }

  @Mutation(() => IntelligenceReport, {
    description:
      'Disseminates a report to a partner organisation with its handling code and conditions: a recorded act, audited as EXPORT. ' +
      'Owning organisation only; the partner needs an agreement in force covering intelligence at the report\'s marking.',
  })
  disseminateIntelligence(@Arg('input', () => DisseminateIntelligenceInput) input: DisseminateIntelligenceInput, @Ctx() ctx: RequestContext) {
    return intelligence.disseminateIntelligence(ctx, input);
  }
}

@Resolver(() => IntelligenceDissemination)
export class IntelligenceDisseminationResolver {
  @FieldResolver(() => Organisation)
  recipientOrganisation(@Root() d: IntelligenceDissemination, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(d.recipientOrganisationId);
  }

  @FieldResolver(() => User)
  disseminatedBy(@Root() d: IntelligenceDissemination, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(d.disseminatedById);
  }

  @FieldResolver(() => IntelligenceReport)
  report(@Root() d: IntelligenceDissemination, @Ctx() ctx: RequestContext) {
    return intelligenceLoaders.report(ctx).load(d.reportId);
  }
}

/** A threat's intelligence: the reports about it that the caller may read. */
@Resolver(() => SocThreat)
export class ThreatIntelligenceResolver {
  @FieldResolver(() => IntelligenceReportConnection, { description: 'The intelligence reports about this threat that you may read, most recently received first.' })
  intelligence(@Root() t: SocThreat, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    // A first page is read with every other threat's on the page (one statement for them all);
    // a client paging on through one threat's reports goes page by page.
    const size = firstPageSize(args);
    if (size !== undefined) return intelligenceLoaders.firstPageOfThreat(ctx, size, order({})).load(t.dbId);
    return paginate(reportQuery(ctx.access, { threatIds: [t.dbId] }), args, order({}), mapReport);
  }
}
