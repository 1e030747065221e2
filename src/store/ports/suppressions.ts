// The sandbox-wide suppression list (src/model/suppression.ts). Entries are written by a batch
// (CommitBatch.suppressions, with the profile and message changes of the same feedback) and read here.
import type { SuppressionChannel, SuppressionReason } from '../../model/suppression.ts';

export interface SuppressionRow {
  readonly sandbox: string;
  readonly channel: SuppressionChannel;
  /** Normalized (normalizeSuppressedAddress). */
  readonly address: string;
  readonly reason: SuppressionReason;
  /** Who added it: a provider's webhook (`sendgrid`, `mailgun`, `vonage`), `api`, `console`, `cli`. */
  readonly source: string;
  /** The provider's words (bounce type, SMTP answer), or a note. */
  readonly detail: string | null;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/** One suppression write of a batch: `entry` null removes the address from the list. */
export interface SuppressionWrite {
  readonly sandbox: string;
  readonly channel: SuppressionChannel;
  readonly address: string;
  readonly entry: Omit<SuppressionRow, 'sandbox' | 'channel' | 'address'> | null;
}

export interface SuppressionRepository {
  /** The entry for this (normalized) address, or null. */
  suppression(
    sandbox: string,
    channel: SuppressionChannel,
    address: string,
  ): Promise<SuppressionRow | null>;
  /** Entries, newest first; `search` matches part of the address (case-insensitive). */
  listSuppressions(
    sandbox: string,
    opts: {
      readonly search?: string;
      readonly channel?: SuppressionChannel;
      readonly limit: number;
      readonly offset?: number;
    },
  ): Promise<SuppressionRow[]>;
}
