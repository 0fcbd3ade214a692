import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { allResolvers } from '../modules';
import { auditEveryField, auditResolvers } from '../audit';
import { refuseMutationsWithApiKeys } from '../auth/api-keys';
import { noPubSub } from '../live/no-pubsub';
import { enforceListBounds } from './answer-size';
import { requireMutationRoles } from '../access/mutation-roles';
import { refuseUnstorableText } from './text-input';
import { readCompiledAnswers } from './compiled-answer';

let built: Promise<GraphQLSchema> | undefined;

/**
 * The executable schema, built once per process from the feature modules' resolvers.
 * `schema/schema.graphql` is printed from this (npm run schema) and a test checks it is current.
 */
export function buildAppSchema(): Promise<GraphQLSchema> {
  // Fields under an answer compiled into SQL read it (compiled-answer.ts), under the audit like any value.
  // The audit middleware sees every field: mutations, sensitive reads wherever they appear, refusals.
  // API keys are read-only: their mutations are refused at the mutation roots.
  // Every plain list holds at most its declared bound (answer-size.ts), so answers are bounded.
  // A string argument PostgreSQL could not store (a NUL, half a surrogate pair) is refused first.
  built ??= buildSchema({ resolvers: [...allResolvers, ...auditResolvers], validate: false, pubSub: noPubSub }).then((schema) =>
    enforceListBounds(refuseMutationsWithApiKeys(requireMutationRoles(auditEveryField(readCompiledAnswers(refuseUnstorableText(schema)))))),
  );
  return built;
}

/** The schema as SDL, types sorted by name so that diffs of schema/schema.graphql stay readable. */
export async function renderSchemaSdl(): Promise<string> {
  return printSchema(lexicographicSortSchema(await buildAppSchema())) + '\n';
}
