// Building an audience profile snapshot from what is stored and what the unit of work holds: the
// attributes, the experience events and message feedback that the audiences read (types and
// windows from snapshotNeeds), and the current memberships.
import type {
  ProfileEvent,
  ProfileFeedback,
  ProfileSnapshot,
  SnapshotNeeds,
} from '../../audience/index.ts';
import type { FeedbackAction } from '../../model/audience.ts';
import type { Profile } from '../../model/profile.ts';
import type { MembershipRow, ProfileEventRow } from '../../store/ports.ts';
import type { StoreReads } from '../unit-of-work/index.ts';
import type { UnitOfWork } from '../unit-of-work/index.ts';

/** Feedback events as src/runtime/feedback.ts stores them, by event type. */
export const feedbackTypes: Readonly<Record<string, FeedbackAction>> = {
  'message.opened': 'opened',
  'message.clicked': 'clicked',
  'message.bounced': 'bounced',
  'message.unsubscribed': 'unsubscribed',
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A stored feedback event as an audience reads it (link: the clicked URL). */
export function toFeedback(e: ProfileEventRow): ProfileFeedback | null {
  const action = Object.hasOwn(feedbackTypes, e.type) ? feedbackTypes[e.type] : undefined;
  if (action === undefined || typeof e.payload !== 'object' || e.payload === null) return null;
  const p = e.payload as Record<string, unknown>;
  const messageId = str(p['messageId']);
  if (messageId === undefined) return null;
  const link =
    typeof p['link'] === 'object' && p['link'] !== null
      ? str((p['link'] as Record<string, unknown>)['url'])
      : undefined;
  const journeyId = str(p['journeyId']);
  const node = str(p['activityId']);
  return {
    action,
    at: e.at,
    messageId,
    ...(journeyId ? { journeyId } : {}),
    ...(node ? { node } : {}),
    ...(link ? { link } : {}),
  };
}

const since = (now: number, ms: number | null): number | null => (ms === null ? null : now - ms);

/**
 * The events and feedback the audiences need, from the store plus those this unit recorded and has
 * not committed yet (`uow` may be null for batch runs, which read the store only).
 */
export async function loadHistory(
  store: StoreReads,
  uow: UnitOfWork | null,
  sandbox: string,
  profileId: string,
  needs: SnapshotNeeds,
  now: number,
  storedToo = true,
): Promise<History> {
  const q = historyQuery(needs, now);
  if (!q) return { events: [], feedback: [] };
  const rows: ProfileEventRow[] = storedToo ? await store.profileEvents(sandbox, profileId, q) : [];
  if (uow)
    for (const e of uow.recordedEvents())
      if (e.sandbox === sandbox && e.profileId === profileId)
        rows.push({ type: e.type, at: e.receivedAt, payload: e.payload });
  return historyOf(rows, needs);
}

/** The stored histories of the profiles with ids in (`afterProfileId`, `toProfileId`], in one read (batch runs). */
export async function loadHistories(
  store: StoreReads,
  sandbox: string,
  range: { afterProfileId: string; toProfileId: string },
  needs: SnapshotNeeds,
  now: number,
): Promise<ReadonlyMap<string, History>> {
  const q = historyQuery(needs, now);
  if (!q) return new Map();
  const byProfile = new Map<string, ProfileEventRow[]>();
  for (const r of await store.eventsOfProfiles(sandbox, { ...range, ...q })) {
    let rows = byProfile.get(r.profileId);
    if (!rows) {
      rows = [];
      byProfile.set(r.profileId, rows);
    }
    rows.push(r);
  }
  const out = new Map<string, History>();
  for (const [id, rows] of byProfile) out.set(id, historyOf(rows, needs));
  return out;
}

export interface History {
  readonly events: ProfileEvent[];
  readonly feedback: ProfileFeedback[];
}

/** The event types and the instant from which the audiences' rules look; null: they read no history. */
function historyQuery(
  needs: SnapshotNeeds,
  now: number,
): { types: string[]; since: number | null } | null {
  const wantEvents = needs.eventTypes.length > 0;
  if (!wantEvents && !needs.feedback) return null;
  const types = [
    ...(wantEvents ? needs.eventTypes : []),
    ...(needs.feedback ? Object.keys(feedbackTypes) : []),
  ];
  const eventFrom = wantEvents ? since(now, needs.eventHistoryMs) : now;
  const feedbackFrom = needs.feedback ? since(now, needs.feedbackHistoryMs) : now;
  return {
    types,
    since: eventFrom === null || feedbackFrom === null ? null : Math.min(eventFrom, feedbackFrom),
  };
}

function historyOf(rows: readonly ProfileEventRow[], needs: SnapshotNeeds): History {
  const eventTypes = new Set(needs.eventTypes);
  const events: ProfileEvent[] = [];
  const feedback: ProfileFeedback[] = [];
  for (const r of rows) {
    if (eventTypes.has(r.type)) events.push({ type: r.type, at: r.at, payload: r.payload });
    if (needs.feedback) {
      const f = toFeedback(r);
      if (f) feedback.push(f);
    }
  }
  return { events, feedback };
}

export function snapshotOf(
  profile: Profile,
  history: History,
  memberships: ReadonlyMap<string, MembershipRow>,
): ProfileSnapshot {
  const statuses: Record<string, 'realized' | 'exited'> = {};
  for (const [name, m] of memberships) statuses[name] = m.status;
  return {
    attributes: profile.attributes,
    events: history.events,
    feedback: history.feedback,
    memberships: statuses,
  };
}
