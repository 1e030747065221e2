// What a profile snapshot must hold for a set of audiences, so the store loads only that: the
// event types and how far back, whether feedback is read and how far back.
import type { CompiledAudience } from './types.ts';

export interface SnapshotNeeds {
  readonly attributes: boolean;
  /** Event types read by some audience (empty: no event history needed). */
  readonly eventTypes: readonly string[];
  /** Events at or after `now - eventHistoryMs` suffice; null: the whole history. */
  readonly eventHistoryMs: number | null;
  readonly feedback: boolean;
  readonly feedbackHistoryMs: number | null;
}

const wider = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Math.max(a, b));

export function snapshotNeeds(audiences: readonly CompiledAudience[]): SnapshotNeeds {
  let attributes = false;
  let feedback = false;
  let eventHistoryMs: number | null = 0;
  let feedbackHistoryMs: number | null = 0;
  const eventTypes = new Set<string>();
  for (const a of audiences) {
    const d = a.dependsOn;
    attributes ||= d.attributes;
    feedback ||= d.feedback;
    for (const t of d.eventTypes) eventTypes.add(t);
    eventHistoryMs = wider(eventHistoryMs, d.eventHistoryMs);
    feedbackHistoryMs = wider(feedbackHistoryMs, d.feedbackHistoryMs);
  }
  return { attributes, eventTypes: [...eventTypes].sort(), eventHistoryMs, feedback, feedbackHistoryMs };
}

/** Whether any of the audiences reads this event type (an event of another type cannot change a membership). */
export function readsEventType(audiences: readonly CompiledAudience[], eventType: string): boolean {
  return audiences.some((a) => a.dependsOn.eventTypes.includes(eventType));
}
