// Data retention: old rows deleted in small batches, each its own short transaction, so that a
// purge never holds the writer (src/runtime/retention/purger.ts runs them with yields between).

/** What a retention setting covers: experience events, the delivery log, dead letters, the audit log. */
export type RetentionTarget = 'events' | 'messages' | 'deadLetters' | 'audit';

export const RETENTION_TARGETS: readonly RetentionTarget[] = [
  'events',
  'messages',
  'deadLetters',
  'audit',
];

export interface RetentionRepository {
  /**
   * Deletes at most `limit` rows of `target` older than `before` (epoch ms: events by received_at,
   * messages by created_at, dead letters by received_at, audit entries by at), oldest first, of
   * `sandbox` (audit: null is every entry, global ones included); returns how many.
   */
  purgeBatch(
    target: RetentionTarget,
    sandbox: string | null,
    before: number,
    limit: number,
  ): Promise<number>;
}
