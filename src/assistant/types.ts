// The Assistant's vocabulary: what it is asked, what it answers, and the figures its tools return.
// Pure types: no I/O.

export type ChatRole = 'user' | 'assistant';

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

/** A source of an answer: a documentation section (/docs/…#anchor) or a console page. */
export interface Citation {
  readonly title: string;
  readonly href: string;
}

/** A small series a data answer draws as a bar chart (the console) or a table (the CLI). */
export interface DataSet {
  readonly title: string;
  readonly points: ReadonlyArray<{ readonly label: string; readonly value: number }>;
}

export interface AssistantAnswer {
  readonly answer: string;
  readonly citations: readonly Citation[];
  readonly data?: readonly DataSet[];
  /** How the answer was made: 'model' (a configured model), 'intent' or 'docs' (no model). */
  readonly mode: 'model' | 'intent' | 'docs';
}

/** A journey and its totals since its first version (all time). */
export interface JourneyFigures {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly entered: number;
  readonly active: number;
  readonly exited: number;
  readonly errors: number;
  readonly timeouts: number;
}

export interface MessageFigures {
  readonly targeted: number;
  readonly sent: number;
  readonly delivered: number;
  readonly bounced: number;
  readonly failed: number;
  readonly excluded: number;
  readonly opened: number;
  readonly clicked: number;
  readonly unsubscribed: number;
  readonly excludedBy: Readonly<Record<string, number>>;
}

export interface ActivityFigures {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly entered: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly capped: number;
}

/** One journey's report, summed over its versions. */
export interface JourneyPerformance {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly entered: number;
  readonly exited: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly capped: number;
  readonly activities: readonly ActivityFigures[];
  readonly messages: MessageFigures;
}

export interface AudienceSize {
  readonly name: string;
  readonly realized: number;
  readonly exited: number;
}

export interface CampaignFigures {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly channel: string;
  readonly totals: Readonly<Record<string, number>>;
}

export interface SystemFigures {
  readonly timersDue: number;
  readonly nextTimerAt: string | null;
  readonly outboxDue: number;
  readonly outboxRetrying: number;
  readonly deadLetters: number;
}

/** One custom action's calls from every journey (report counters; durations from a fixed histogram). */
export interface ActionFigures {
  readonly name: string;
  readonly calls: number;
  readonly errors: number;
  readonly meanMs: number | null;
  /** Upper bound of the bucket holding the 95th percentile (ms). */
  readonly p95Ms: number | null;
  /** Upper bound of the slowest call's bucket (ms). */
  readonly maxMs: number | null;
  /** Some calls took longer than the histogram's last bound (then p95Ms / maxMs read "more than"). */
  readonly overLastBound: boolean;
  /** The journeys that call it (id and name). */
  readonly journeys: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

/** A tool's answer: its figures, or why the asker may not see them. */
export type ToolResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: 'forbidden'; readonly permission: string }
  | { readonly ok: false; readonly reason: 'not-found'; readonly what: string };

/**
 * The data tools, bound to one asker in one sandbox: each checks the asker's permission and
 * returns aggregates only (counts, never people). Nothing here writes.
 */
export interface AssistantTools {
  journeys(): Promise<ToolResult<readonly JourneyFigures[]>>;
  journeyPerformance(id: string): Promise<ToolResult<JourneyPerformance>>;
  messageOutcomes(): Promise<ToolResult<MessageFigures>>;
  audienceSizes(): Promise<ToolResult<readonly AudienceSize[]>>;
  campaigns(): Promise<ToolResult<readonly CampaignFigures[]>>;
  status(): Promise<ToolResult<SystemFigures>>;
  /** Custom actions: calls, errors and durations, per action over every journey the asker sees. */
  actionHealth(): Promise<ToolResult<readonly ActionFigures[]>>;
}

/** A passage of the documentation with where it comes from. */
export interface DocPassage {
  readonly id: string;
  readonly title: string;
  readonly href: string;
  /** Its prose (what answers quote). */
  readonly text: string;
  /** Its code samples (searched, not quoted). */
  readonly code?: string;
}

/** Retrieval over the documentation. */
export interface DocSearch {
  search(query: string, limit: number): readonly (DocPassage & { readonly score: number })[];
}
