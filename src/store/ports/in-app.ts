// The in-app inbox: what in-app and code-based activities delivered to a profile, served to the
// site's SDK (src/runtime/in-app.ts). Rows are written in a commit batch (CommitBatch.inApp: stored
// with the send's record, withdrawn when a journey instance exits, displays counted with the
// interaction's feedback) and read here.

export interface InAppItemRow {
  readonly sandbox: string;
  readonly profileId: string;
  /** The message's id (the delivery log's). */
  readonly messageId: string;
  readonly channel: 'inApp' | 'code';
  /** Code-based: the surface (a later item for it from the same journey replaces this one); null for in-app messages. */
  readonly surface: string | null;
  /** The journey instance that delivered it; withdrawn when it exits if `withdrawOnExit`. */
  readonly instanceId: string | null;
  readonly journeyId: string | null;
  readonly version: number | null;
  /** The activity that delivered it (feedback is counted on it). */
  readonly node: string | null;
  readonly withdrawOnExit: boolean;
  /** The rendered item (src/runtime/in-app.ts InboxItem). */
  readonly content: unknown;
  /** How many times the SDK reported it displayed. */
  readonly displays: number;
  readonly createdAt: number;
  /** Epoch ms; null: no expiry (code-based). */
  readonly expiresAt: number | null;
}

/** One write of the inbox, applied in order. */
export type InAppWrite =
  /** Stores an item (again: ignored); a code-based item replaces the profile's item for its surface from the same journey (or campaign). */
  | { readonly kind: 'put'; readonly row: InAppItemRow }
  /** Removes what a journey instance delivered with withdrawOnExit (the profile left the journey). */
  | { readonly kind: 'withdraw'; readonly sandbox: string; readonly instanceId: string }
  /** Counts one display of an item. */
  | {
      readonly kind: 'displayed';
      readonly sandbox: string;
      readonly profileId: string;
      readonly messageId: string;
    };

export interface InAppRepository {
  /** A profile's inbox, newest first (expired items included: the caller filters by its clock). */
  inAppInbox(sandbox: string, profileId: string): Promise<InAppItemRow[]>;
  /** Deletes at most `limit` items expired at `now` (every sandbox), oldest first; returns how many (the retention purge). */
  purgeExpiredInApp(now: number, limit: number): Promise<number>;
}
