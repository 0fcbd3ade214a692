import { context, trace, SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * OpenTelemetry traces, off unless configured (OTEL_EXPORTER_OTLP_ENDPOINT, see config.ts): a
 * span per HTTP request, per GraphQL operation and root field (a resolver group), per SQL round
 * trip and per live delivery. Spans carry the request id the logs carry, and no personal data:
 * no usernames, no variables, no SQL text (batched reads carry their values as literals), no
 * record contents. When off, nothing is installed and each hook below is one boolean test.
 */
const tracer = trace.getTracer('soc-hub');
let provider: BasicTracerProvider | undefined;
let contextManager: AsyncLocalStorageContextManager | undefined;

export function tracingEnabled(): boolean {
  return provider !== undefined;
}

/**
 * Starts tracing into `exporter` (the OTLP exporter in production; an in-memory one in tests).
 * `immediate`: export each span as it ends (tests) rather than in batches.
 */
export function startTracing(exporter: SpanExporter, options: { immediate?: boolean } = {}): void {
  if (provider) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'soc-hub' }),
    spanProcessors: [options.immediate ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  trace.setGlobalTracerProvider(provider);
}

/** Starts tracing to an OTLP/HTTP collector at `endpoint` (e.g. http://collector:4318). */
export function startOtlpTracing(endpoint: string): void {
  startTracing(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }));
}

/** Flushes and stops tracing (on shutdown; tests). */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  provider = undefined;
  await stopping?.shutdown();
  trace.disable();
  context.disable();
  contextManager = undefined;
}

/** A span for one HTTP request, or undefined when tracing is off. Runs `next` inside it. */
export function traceRequest(method: string, route: string, requestId: string, next: () => void): Span | undefined {
  if (!provider) return void next();
  const span = tracer.startSpan(`${method} ${route}`, {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': method, 'http.route': route, 'soc_hub.request_id': requestId },
  });
  context.with(trace.setSpan(context.active(), span), next);
  return span;
}

/** Ends a request's span with its status ('aborted' when the client went away first). */
export function endRequestSpan(span: Span | undefined, status: number | 'aborted'): void {
  if (!span) return;
  if (status === 'aborted') span.setStatus({ code: SpanStatusCode.ERROR, message: 'client went away' });
  else {
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Runs `work` in a child span of whatever is active (a request, a delivery); ends it when `work` settles. */
export async function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  if (!provider) return work();
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'error' });
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * A span around one message to PostgreSQL (which may hold several statements), ended by the
 * returned callback, or undefined when tracing is off. The parent is the request (or delivery)
 * active when the message is sent.
 */
export function startRoundTrip(): ((failed: boolean) => void) | undefined {
  if (!provider) return undefined;
  const span = tracer.startSpan('postgresql round trip', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } });
  return (failed) => {
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
}

/** A span that starts now and is ended by the returned callback, in the active context; undefined when off. */
export function startSpan(name: string, attributes: Attributes): ((failed?: boolean) => void) | undefined {
  if (!provider) return undefined;
  const span = tracer.startSpan(name, { attributes });
  return (failed) => {
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
}
