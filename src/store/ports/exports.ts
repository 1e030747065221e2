// What an export of message and journey events reads (src/runtime/export): one time-ordered scan
// over message feedback events (events of type message.*), message log records and instances
// entering or leaving a journey, a page at a time after a cursor.

/** Where a row comes from: a feedback event, a message record, an instance's entry or its exit. */
export type ExportSource = 'event' | 'message' | 'entered' | 'exited';

export interface ExportRow {
  readonly source: ExportSource;
  /** Epoch ms: when it happened (received, created, entered, exited). */
  readonly at: number;
  /** The event, message or instance id. */
  readonly id: string;
  /** The event type (`message.opened`), the message status, or the instance status. */
  readonly type: string;
  readonly profileId: string;
  readonly journeyId: string | null;
  readonly version: number | null;
  readonly node: string | null;
  readonly instanceId: string | null;
  readonly channel: string | null;
  readonly reason: string | null;
  /** The event payload (JSON text), for events. */
  readonly payload: string | null;
}

/** The last row of a page: the next page starts after it. */
export interface ExportCursor {
  readonly at: number;
  readonly source: ExportSource;
  readonly id: string;
}

export interface ExportRepository {
  /** Rows with `from <= at < to`, ordered by (at, source, id), after `after`. */
  exportRows(
    sandbox: string,
    range: { readonly from: number; readonly to: number },
    after: ExportCursor | null,
    limit: number,
  ): Promise<ExportRow[]>;
}
