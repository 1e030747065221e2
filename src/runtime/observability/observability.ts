// One engine's observability: its metrics (Prometheus), its tracing (OpenTelemetry, off unless a
// collector is configured) and the observer the engine reports its steps and timers to.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { FleetStatusSource } from '../fleet/fleet-status.ts';
import type { EngineObserver } from './engine-observer.ts';
import { WaymarkMetrics } from './metrics.ts';
import { noTracing, type Tracing } from './tracing.ts';

export interface Observability {
  /** This engine's id (a label on every metric, service.instance.id on spans, the owner of partitions). */
  readonly engine: string;
  readonly metrics: WaymarkMetrics;
  readonly tracing: Tracing;
  readonly observer: EngineObserver;
}

export interface ObservabilityOptions {
  readonly engine?: string;
  /** Read at each scrape for the per-partition gauges. */
  readonly fleet?: FleetStatusSource;
  readonly tracing?: Tracing;
  readonly processMetrics?: boolean;
}

/** An engine id that says where it runs: host, process, and a short random part (two engines in one process differ). */
export function newEngineId(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

export function createObservability(opts: ObservabilityOptions = {}): Observability {
  const engine = opts.engine ?? newEngineId();
  const metrics = new WaymarkMetrics({
    engine,
    ...(opts.fleet ? { fleet: opts.fleet } : {}),
    ...(opts.processMetrics === undefined ? {} : { processMetrics: opts.processMetrics }),
  });
  return { engine, metrics, tracing: opts.tracing ?? noTracing, observer: metrics };
}
