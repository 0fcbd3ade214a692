import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevKeys, signDevToken } from '../../server/src/auth/dev-keys';
import { createTestDatabase } from '../support/database';
import { spawnServer } from '../support/server-process';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, stopTracing } from '../../server/src/tracing';
import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData } from '../support/factories';
import { LiveSubscription } from '../support/live-client';

/**
 * OpenTelemetry traces of one page request (the threat list): the HTTP request's span carries
 * the request id the logs carry, and under it the GraphQL operation, its root field and every
 * round trip to PostgreSQL, all in one trace; a live delivery has its span; and no span holds
 * personal data (usernames, names, summaries, variables, SQL).
 */
const PAGE = `query ThreatPage { threats(first: 20) { totalCount edges { node { urn name summary criminalActivities { category description } } } } }`;

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let app: TestApp;
  beforeAll(async () => {
    startTracing(exporter, { immediate: true }); // before the app, as main.ts does
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.stop();
    await stopTracing();
  });

  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  it('gives a page request one trace: the request, its operation and root field, and its SQL round trips', async () => {
    await createThreat(app, 'serocu.analyst', { name: 'Operation Lantern', summary: 'Fictional: cocaine through Portsmouth port.' });
    exporter.reset();
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.tokenFor('serocu.analyst')}`, 'x-purpose': 'ANALYSIS', 'x-request-id': 'trace-test-0001' },
      body: JSON.stringify({ query: PAGE }),
    });
    const body = (await response.json()) as any;
    expect(body.data.threats.edges.map((e: any) => e.node.name)).toEqual(['Operation Lantern']);
    await new Promise((r) => setImmediate(r)); // the request span ends on the response's 'close'

    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'POST /graphql')!;
    expect(request).toBeDefined();
    expect(request.attributes).toMatchObject({ 'soc_hub.request_id': 'trace-test-0001', 'http.response.status_code': 200 });
    const trace = spans.filter((s) => s.spanContext().traceId === request.spanContext().traceId);

    const operation = trace.find((s) => s.name === 'graphql query')!;
    expect(operation.attributes).toMatchObject({ 'graphql.operation.name': 'ThreatPage' });
    expect(parentOf(operation)).toBe(request.spanContext().spanId);
    const field = trace.find((s) => s.name === 'graphql resolve Query.threats')!;
    expect(parentOf(field)).toBe(request.spanContext().spanId);

    // The sign-in lookup, the page's statements and the commit: each message its own span, in this trace.
    const roundTrips = trace.filter((s) => s.name === 'postgresql round trip');
    expect(roundTrips.length).toBeGreaterThanOrEqual(2);
    for (const s of roundTrips) expect(parentOf(s)).toBe(request.spanContext().spanId);
    const outside = spans.filter((s) => s.name === 'postgresql round trip' && s.spanContext().traceId !== request.spanContext().traceId);
    expect(outside).toEqual([]); // nothing of this request was traced as a stray root

    const everything = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events, s.status]));
    for (const personal of ['serocu.analyst', 'Operation Lantern', 'cocaine', 'select ']) expect(everything).not.toContain(personal);
  });

  it('gives each live delivery a span', async () => {
    // From a cursor taken now: without one the subscription starts whenever the server gets to it,
    // which at load could be after the threat's creation (a fixed 500 ms wait was not always enough).
    const { eventCursor } = expectData(await app.gql('serocu.analyst', '{ eventCursor }', {}, { purpose: 'ANALYSIS' }));
    const subscription = new LiveSubscription(app.url, await app.tokenFor('serocu.analyst'), 'subscription ($after: String) { events(after: $after) { type } }', { after: eventCursor }, 'ANALYSIS');
    try {
      exporter.reset();
      await createThreat(app, 'serocu.analyst', { name: 'Operation Beacon' });
      await subscription.until(() => subscription.received.length >= 1, 'the event');
      // The delivery's span ends after its audit rows are written, which may be just after the event arrives.
      const deadline = Date.now() + 10_000;
      while (!exporter.getFinishedSpans().some((s) => s.name === 'live delivery') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const delivery = exporter.getFinishedSpans().find((s) => s.name === 'live delivery');
      expect(delivery?.attributes['soc_hub.live.events']).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes))).not.toContain('Operation Beacon');
    } finally {
      await subscription.close();
    }
  });
});

describe('tracing in a running server (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('sends its spans to the OTLP collector configured, the last batch on shutdown', async () => {
    const received: { path: string; body: string }[] = [];
    const collector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const db = await createTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-trace-'));
    const server = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as any).port}` });
    try {
      await server.ready(90_000);
      const token = await signDevToken(await loadOrCreateDevKeys(dataDir), 'serocu.analyst');
      const answer = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"query":"{ viewer { organisation { code } } }"}' });
      expect(((await answer.json()) as any).data.viewer.organisation.code).toBe('SEROCU');
      server.proc.kill('SIGTERM'); // shutdown sends what is still batched
      await server.exited();
      const traces = received.filter((r) => r.path === '/v1/traces').map((r) => r.body).join('\n');
      expect(traces).toContain('POST /graphql');
      expect(traces).toContain('postgresql round trip');
      expect(traces).not.toContain('serocu.analyst');
    } finally {
      server.proc.kill('SIGKILL');
      collector.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
