import { GraphQLError } from 'graphql';
import { logUnexpectedErrors, makeErrorFormatter } from '../../server/src/graphql/errors';
import { createTestApp, type TestApp } from '../support/test-app';

describe('requests the server cannot take', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.stop());

  const post = (body: string) =>
    fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body });

  it('answers malformed JSON with a JSON error and no stack trace', async () => {
    const response = await post('{"query": ');
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    expect(text).not.toMatch(/at JSON\.parse|node_modules/);
  });

  it('refuses a body over the size cap with 413', async () => {
    const response = await post(JSON.stringify({ query: `{ viewer { username } } # ${'x'.repeat(200_000)}` }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('keeps serving after both', async () => {
    expect((await app.gql('serocu.analyst', '{ viewer { username } }')).data.viewer.username).toBe('serocu.analyst');
  });
});

describe('error masking', () => {
  const original = { message: 'relation "secret_table" does not exist', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at db.js'] } };

  it('hides unexpected errors in production', () => {
    const format = makeErrorFormatter({ exposeDetails: false });
    const cause = new Error('relation "secret_table" does not exist');
    expect(format(original, cause)).toEqual({ message: 'Internal server error. The incident has been logged.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('logs the unexpected errors only, on the logger it is given (the request\'s)', () => {
    const logged: unknown[] = [];
    const fault = new GraphQLError('relation "secret_table" does not exist', { originalError: new Error('relation "secret_table" does not exist') });
    const clientError = new GraphQLError('input.name: is required', { extensions: { code: 'BAD_USER_INPUT' } });
    logUnexpectedErrors({ error: (object) => logged.push(object) }, [fault, clientError]);
    expect(logged).toEqual([{ err: fault }]);
  });

  it('passes errors a client caused through, without a stack trace', () => {
    const format = makeErrorFormatter({ exposeDetails: false });
    const clientError = { message: 'input.name: is required', extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'input.name', message: 'is required' }], stacktrace: ['x'] } };
    expect(format(clientError, undefined)).toEqual({ message: 'input.name: is required', extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'input.name', message: 'is required' }] } });
  });
});
