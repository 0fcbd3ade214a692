import type { ApolloServerPlugin } from '@apollo/server';
import { startSpan } from '../tracing';

/**
 * Tracing of GraphQL requests (installed only when tracing is on: Apollo calls `willResolveField`
 * for every field of every answer once any plugin defines it). One span for the operation, named
 * by its type and name (the client's own label, not its variables), and one per root field: the
 * resolver group that builds that part of the answer, with its loaders' round trips beside it.
 */
export function graphqlTracing<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      let endOperation: ((failed?: boolean) => void) | undefined;
      return {
        async executionDidStart({ operation, operationName }) {
          endOperation = startSpan(`graphql ${operation.operation}`, {
            'graphql.operation.type': operation.operation,
            ...(operationName ? { 'graphql.operation.name': operationName } : {}),
          });
          return {
            willResolveField({ info }) {
              if (info.path.prev !== undefined) return undefined;
              const end = startSpan(`graphql resolve ${info.parentType.name}.${info.fieldName}`, { 'graphql.field.path': info.fieldName });
              return (error) => end?.(!!error);
            },
            async executionDidEnd(error) {
              endOperation?.(!!error);
              endOperation = undefined;
            },
          };
        },
        async willSendResponse({ response }) {
          const failed = response.body.kind === 'single' && !!response.body.singleResult.errors?.length;
          endOperation?.(failed); // execution never started (a document refused before it)
        },
      };
    },
  };
}
