// Partitions and, in fleet mode, their ownership (leases and fencing).

/** Partitions (src/shared/partition.ts): where a profile's work is done. */
export interface PartitionRepository {
  /** The partition of the stored profile each identity names, keyed `${namespace}\u0000${value}`; identities not stored are absent. */
  identityPartitions(
    sandbox: string,
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<Map<string, number>>;
}

/**
 * Fleet mode (src/runtime/fleet/): the partitions this engine holds leases on, with each lease's
 * epoch. A store given one claims timers and outbox items of these partitions only, and every
 * commit checks, in its transaction, that the engine still holds the lease of each partition it
 * writes (fencing): a stale engine's commit fails with a `conflict`.
 */
export interface PartitionOwnership {
  readonly owner: string;
  /** Partition → epoch of the lease held. */
  readonly epochs: ReadonlyMap<number, number>;
  /** Held partitions being handed over: their in-flight work may still commit, but no new timer or outbox item is claimed from them. */
  readonly draining?: ReadonlySet<number>;
  /** Local fencing by time: false while the engine's lease renewal is overdue (nothing is claimed or marked for sending then). */
  readonly inTime?: () => boolean;
  /** How long an engine's heartbeat may be silent before the sends it marked and did not record are sent again by the new owner. */
  readonly deadAfterMs?: number;
}

/** A store that can be scoped to owned partitions (PostgreSQL). The embedded store has one engine owning all. */
export interface PartitionScopedStore {
  /** null: every partition, no lease checks (one engine on the store). */
  setOwnership(ownership: PartitionOwnership | null): void;
}
