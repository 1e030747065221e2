// The embedded store's write statements, as SQL text: prepared on the connection that commits,
// the store's own or the commit thread's (write-channel.ts). A commit is a list of `WriteOp`s, each
// a statement and its parameters, so that it can be run where the connection is.

const MESSAGE_COLUMNS =
  'id, sandbox, journey_id, version, node, label, instance_id, profile_id, channel, recipient, status, reason, subject, body, text, payload, created_at, updated_at';
const MESSAGE_VALUES =
  '@id, @sandbox, @journeyId, @version, @node, @label, @instanceId, @profileId, @channel, @recipient, @status, @reason, @subject, @body, @text, @payload, @createdAt, @updatedAt';
const MESSAGE_UPSERT = `ON CONFLICT (id) DO UPDATE SET status = excluded.status, reason = excluded.reason, recipient = excluded.recipient, subject = excluded.subject,
      body = excluded.body, text = excluded.text, payload = excluded.payload, updated_at = excluded.updated_at`;

/** Every write statement of a commit, and of the outbox's attempt marks, by name. */
export const WRITE_SQL = {
  putEvent:
    'INSERT INTO events (sandbox, event_id, type, profile_id, payload, received_at, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)',
  putDeadLetter:
    'INSERT INTO dead_letters (sandbox, event_id, event_type, body, errors, received_at) VALUES (?, ?, ?, ?, ?, ?)',
  replayedDeadLetter: 'UPDATE dead_letters SET replayed_at = ? WHERE id = ?',
  putProfile: `INSERT INTO profiles (sandbox, id, attributes, identities, test, created_at, updated_at, partition) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (sandbox, id) DO UPDATE SET attributes = excluded.attributes, identities = excluded.identities, test = excluded.test, updated_at = excluded.updated_at`,
  putIdentity:
    'INSERT INTO identities (sandbox, namespace, value, profile_id) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET profile_id = excluded.profile_id',
  putInstance: `INSERT INTO instances (id, sandbox, journey_id, version, profile_id, status, state, entered_at, exited_at, partition)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT partition FROM profiles WHERE sandbox = ? AND id = ?), 0))
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, state = excluded.state, exited_at = excluded.exited_at`,
  removeTimer: 'DELETE FROM timers WHERE id = ?',
  addTimer: `INSERT OR REPLACE INTO timers (id, sandbox, instance_id, due_at, record, partition) VALUES (?, ?, ?, ?, ?, COALESCE(
      (SELECT partition FROM instances WHERE id = ?),
      (SELECT partition FROM profiles WHERE ? LIKE 'audience:%' AND sandbox = ? AND id = substr(?, 10)),
      ?))`,
  addOutbox: `INSERT OR IGNORE INTO outbox (id, sandbox, kind, instance_id, journey_id, version, payload, attempts, next_attempt_at, created_at, partition)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT partition FROM instances WHERE id = ?), 0))`,
  doneOutbox: 'DELETE FROM outbox WHERE id = ?',
  retryOutbox:
    'UPDATE outbox SET attempts = attempts + ?, next_attempt_at = ?, last_error = ?, attempt_started_at = NULL WHERE id = ?',
  landingPageCounter: `INSERT INTO landing_page_counters (sandbox, slug, sub_page, metric, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (sandbox, slug, sub_page, metric) DO UPDATE SET count = count + excluded.count`,
  inAppExpired:
    'DELETE FROM in_app_inbox WHERE sandbox = ? AND profile_id = ? AND expires_at IS NOT NULL AND expires_at <= ?',
  inAppReplace:
    "DELETE FROM in_app_inbox WHERE sandbox = ? AND profile_id = ? AND channel = 'code' AND surface = ? AND journey_id IS ? AND message_id <> ?",
  inAppPut: `INSERT OR IGNORE INTO in_app_inbox (sandbox, profile_id, message_id, channel, surface, instance_id, journey_id, version, node,
       withdraw_on_exit, content, displays, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  inAppWithdraw:
    'DELETE FROM in_app_inbox WHERE sandbox = ? AND instance_id = ? AND withdraw_on_exit = 1',
  inAppDisplayed:
    'UPDATE in_app_inbox SET displays = displays + 1 WHERE sandbox = ? AND profile_id = ? AND message_id = ?',
  counter: `INSERT INTO counters (sandbox, journey_id, version, node, metric, value) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (sandbox, journey_id, version, node, metric) DO UPDATE SET value = value + excluded.value`,
  putMessage: `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (${MESSAGE_VALUES}) ${MESSAGE_UPSERT}`,
  // A completed send's record, written by its outbox item's mark while the item is still there.
  logSentMessage: `INSERT INTO messages (${MESSAGE_COLUMNS}) SELECT ${MESSAGE_VALUES}
      WHERE EXISTS (SELECT 1 FROM outbox WHERE id = @outboxId) ${MESSAGE_UPSERT}`,
  putTestTrace:
    'INSERT INTO test_trace (sandbox, run_id, journey_id, version, profile_id, at, entry) VALUES (?, ?, ?, ?, ?, ?, ?)',
  putMembership: `INSERT INTO memberships (sandbox, audience, profile_id, status, realized_at, exited_at, partition)
      VALUES (?, ?, ?, ?, ?, ?, COALESCE((SELECT partition FROM profiles WHERE sandbox = ? AND id = ?), 0))
      ON CONFLICT (sandbox, audience, profile_id) DO UPDATE SET status = excluded.status, realized_at = excluded.realized_at, exited_at = excluded.exited_at`,
  removeMembership: 'DELETE FROM memberships WHERE sandbox = ? AND audience = ? AND profile_id = ?',
  removeAudience: 'DELETE FROM memberships WHERE sandbox = ? AND audience = ?',
  putJob:
    'INSERT INTO audience_jobs (sandbox, id, state) VALUES (?, ?, ?) ON CONFLICT (sandbox, id) DO UPDATE SET state = excluded.state',
  deleteJob: 'DELETE FROM audience_jobs WHERE sandbox = ? AND id = ?',
  putSuppression: `INSERT INTO suppressions (sandbox, channel, address, reason, source, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sandbox, channel, address) DO UPDATE SET reason = excluded.reason, source = excluded.source, detail = excluded.detail, created_at = excluded.created_at`,
  deleteSuppression: 'DELETE FROM suppressions WHERE sandbox = ? AND channel = ? AND address = ?',
  putWebhookDelivery: `INSERT INTO webhook_deliveries (sandbox, id, subscription, event_type, body, status, attempts, next_attempt_at, last_status, last_error, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sandbox, id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at,
         last_status = excluded.last_status, last_error = excluded.last_error, created_at = excluded.created_at, updated_at = excluded.updated_at`,
  markAttempting: 'UPDATE outbox SET attempt_started_at = ? WHERE id = ?',
  markSent: 'UPDATE outbox SET sent_at = ?, sent_outcome = ? WHERE id = ?',
  // Stitching: the absorbed profile's history and instances move to the surviving one; its memberships go (re-evaluated on the survivor).
  mergeEvents: 'UPDATE events SET profile_id = ? WHERE sandbox = ? AND profile_id = ?',
  mergeMessages: 'UPDATE messages SET profile_id = ? WHERE sandbox = ? AND profile_id = ?',
  mergeIdentities: 'UPDATE identities SET profile_id = ? WHERE sandbox = ? AND profile_id = ?',
  mergeTestTrace: 'UPDATE test_trace SET profile_id = ? WHERE sandbox = ? AND profile_id = ?',
  mergeInApp: 'UPDATE in_app_inbox SET profile_id = ? WHERE sandbox = ? AND profile_id = ?',
  mergeShortLinks: 'UPDATE short_links SET profile_id = ? WHERE sandbox = ? AND profile_id = ?',
  // The absorbed profile's instances, with their timers and outbox items, move to the survivor's partition.
  mergeTimers:
    'UPDATE timers SET partition = (SELECT partition FROM profiles WHERE sandbox = ? AND id = ?) WHERE instance_id IN (SELECT id FROM instances WHERE sandbox = ? AND profile_id = ?)',
  mergeOutbox:
    'UPDATE outbox SET partition = (SELECT partition FROM profiles WHERE sandbox = ? AND id = ?) WHERE instance_id IN (SELECT id FROM instances WHERE sandbox = ? AND profile_id = ?)',
  mergeInstances:
    "UPDATE instances SET profile_id = ?, state = json_set(state, '$.profileId', ?), partition = (SELECT partition FROM profiles WHERE sandbox = ? AND id = ?) WHERE sandbox = ? AND profile_id = ?",
  mergeMemberships:
    'DELETE FROM memberships INDEXED BY memberships_profile WHERE sandbox = ? AND profile_id = ?',
  mergeAudienceTimer: "DELETE FROM timers WHERE sandbox = ? AND id = 'audience:' || ?",
  mergeProfile: 'DELETE FROM profiles WHERE sandbox = ? AND id = ?',
  // Erasure on request: everything keyed by the profile, including its instances' timers and pending effects.
  eraseTimers:
    'DELETE FROM timers WHERE instance_id IN (SELECT id FROM instances WHERE sandbox = ? AND profile_id = ?)',
  eraseAudienceTimer: "DELETE FROM timers WHERE sandbox = ? AND id = 'audience:' || ?",
  eraseOutbox:
    'DELETE FROM outbox WHERE instance_id IN (SELECT id FROM instances WHERE sandbox = ? AND profile_id = ?)',
  eraseInstances: 'DELETE FROM instances WHERE sandbox = ? AND profile_id = ?',
  eraseEvents: 'DELETE FROM events WHERE sandbox = ? AND profile_id = ?',
  eraseMessages: 'DELETE FROM messages WHERE sandbox = ? AND profile_id = ?',
  eraseMemberships:
    'DELETE FROM memberships INDEXED BY memberships_profile WHERE sandbox = ? AND profile_id = ?',
  eraseIdentities: 'DELETE FROM identities WHERE sandbox = ? AND profile_id = ?',
  eraseTestTrace: 'DELETE FROM test_trace WHERE sandbox = ? AND profile_id = ?',
  eraseInApp: 'DELETE FROM in_app_inbox WHERE sandbox = ? AND profile_id = ?',
  eraseShortLinks: 'DELETE FROM short_links WHERE sandbox = ? AND profile_id = ?',
  erasePropositions: 'DELETE FROM offer_propositions WHERE sandbox = ? AND profile_id = ?',
  eraseOfferCounters: 'DELETE FROM offer_counters WHERE sandbox = ? AND profile_id = ?',
  eraseProfile: 'DELETE FROM profiles WHERE sandbox = ? AND id = ?',
} as const;

export type WriteKey = keyof typeof WRITE_SQL;

/** One statement run with its parameters (one object for a statement with named parameters). */
export interface WriteOp {
  readonly s: WriteKey;
  readonly a: readonly unknown[];
}

type MergeArgs = (into: string, sandbox: string, from: string) => unknown[];
const move: MergeArgs = (into, sandbox, from) => [into, sandbox, from];
const gone: MergeArgs = (_into, sandbox, from) => [sandbox, from];
const toSurvivorPartition: MergeArgs = (into, sandbox, from) => [sandbox, into, sandbox, from];

/** Stitching `from` into `into`, in this order. */
export const MERGE_STEPS: ReadonlyArray<readonly [WriteKey, MergeArgs]> = [
  ['mergeEvents', move],
  ['mergeMessages', move],
  ['mergeIdentities', move],
  ['mergeTestTrace', move],
  ['mergeInApp', move],
  ['mergeShortLinks', move],
  ['mergeTimers', toSurvivorPartition],
  ['mergeOutbox', toSurvivorPartition],
  ['mergeInstances', (into, sandbox, from) => [into, into, sandbox, into, sandbox, from]],
  ['mergeMemberships', gone],
  ['mergeAudienceTimer', gone],
  ['mergeProfile', gone],
];

/** Erasing a profile: each statement takes (sandbox, profileId). */
export const ERASE_STEPS: readonly WriteKey[] = [
  'eraseTimers',
  'eraseAudienceTimer',
  'eraseOutbox',
  'eraseInstances',
  'eraseEvents',
  'eraseMessages',
  'eraseMemberships',
  'eraseIdentities',
  'eraseTestTrace',
  'eraseInApp',
  'eraseShortLinks',
  'erasePropositions',
  'eraseOfferCounters',
  'eraseProfile',
];
