// What a fleet of engines looks like from one of them: who owns which partition, and how far
// behind each partition's timers and outbox are. The embedded store has one engine owning all.

export interface PartitionStatus {
  readonly partition: number;
  /** The engine id holding the lease, null while nobody does (in handoff or after a crash). */
  readonly owner: string | null;
  readonly leaseExpiresAt: number | null;
  /** Timers due now and not fired yet; lag is how long the oldest of them has been due (ms). */
  readonly timersDue: number;
  readonly timersLagMs: number;
  /** Outbox items waiting to be sent (due or not). */
  readonly outboxPending: number;
}

export interface EngineStatus {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: number;
  readonly heartbeatAt: number;
  /** How many partitions it holds now. */
  readonly partitions: number;
}

export interface FleetStatus {
  readonly mode: 'single' | 'fleet';
  readonly partitionCount: number;
  /** The id of the engine answering. */
  readonly self: string;
  readonly engines: readonly EngineStatus[];
  readonly partitions: readonly PartitionStatus[];
}

export interface FleetStatusSource {
  status(): Promise<FleetStatus>;
}
