// Prometheus metrics of one engine (prom-client), served at GET /metrics. Each app has its own
// registry (no process-global state: tests run several apps in one process), every series
// carries the engine's id, and labels stay bounded: sandbox, source, outcome, channel, status,
// kind, partition (256 at most) and owner (one per engine), never a journey, profile or event id.
// Gauges of the backlog are read from the fleet status when scraped, not kept up to date.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FleetStatus, FleetStatusSource } from '../fleet/fleet-status.ts';
import type { EngineObserver, StepObservation, TimerObservation } from './engine-observer.ts';

/** Where events came in. */
export type IngestSource = 'http' | 'nats' | 'segment';
/** What the engine answered for one event. */
/** What became of an event; `routed`: sent on to the engine owning its partition (fleet mode). */
export type IngestOutcome = 'accepted' | 'duplicate' | 'conflict' | 'rejected' | 'routed';
/** Where an error was counted (a metric label: a closed list). */
export type ErrorSite = 'ingest' | 'commit' | 'action' | 'deliver' | 'engine' | 'status';

/** Rows a commit wrote, by what they are (CommitBatch's arrays). */
export type CommitRows = Readonly<Record<string, number>>;

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Timer lag spans from milliseconds (keeping up) to hours (an engine down for a while). */
const LAG_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

export interface MetricsOptions {
  /** This engine's id: a label on every series. */
  readonly engine: string;
  /** Who owns which partition and how far behind each is, read at each scrape. */
  readonly fleet?: FleetStatusSource;
  /** Node's process metrics (CPU, memory, event loop lag, GC): off by default (the event loop is sampled all the time; one set per process is enough). */
  readonly processMetrics?: boolean;
}

export class WaymarkMetrics implements EngineObserver {
  readonly registry = new Registry();
  private readonly ingested: Counter<'sandbox' | 'source' | 'outcome'>;
  private readonly ingestSeconds: Histogram<'source'>;
  private readonly stepped: Counter<'sandbox' | 'kind'>;
  private readonly timersFired: Counter<'sandbox' | 'kind'>;
  private readonly timerLag: Histogram<'kind'>;
  private readonly commits: Counter;
  private readonly commitSeconds: Histogram;
  private readonly commitRows: Counter<'kind'>;
  private readonly deliveries: Counter<'channel' | 'status'>;
  private readonly deliverySeconds: Histogram<'channel'>;
  private readonly actions: Counter<'outcome'>;
  private readonly actionSeconds: Histogram;
  private readonly errors: Counter<'site'>;
  private readonly partitionTimersDue: Gauge<'partition' | 'owner'>;
  private readonly partitionTimersLag: Gauge<'partition' | 'owner'>;
  private readonly partitionOutbox: Gauge<'partition' | 'owner'>;
  private readonly partitionsOwned: Gauge<'owner'>;
  private readonly engines: Gauge;
  private readonly outboxPending: Gauge;
  private readonly timersDue: Gauge;
  private readonly timersLag: Gauge;

  constructor(private readonly opts: MetricsOptions) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ engine: opts.engine });
    if (opts.processMetrics === true)
      collectDefaultMetrics({ register: this.registry, prefix: 'waymark_' });
    this.ingested = new Counter({
      name: 'waymark_events_ingested_total',
      help: 'Events received, by sandbox, where they came from (http, nats) and what the engine answered (accepted, duplicate, conflict, rejected).',
      labelNames: ['sandbox', 'source', 'outcome'],
      registers,
    });
    this.ingestSeconds = new Histogram({
      name: 'waymark_ingest_duration_seconds',
      help: 'Time from receiving a request (or a NATS batch) of events to their commit.',
      labelNames: ['source'],
      buckets: SECONDS,
      registers,
    });
    this.stepped = new Counter({
      name: 'waymark_instances_stepped_total',
      help: 'Journey instance steps committed, by sandbox and what moved them (event, timer, effect, audience, test).',
      labelNames: ['sandbox', 'kind'],
      registers,
    });
    this.timersFired = new Counter({
      name: 'waymark_timers_fired_total',
      help: 'Timers fired, by sandbox and kind (instance, audience, job).',
      labelNames: ['sandbox', 'kind'],
      registers,
    });
    this.timerLag = new Histogram({
      name: 'waymark_timer_lag_seconds',
      help: 'How late timers fired: the time they were fired at minus the time they were due.',
      labelNames: ['kind'],
      buckets: LAG_SECONDS,
      registers,
    });
    this.commits = new Counter({
      name: 'waymark_commits_total',
      help: 'Units of work committed to the store (one transaction each).',
      registers,
    });
    this.commitSeconds = new Histogram({
      name: 'waymark_commit_duration_seconds',
      help: 'Time a commit took in the store.',
      buckets: SECONDS,
      registers,
    });
    this.commitRows = new Counter({
      name: 'waymark_commit_rows_total',
      help: 'Rows written by commits, by what they are (events, instances, timersAdd, outboxAdd, messages, ...).',
      labelNames: ['kind'],
      registers,
    });
    this.deliveries = new Counter({
      name: 'waymark_deliveries_total',
      help: 'Messages handed to a channel, by channel (email, push, sms) and the status it answered (sent, delivered, bounced, failed, excluded, error).',
      labelNames: ['channel', 'status'],
      registers,
    });
    this.deliverySeconds = new Histogram({
      name: 'waymark_delivery_duration_seconds',
      help: 'Time to render and hand a message to its channel.',
      labelNames: ['channel'],
      buckets: SECONDS,
      registers,
    });
    this.actions = new Counter({
      name: 'waymark_action_calls_total',
      help: 'Custom action calls, by outcome (ok, error: the action answered an error; failed: the call threw).',
      labelNames: ['outcome'],
      registers,
    });
    this.actionSeconds = new Histogram({
      name: 'waymark_action_duration_seconds',
      help: 'Time a custom action call took.',
      buckets: SECONDS,
      registers,
    });
    this.errors = new Counter({
      name: 'waymark_errors_total',
      help: 'Errors, by where they happened (ingest, commit, action, deliver, engine, status).',
      labelNames: ['site'],
      registers,
    });
    this.partitionTimersDue = new Gauge({
      name: 'waymark_partition_timers_due',
      help: 'Timers due and not fired yet, by partition and the engine owning it (owner "none" in handoff).',
      labelNames: ['partition', 'owner'],
      registers,
    });
    this.partitionTimersLag = new Gauge({
      name: 'waymark_partition_timers_lag_seconds',
      help: 'How long the oldest due timer of the partition has waited.',
      labelNames: ['partition', 'owner'],
      registers,
    });
    this.partitionOutbox = new Gauge({
      name: 'waymark_partition_outbox_pending',
      help: 'Outbox items waiting to be sent (due or not), by partition and owner.',
      labelNames: ['partition', 'owner'],
      registers,
    });
    this.partitionsOwned = new Gauge({
      name: 'waymark_partitions_owned',
      help: 'Partitions each engine of the fleet holds.',
      labelNames: ['owner'],
      registers,
    });
    this.engines = new Gauge({
      name: 'waymark_fleet_engines',
      help: 'Engines alive in the fleet (1 on the embedded store).',
      registers,
    });
    this.outboxPending = new Gauge({
      name: 'waymark_outbox_pending',
      help: 'Outbox items waiting to be sent, all partitions.',
      registers,
    });
    this.timersDue = new Gauge({
      name: 'waymark_timers_due',
      help: 'Timers due and not fired yet, all partitions.',
      registers,
    });
    this.timersLag = new Gauge({
      name: 'waymark_timers_lag_seconds',
      help: 'How long the oldest due timer has waited, all partitions.',
      registers,
    });
  }

  /** Counts one request's (or batch's) events by outcome, and its time. */
  ingestedEvents(
    sandbox: string,
    source: IngestSource,
    outcomes: readonly IngestOutcome[],
    seconds: number,
  ): void {
    const by = new Map<IngestOutcome, number>();
    for (const o of outcomes) by.set(o, (by.get(o) ?? 0) + 1);
    for (const [outcome, n] of by) this.ingested.inc({ sandbox, source, outcome }, n);
    this.ingestSeconds.observe({ source }, seconds);
  }

  committed(rows: CommitRows, seconds: number): void {
    this.commits.inc();
    this.commitSeconds.observe(seconds);
    for (const [kind, n] of Object.entries(rows)) if (n > 0) this.commitRows.inc({ kind }, n);
  }

  delivered(channel: string, status: string, seconds: number): void {
    this.deliveries.inc({ channel, status });
    this.deliverySeconds.observe({ channel }, seconds);
  }

  actionCalled(outcome: 'ok' | 'error' | 'failed', seconds: number): void {
    this.actions.inc({ outcome });
    this.actionSeconds.observe(seconds);
  }

  error(site: ErrorSite): void {
    this.errors.inc({ site });
  }

  onStep(step: StepObservation): void {
    this.stepped.inc({ sandbox: step.sandbox, kind: step.kind });
  }

  onTimerFired(timer: TimerObservation): void {
    this.timersFired.inc({ sandbox: timer.sandbox, kind: timer.kind });
    this.timerLag.observe({ kind: timer.kind }, Math.max(0, timer.firedAt - timer.dueAt) / 1000);
  }

  /** The Prometheus text format, with the backlog gauges read now. */
  async scrape(): Promise<string> {
    if (this.opts.fleet) {
      try {
        this.setFleet(await this.opts.fleet.status());
      } catch {
        // The counters are still worth serving; the failure is a series of its own.
        this.error('status');
      }
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private setFleet(s: FleetStatus): void {
    for (const g of [
      this.partitionTimersDue,
      this.partitionTimersLag,
      this.partitionOutbox,
      this.partitionsOwned,
    ])
      g.reset();
    let due = 0;
    let lag = 0;
    let outbox = 0;
    const owned = new Map<string, number>();
    for (const p of s.partitions) {
      const labels = { partition: String(p.partition), owner: p.owner ?? 'none' };
      this.partitionTimersDue.set(labels, p.timersDue);
      this.partitionTimersLag.set(labels, p.timersLagMs / 1000);
      this.partitionOutbox.set(labels, p.outboxPending);
      owned.set(labels.owner, (owned.get(labels.owner) ?? 0) + 1);
      due += p.timersDue;
      outbox += p.outboxPending;
      lag = Math.max(lag, p.timersLagMs);
    }
    for (const [owner, n] of owned) this.partitionsOwned.set({ owner }, n);
    this.engines.set(s.engines.length);
    this.timersDue.set(due);
    this.timersLag.set(lag / 1000);
    this.outboxPending.set(outbox);
  }
}
