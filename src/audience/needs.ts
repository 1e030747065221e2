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

const wider = (a: number | null, b: number | null): number | null =>
  a === null || b === null ? null : Math.max(a, b);

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
  return {
    attributes,
    eventTypes: [...eventTypes].sort(),
    eventHistoryMs,
    feedback,
    feedbackHistoryMs,
  };
}

/** Whether any of the audiences reads this event type (an event of another type cannot change a membership). */
export function readsEventType(audiences: readonly CompiledAudience[], eventType: string): boolean {
  return audiences.some((a) => a.dependsOn.eventTypes.includes(eventType));
}

/**
 * The attribute subtrees the audiences read, for a store that can read parts of a profile: each a
 * list of keys, none a prefix of another; null when the whole attributes are needed. A path is cut
 * before a key that may be a list index or that a store's path syntax cannot quote, so the subtree
 * read always holds what the rule reads.
 */
export function attributeProjection(
  audiences: readonly CompiledAudience[],
): ReadonlyArray<readonly string[]> | null {
  const cut: string[][] = [];
  for (const a of audiences) {
    for (const path of a.dependsOn.attributePaths) {
      const safe: string[] = [];
      for (const key of path) {
        if (!quotable(key) || /^[0-9]+$/.test(key)) break;
        safe.push(key);
      }
      if (safe.length === 0) return null;
      cut.push(safe);
    }
  }
  cut.sort((x, y) => x.length - y.length);
  const kept: string[][] = [];
  for (const p of cut) if (!kept.some((k) => k.every((key, i) => p[i] === key))) kept.push(p);
  return kept;
}

const quotable = (key: string): boolean =>
  key.length > 0 && [...key].every((ch) => ch >= ' ' && ch !== '"' && ch !== '\\');
