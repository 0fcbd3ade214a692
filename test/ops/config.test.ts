import { ConfigError, ENVIRONMENT_VARIABLES, loadConfig } from '../../server/src/config';

describe('configuration of limits and operations', () => {
  it('has defaults generous enough for tests and the web client', () => {
    expect(loadConfig({})).toMatchObject({
      rateLimitPerMinute: 6000,
      trustProxy: false,
      metricsToken: undefined,
      graphqlLimits: { maxDepth: 12, maxAliases: 15, maxTokens: 1000, maxDirectives: 10, maxCost: 30_000 },
    });
  });

  it('reads each variable', () => {
    const config = loadConfig({
      RATE_LIMIT_PER_MINUTE: '0',
      TRUST_PROXY: '1',
      METRICS_TOKEN: 'a-long-enough-scrape-secret',
      GRAPHQL_MAX_DEPTH: '8',
      GRAPHQL_MAX_ALIASES: '3',
      GRAPHQL_MAX_TOKENS: '500',
      GRAPHQL_MAX_DIRECTIVES: '2',
      GRAPHQL_MAX_COST: '9000',
    });
    expect(config).toMatchObject({
      rateLimitPerMinute: 0,
      trustProxy: 1,
      metricsToken: 'a-long-enough-scrape-secret',
      graphqlLimits: { maxDepth: 8, maxAliases: 3, maxTokens: 500, maxDirectives: 2, maxCost: 9000 },
    });
    expect(ENVIRONMENT_VARIABLES).toEqual(expect.arrayContaining(['RATE_LIMIT_PER_MINUTE', 'TRUST_PROXY', 'METRICS_TOKEN', 'GRAPHQL_MAX_COST']));
  });

  it('takes TRUST_PROXY as Express does: true, false, hops, or addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  it('refuses bad values, naming them', () => {
    let error: unknown;
    try {
      loadConfig({ RATE_LIMIT_PER_MINUTE: '-1', METRICS_TOKEN: 'short', GRAPHQL_MAX_DEPTH: '1', TRUST_PROXY: 'a b; c' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['GRAPHQL_MAX_DEPTH', 'METRICS_TOKEN', 'RATE_LIMIT_PER_MINUTE', 'TRUST_PROXY']);
    expect((error as Error).message).toContain('METRICS_TOKEN: expected a secret of at least 16 characters');
  });
});
