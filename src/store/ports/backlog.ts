// What waits, for status pages: by sandbox, and by partition (the fleet status).

export interface Backlog {
  readonly timersDue: number;
  /** The earliest timer of the sandbox, due or not; null when it has none. */
  readonly nextTimerAt: number | null;
  readonly outboxDue: number;
  readonly outboxRetrying: number;
  readonly deadLetters: number;
}

/** What waits in one partition, all sandboxes together (the fleet status). */
export interface PartitionBacklog {
  readonly partition: number;
  /** Timers due at `now` and not fired (stops at the cap). */
  readonly timersDue: number;
  /** The due time of the oldest of them; null when none is due. */
  readonly oldestDueAt: number | null;
  /** Outbox items waiting, due or not (stops at the cap). */
  readonly outboxPending: number;
}

export interface BacklogRepository {
  /**
   * What waits in one sandbox at `now`: timers and outbox items due (late, if the engine keeps up
   * they stay near 0), outbox items waiting for a retry, dead letters not replayed. Each count
   * stops at `cap`, so a status page costs a bounded read however large the backlog.
   */
  backlog(sandbox: string, now: number, cap: number): Promise<Backlog>;
  /** Due timers, their lag and outbox items waiting, by partition, every sandbox together; counts stop at `cap`. Partitions with nothing waiting may be absent. */
  partitionBacklog(now: number, cap: number): Promise<PartitionBacklog[]>;
}
