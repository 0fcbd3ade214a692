import type { NodeFetchers } from '../../graphql/node';
import { sharingLoaders } from './sharing.loaders';
import { AccessRoleGrantResolver, SharingAgreementResolver } from './sharing.resolver';
import { agreementScope } from './sharing.service';

/** Information sharing agreements and the role policy: their administration and who can see them. */
export const sharingModule = {
  entities: [],
  resolvers: [SharingAgreementResolver, AccessRoleGrantResolver],
  nodes: {
    InformationSharingAgreement: (ctx, ids) =>
      sharingLoaders.agreement(ctx, agreementScope(ctx)).loadMany(ids).then((rows) => rows.map((r) => (r instanceof Error ? null : r))),
  } satisfies NodeFetchers,
} as const;
