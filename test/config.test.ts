import { ConfigError, loadConfig } from '../server/src/config';
import { spawnServer } from './support/server-process';

describe('configuration', () => {
  it('has working defaults for a newcomer', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 4000,
      databaseUrl: undefined,
      seedDemoData: true,
      allowDevTokens: true,
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      DATABASE_URL: 'postgres://app@db.example:5432/soc',
      DB_POOL_MAX: '20',
      DB_ACQUIRE_TIMEOUT_MS: '2500',
      LIVE_POLL_MS: '750',
      LIVE_MAX_CONNECTIONS_PER_USER: '40',
      OIDC_ISSUER: 'https://login.example.police.uk',
      OIDC_CLIENT_ID: 'soc-hub-prod',
      OIDC_SCOPE: 'openid profile email',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      port: 8080,
      databaseUrl: 'postgres://app@db.example:5432/soc',
      dbPoolMax: 20,
      dbAcquireTimeoutMs: 2500,
      live: expect.objectContaining({ pollMs: 750, maxConnectionsPerUser: 40 }),
      seedDemoData: false,
      allowDevTokens: false,
      oidcJwksUrl: 'https://login.example.police.uk/.well-known/jwks.json',
      oidcClientId: 'soc-hub-prod',
      oidcScope: 'openid profile email',
      oidcAudience: 'soc-hub-prod',
      logLevel: 'warn',
    });
  });

  it('names every bad variable and what it expected, in one message', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://nope', ALLOW_DEV_TOKENS: 'yes' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(['ALLOW_DEV_TOKENS', 'DATABASE_URL', 'PORT']);
    expect((error as Error).message).toContain('PORT: expected an integer between 0 and 65535, got "eighty"');
    expect((error as Error).message).toContain('DATABASE_URL: expected a postgres:// connection URL');
  });

  it('reads the request timeouts, 0 meaning none, and names a bad one', () => {
    expect(loadConfig({}).requestTimeouts).toEqual({ statementMs: 30_000, lockMs: 10_000, idleInTransactionMs: 60_000 });
    expect(loadConfig({ DB_STATEMENT_TIMEOUT_MS: '0', DB_LOCK_TIMEOUT_MS: '500', DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0' }).requestTimeouts).toEqual({ statementMs: 0, lockMs: 500, idleInTransactionMs: 0 });
    expect(() => loadConfig({ DB_LOCK_TIMEOUT_MS: '-1' })).toThrow('DB_LOCK_TIMEOUT_MS: expected milliseconds between 0 (no limit) and 3600000, got "-1"');
  });

  it('rejects ports out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('refuses production without an identity provider unless dev tokens are explicitly allowed', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/OIDC_ISSUER/);
    expect(loadConfig({ NODE_ENV: 'production', ALLOW_DEV_TOKENS: 'true' }).allowDevTokens).toBe(true);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 4000, databaseUrl: undefined });
  });

  it('stops the process with a message naming the variable', async () => {
    const server = await spawnServer({ PORT: 'not-a-port' });
    expect(await server.exited()).toBe(78);
    expect(server.output()).toContain('PORT: expected an integer between 0 and 65535, got "not-a-port"');
  });
});
