import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Config } from '../config';
import { metricsPlugin } from '../http/metrics';
import { answerSizePlugin, answerWithinBytes, responseBytesPlugin } from './answer-size';
import { documentLimits, hideSuggestionsPlugin } from './limits';

type Hardening = Pick<
  ApolloServerOptions<BaseContext>,
  'introspection' | 'csrfPrevention' | 'allowBatchedHttpRequests' | 'hideSchemaDetailsFromClientErrors' | 'parseOptions' | 'validationRules' | 'stringifyResult'
> & { plugins: ApolloServerPlugin<BaseContext>[] };

/**
 * Apollo Server's options for hostile clients. Always: the document limits, CSRF prevention
 * (a request must be JSON or carry a header a browser form cannot set), one operation per
 * request, metrics. In production also: no introspection, no "Did you mean" suggestions, no
 * landing page. Apollo decides these from `process.env.NODE_ENV` unless told, so they are
 * stated here from the configuration.
 */
export function apolloHardening(config: Config): Hardening {
  const production = config.nodeEnv === 'production';
  const limits = documentLimits(config.graphqlLimits);
  return {
    introspection: !production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    hideSchemaDetailsFromClientErrors: production,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    // The hard cap on an answer's bytes, measured as the answer is written out (answer-size.ts).
    stringifyResult: answerWithinBytes(config.graphqlLimits.maxResponseBytes),
    plugins: [
      ...limits.plugins,
      answerSizePlugin(),
      responseBytesPlugin(config.graphqlLimits.maxResponseBytes),
      metricsPlugin(),
      ...(production ? [hideSuggestionsPlugin(), ApolloServerPluginLandingPageDisabled()] : []),
    ],
  };
}
