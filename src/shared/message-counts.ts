// A report's message outcomes, counted per activity and added up per journey, per question of the
// Assistant and on the console's report. One definition of the fields and of the sum, so that a new
// outcome is added in one place.

export interface MessageCounts {
  targeted: number;
  sent: number;
  delivered: number;
  bounced: number;
  failed: number;
  excluded: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  /** Excluded messages by reason. */
  excludedBy: Record<string, number>;
}

export const MESSAGE_OUTCOMES = [
  'targeted',
  'sent',
  'delivered',
  'bounced',
  'failed',
  'excluded',
  'opened',
  'clicked',
  'unsubscribed',
] as const satisfies readonly Exclude<keyof MessageCounts, 'excludedBy'>[];

export const emptyMessageCounts = (): MessageCounts => ({
  targeted: 0,
  sent: 0,
  delivered: 0,
  bounced: 0,
  failed: 0,
  excluded: 0,
  opened: 0,
  clicked: 0,
  unsubscribed: 0,
  excludedBy: {},
});

type ReadonlyCounts = { readonly [K in keyof MessageCounts]: Readonly<MessageCounts[K]> };

/** Adds `from` into `into`, outcome by outcome and reason by reason; returns `into`. */
export function addMessageCounts(into: MessageCounts, from: ReadonlyCounts): MessageCounts {
  for (const k of MESSAGE_OUTCOMES) into[k] += from[k];
  for (const [reason, n] of Object.entries(from.excludedBy))
    into.excludedBy[reason] = (into.excludedBy[reason] ?? 0) + n;
  return into;
}
