import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { userLoader } from '../identity/identity.loaders';
import { User } from '../identity/user.entity';
import { threatLoaders } from '../threats/threat.loaders';
import { CriminalActivity, SocThreat } from '../threats/threat.types';
import { AssessmentDecisionInput, CreateAssessmentInput, PublishAssessmentModelInput, ReviseAssessmentInput } from './assessment.inputs';
import * as assessments from './assessment.service';
import { AssessmentModel, AssessmentModelPreview, ThreatAssessment, ThreatPriorityChange } from './assessment.types';

@Resolver(() => ThreatAssessment)
export class AssessmentResolver {
  @FieldResolver(() => SocThreat)
  threat(@Root() a: ThreatAssessment, @Ctx() ctx: RequestContext) {
    return threatLoaders.threat(ctx).load(a.threatId);
  }

  @FieldResolver(() => CriminalActivity, { nullable: true, description: 'The activity assessed; null for an assessment of the whole threat.' })
  criminalActivity(@Root() a: ThreatAssessment, @Ctx() ctx: RequestContext) {
    return a.criminalActivityId ? threatLoaders.activity(ctx).load(a.criminalActivityId) : null;
  }

  @FieldResolver(() => User)
  assessedBy(@Root() a: ThreatAssessment, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(a.assessedById);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who approved or returned it.' })
  decidedBy(@Root() a: ThreatAssessment, @Ctx() ctx: RequestContext) {
    return a.decidedById ? userLoader(ctx).load(a.decidedById) : null;
  }

  @Query(() => AssessmentModel, { nullable: true, description: 'A version of the scoring model; the current one when no version is given.' })
  assessmentModel(@Arg('version', () => Int, { nullable: true }) version: number | null, @Ctx() ctx: RequestContext) {
    return assessments.getModel(ctx.db.knex, version);
  }

  @Query(() => AssessmentModelPreview, {
    description: 'What publishing this model definition would change (admins), over what you can read; checked as publishAssessmentModel checks it, nothing saved.',
  })
  previewAssessmentModel(@Arg('input', () => PublishAssessmentModelInput) input: PublishAssessmentModelInput, @Ctx() ctx: RequestContext) {
    return assessments.previewAssessmentModel(ctx, input);
  }

  @Mutation(() => ThreatAssessment, { description: 'Scores a new draft assessment of a threat or one of its activities.' })
  createAssessment(@Arg('input', () => CreateAssessmentInput) input: CreateAssessmentInput, @Ctx() ctx: RequestContext) {
    return assessments.createAssessment(ctx, input);
  }

  @Mutation(() => ThreatAssessment, { description: 'Rescores a draft or returned assessment.' })
  reviseAssessment(@Arg('input', () => ReviseAssessmentInput) input: ReviseAssessmentInput, @Ctx() ctx: RequestContext) {
    return assessments.reviseAssessment(ctx, input);
  }

  @Mutation(() => ThreatAssessment)
  submitAssessment(@Arg('input', () => AssessmentDecisionInput) input: AssessmentDecisionInput, @Ctx() ctx: RequestContext) {
    return assessments.submitAssessment(ctx, input);
  }

  @Mutation(() => ThreatAssessment, { description: "Approves a submitted assessment (not your own) and recomputes the threat's priority." })
  approveAssessment(@Arg('input', () => AssessmentDecisionInput) input: AssessmentDecisionInput, @Ctx() ctx: RequestContext) {
    return assessments.approveAssessment(ctx, input);
  }

  @Mutation(() => ThreatAssessment, { description: 'Returns a submitted assessment for revision, with a reason.' })
  returnAssessment(@Arg('input', () => AssessmentDecisionInput) input: AssessmentDecisionInput, @Ctx() ctx: RequestContext) {
    return assessments.returnAssessment(ctx, input);
  }

  @Mutation(() => AssessmentModel, { description: 'Publishes a new version of the scoring model (admins).' })
  publishAssessmentModel(@Arg('input', () => PublishAssessmentModelInput) input: PublishAssessmentModelInput, @Ctx() ctx: RequestContext) {
    return assessments.publishAssessmentModel(ctx, input);
  }
}

@Resolver(() => AssessmentModel)
export class AssessmentModelResolver {
  @FieldResolver(() => User, { nullable: true })
  createdBy(@Root() m: AssessmentModel, @Ctx() ctx: RequestContext) {
    return m.createdById ? userLoader(ctx).load(m.createdById) : null;
  }
}

@Resolver(() => ThreatPriorityChange)
export class ThreatPriorityChangeResolver {
  @FieldResolver(() => SocThreat, { nullable: true })
  threat(@Root() c: ThreatPriorityChange, @Ctx() ctx: RequestContext) {
    return threatLoaders.threat(ctx).load(c.threatId);
  }
}
