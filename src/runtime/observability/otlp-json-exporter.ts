// Sends finished spans to an OpenTelemetry collector as OTLP/JSON over HTTP (POST <endpoint>/v1/traces),
// with fetch: the OTLP exporter packages are not needed for this. The JSON mapping of OTLP:
// ids in hex, times in nanoseconds as strings, enums as numbers. A failed export drops the spans
// (tracing never holds up the engine) and is reported once through `onError`.
import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

type ExportResult = Parameters<SpanExporter['export']>[1] extends (r: infer R) => void ? R : never;

export interface OtlpJsonOptions {
  /** The full traces URL (…/v1/traces). */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly onError?: (message: string) => void;
}

/** Where traces go from the standard variables: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces; null when neither is set. */
export function otlpTracesUrl(env: Readonly<Record<string, string | undefined>>): string | null {
  const traces = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim();
  if (traces) return traces;
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  if (!base) return null;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** OTEL_EXPORTER_OTLP_HEADERS: `key=value,key2=value2` (values percent-decoded). */
export function otlpHeaders(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (
    env['OTEL_EXPORTER_OTLP_TRACES_HEADERS'] ??
    env['OTEL_EXPORTER_OTLP_HEADERS'] ??
    ''
  ).split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    out[pair.slice(0, eq).trim()] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return out;
}

const nanos = (t: HrTime): string => (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();

type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } };

function anyValue(v: AttributeValue): AnyValue {
  if (Array.isArray(v))
    return {
      arrayValue: {
        values: v
          .filter((x) => x !== null && x !== undefined)
          .map((x) => anyValue(x as AttributeValue)),
      },
    };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number')
    return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: String(v) };
}

const attributes = (a: Attributes): Array<{ key: string; value: AnyValue }> =>
  Object.entries(a)
    .filter((e): e is [string, AttributeValue] => e[1] !== undefined)
    .map(([key, v]) => ({ key, value: anyValue(v) }));

/** The OTLP/JSON body for these spans (grouped by resource, then instrumentation scope). */
export function otlpJson(spans: readonly ReadableSpan[]): unknown {
  const byResource = new Map<ReadableSpan['resource'], Map<string, ReadableSpan[]>>();
  for (const s of spans) {
    const scopes = byResource.get(s.resource) ?? new Map<string, ReadableSpan[]>();
    const key = `${s.instrumentationScope.name}@${s.instrumentationScope.version ?? ''}`;
    scopes.set(key, [...(scopes.get(key) ?? []), s]);
    byResource.set(s.resource, scopes);
  }
  return {
    resourceSpans: [...byResource].map(([resource, scopes]) => ({
      resource: { attributes: attributes(resource.attributes) },
      scopeSpans: [...scopes.values()].map((list) => ({
        scope: {
          name: list[0]!.instrumentationScope.name,
          version: list[0]!.instrumentationScope.version ?? '',
        },
        spans: list.map((s) => ({
          traceId: s.spanContext().traceId,
          spanId: s.spanContext().spanId,
          ...(s.parentSpanContext ? { parentSpanId: s.parentSpanContext.spanId } : {}),
          name: s.name,
          // OTLP counts kinds from 1 (SPAN_KIND_INTERNAL); the API from 0.
          kind: s.kind + 1,
          startTimeUnixNano: nanos(s.startTime),
          endTimeUnixNano: nanos(s.endTime),
          attributes: attributes(s.attributes),
          events: s.events.map((e) => ({
            timeUnixNano: nanos(e.time),
            name: e.name,
            attributes: attributes(e.attributes ?? {}),
          })),
          status: {
            code: s.status.code,
            ...(s.status.message ? { message: s.status.message } : {}),
          },
        })),
      })),
    })),
  };
}

export class OtlpJsonExporter implements SpanExporter {
  private readonly pending = new Set<Promise<void>>();
  private failedOnce = false;

  constructor(private readonly opts: OtlpJsonOptions) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const sent = this.send(spans).then(
      () => done({ code: 0 }),
      (e: unknown) => {
        if (!this.failedOnce)
          this.opts.onError?.(
            `traces could not be sent to ${this.opts.url}: ${(e as Error).message}`,
          );
        this.failedOnce = true;
        done({ code: 1, error: e as Error });
      },
    );
    this.pending.add(sent);
    void sent.finally(() => this.pending.delete(sent));
  }

  private async send(spans: readonly ReadableSpan[]): Promise<void> {
    const res = await fetch(this.opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.opts.headers },
      body: JSON.stringify(otlpJson(spans)),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`the collector answered ${res.status}`);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}
