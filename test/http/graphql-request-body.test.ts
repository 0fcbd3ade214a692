import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * /graphql reads the body every client sends (JSON in UTF-8 with a Content-Length) directly and
 * serves POSTs without Express's router (http/json-body.ts, http/direct-route.ts): every other
 * way a client may send a request is still answered as before.
 */
describe("/graphql's request body, however it is sent", () => {
  let app: TestApp;
  let authorization: string;
  beforeAll(async () => {
    app = await createTestApp();
    authorization = `Bearer ${await app.tokenFor('serocu.analyst')}`;
  });
  afterAll(() => app.stop());

  /** A raw HTTP request: the body written in `parts`, a little apart, so that each arrives as its own chunk. */
  function send(path: string, headers: Record<string, string>, parts: Buffer[]): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const request = http.request(`${app.url}${path}`, { method: 'POST', headers: { authorization, 'x-purpose': 'INVESTIGATION', ...headers } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      });
      request.on('error', reject);
      void (async () => {
        for (const part of parts) {
          request.write(part);
          await new Promise((r) => setTimeout(r, 30));
        }
        request.end();
      })();
    });
  }

  const viewer = JSON.stringify({ query: '{ viewer { username } }' });

  it('answers the plain request, with or without a charset, and with a query string', async () => {
    for (const [path, type] of [
      ['/graphql', 'application/json'],
      ['/graphql', 'application/json; charset=utf-8'],
      ['/graphql?client=report', 'Application/JSON'],
    ]) {
      const body = Buffer.from(viewer);
      const answer = await send(path, { 'content-type': type, 'content-length': String(body.length) }, [body]);
      expect({ path, type, answer }).toEqual({ path, type, answer: { status: 200, body: { data: { viewer: { username: 'serocu.analyst' } } } } });
    }
  });

  it('decodes a character whose bytes arrive in two chunks', async () => {
    // The value comes back in the error that refuses it, so a character decoded chunk by chunk would show.
    const body = Buffer.from(JSON.stringify({ query: 'query ($shown: Boolean!) { viewer @include(if: $shown) { username } }', variables: { shown: 'Zoë' } }));
    const split = body.indexOf(Buffer.from('ë')) + 1; // between the character's two bytes
    const answer = await send('/graphql', { 'content-type': 'application/json', 'content-length': String(body.length) }, [body.subarray(0, split), body.subarray(split)]);
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].message).toContain('"Zoë"');
  });

  it('answers a body sent in chunks without a length, and a compressed one', async () => {
    const chunked = await send('/graphql', { 'content-type': 'application/json' }, [Buffer.from(viewer.slice(0, 10)), Buffer.from(viewer.slice(10))]);
    expect(chunked).toEqual({ status: 200, body: { data: { viewer: { username: 'serocu.analyst' } } } });
    const gzipped = gzipSync(viewer);
    const compressed = await send('/graphql', { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(gzipped.length) }, [gzipped]);
    expect(compressed).toEqual({ status: 200, body: { data: { viewer: { username: 'serocu.analyst' } } } });
  });

  it('refuses JSON that is not an object as invalid, as body-parser does', async () => {
    const body = Buffer.from(JSON.stringify('{ viewer { username } }'));
    const answer = await send('/graphql', { 'content-type': 'application/json', 'content-length': String(body.length) }, [body]);
    expect(answer).toEqual({ status: 400, body: { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] } });
  });

  it("answers a POST to /graphql/ (Express's route) as it answers /graphql", async () => {
    const body = Buffer.from(viewer);
    const answer = await send('/graphql/', { 'content-type': 'application/json', 'content-length': String(body.length) }, [body]);
    expect(answer).toEqual({ status: 200, body: { data: { viewer: { username: 'serocu.analyst' } } } });
  });

  it('survives a client that goes away before its body is whole, and keeps serving', async () => {
    await new Promise<void>((resolve) => {
      const request = http.request(`${app.url}/graphql`, { method: 'POST', headers: { authorization, 'content-type': 'application/json', 'content-length': '1000' } });
      request.on('error', () => resolve());
      request.write(viewer.slice(0, 10), () => setTimeout(() => (request.destroy(), resolve()), 50));
    });
    expect((await app.gql('serocu.analyst', '{ viewer { username } }')).data.viewer.username).toBe('serocu.analyst');
  });
});
