// OpenTelemetry traces of ingest → step → commit → dispatch. Spans nest through the async calls
// they wrap (an AsyncLocalStorage of this tracing, not the process-global context manager, so two
// apps in one process do not mix). With no collector configured, `span` only calls its function:
// tracing costs nothing.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { OtlpJsonExporter, otlpHeaders, otlpTracesUrl } from './otlp-json-exporter.ts';

export { SpanKind, type SpanContext };

export interface Tracing {
  /** False when no collector is configured: spans are not made at all. */
  readonly enabled: boolean;
  /**
   * Runs `fn` inside a span, the child of `parent` when given (work resumed later from a stored
   * cause), else of the span running now, if any; the span ends when `fn` settles.
   */
  span<T>(
    name: string,
    attributes: Attributes,
    fn: (span: Span) => Promise<T>,
    kind?: SpanKind,
    parent?: SpanContext,
  ): Promise<T>;
  /** Whether a span of this tracing is running now (in this async context). */
  inSpan(): boolean;
  /** Sends what is buffered (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

const nonRecording: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Tracing that records nothing. */
export const noTracing: Tracing = {
  enabled: false,
  span: (_name, _attributes, fn) => fn(nonRecording),
  inSpan: () => false,
  flush: async () => {},
  shutdown: async () => {},
};

export interface TracingOptions {
  /** Where spans go (an exporter: OTLP/JSON in the server, any SpanExporter in a test). */
  readonly exporter: SpanExporter;
  readonly serviceName?: string;
  /** Resource attributes besides the service name (service.instance.id: the engine id). */
  readonly resource?: Attributes;
  /** How long spans wait to be sent together (ms). */
  readonly batchDelayMs?: number;
}

export function createTracing(opts: TracingOptions): Tracing {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': opts.serviceName ?? 'waymark',
      ...opts.resource,
    }),
    spanProcessors: [
      new BatchSpanProcessor(opts.exporter, { scheduledDelayMillis: opts.batchDelayMs ?? 1000 }),
    ],
  });
  const tracer = provider.getTracer('waymark');
  const current = new AsyncLocalStorage<Context>();
  return {
    enabled: true,
    async span(name, attributes, fn, kind = SpanKind.INTERNAL, cause) {
      const parent = cause
        ? trace.setSpanContext(ROOT_CONTEXT, cause)
        : (current.getStore() ?? ROOT_CONTEXT);
      const span = tracer.startSpan(name, { kind, attributes }, parent);
      try {
        return await current.run(trace.setSpan(parent, span), () => fn(span));
      } catch (e) {
        span.recordException(e as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
        throw e;
      } finally {
        span.end();
      }
    },
    inSpan: () => current.getStore() !== undefined,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** Tracing from the standard OTEL_EXPORTER_OTLP_* variables; none when no endpoint is set. */
export function tracingFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  opts: { engine: string; version?: string; onError?: (message: string) => void },
): Tracing {
  const url = otlpTracesUrl(env);
  if (url === null) return noTracing;
  return createTracing({
    exporter: new OtlpJsonExporter({
      url,
      headers: otlpHeaders(env),
      ...(opts.onError ? { onError: opts.onError } : {}),
    }),
    serviceName: env['OTEL_SERVICE_NAME'] || 'waymark',
    resource: {
      'service.instance.id': opts.engine,
      ...(opts.version ? { 'service.version': opts.version } : {}),
    },
  });
}
