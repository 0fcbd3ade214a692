import { serverAudits } from 'graphql-http';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The GraphQL-over-HTTP conformance audits of the `graphql-http` package, against the real
 * server. Every request carries a token (the API refuses anonymous callers with 401, which the
 * audits do not expect). No MUST may fail; the SHOULDs and MAYs that fail are exactly those
 * explained in README ("GraphQL over HTTP").
 */
const SHOULD_FAILURES = [
  // Apollo Server answers a request it cannot run with 400 whatever the client accepts; the
  // spec allows that for application/graphql-response+json and prefers 200 for legacy JSON.
  'SHOULD use 200 status code on document parsing failure when accepting application/json',
  'SHOULD use 200 status code on document validation failure when accepting application/json',
  'SHOULD use a status code of 200 on variable coercion failure when accepting application/json',
];
/** CSRF prevention refuses a GET without a preflight header (see the second test). */
const MAY_FAILURES = [
  'MAY accept application/x-www-form-urlencoded formatted GET requests',
  'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
  'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
];

describe('GraphQL over HTTP (graphql-http audits)', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await createTestApp();
    token = await app.tokenFor('serocu.analyst');
  });
  afterAll(() => app.stop());

  async function failedAudits(extraHeaders: Record<string, string> = {}) {
    const audits = serverAudits({
      url: () => `${app.url}/graphql`,
      fetchFn: (input: string | URL | Request, init: RequestInit = {}) => {
        const headers = new Headers(init.headers);
        headers.set('authorization', `Bearer ${token}`);
        for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
        return fetch(input, { ...init, headers });
      },
    });
    const failed: { name: string; reason: string }[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      if (result.status !== 'ok') failed.push({ name: audit.name, reason: result.reason });
    }
    const names = (level: string) => failed.filter((f) => f.name.startsWith(level)).map((f) => f.name).sort();
    return { MUST: names('MUST'), SHOULD: names('SHOULD'), MAY: names('MAY'), failed };
  }

  it('fails no MUST, and only the SHOULDs and MAYs explained in README', async () => {
    const result = await failedAudits();
    expect({ MUST: result.MUST, SHOULD: result.SHOULD, MAY: result.MAY }).toEqual({ MUST: [], SHOULD: [...SHOULD_FAILURES].sort(), MAY: [...MAY_FAILURES].sort() });
  });

  it('passes the GET audits once the client sends a header a cross-site form cannot', async () => {
    const result = await failedAudits({ 'apollo-require-preflight': 'true' });
    expect({ MUST: result.MUST, SHOULD: result.SHOULD, MAY: result.MAY }).toEqual({ MUST: [], SHOULD: [...SHOULD_FAILURES].sort(), MAY: [] });
  });
});
