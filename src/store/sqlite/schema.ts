// The embedded store's tables. Each migration runs once, in order, recorded in user_version.
export const migrations: readonly string[] = [
  `
  CREATE TABLE objects (
    sandbox TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL,
    revision INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (sandbox, kind, key)
  ) WITHOUT ROWID;
  CREATE TABLE journeys (
    sandbox TEXT NOT NULL, journey_id TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,
    definition TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, published_at TEXT, closed_at TEXT,
    PRIMARY KEY (sandbox, journey_id, version)
  ) WITHOUT ROWID;
  CREATE TABLE profiles (
    sandbox TEXT NOT NULL, id TEXT NOT NULL, attributes TEXT NOT NULL, identities TEXT NOT NULL,
    test INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (sandbox, id)
  ) WITHOUT ROWID;
  CREATE TABLE identities (
    sandbox TEXT NOT NULL, namespace TEXT NOT NULL, value TEXT NOT NULL, profile_id TEXT NOT NULL,
    PRIMARY KEY (sandbox, namespace, value)
  ) WITHOUT ROWID;
  CREATE TABLE events (
    sandbox TEXT NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, profile_id TEXT NOT NULL,
    payload TEXT NOT NULL, received_at INTEGER NOT NULL,
    PRIMARY KEY (sandbox, event_id)
  ) WITHOUT ROWID;
  CREATE INDEX events_profile ON events (sandbox, profile_id, received_at);
  CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT, sandbox TEXT NOT NULL, event_id TEXT, event_type TEXT,
    body TEXT NOT NULL, errors TEXT NOT NULL, received_at INTEGER NOT NULL, replayed_at INTEGER
  );
  CREATE INDEX dead_letters_sandbox ON dead_letters (sandbox, id);
  CREATE TABLE instances (
    id TEXT PRIMARY KEY, sandbox TEXT NOT NULL, journey_id TEXT NOT NULL, version INTEGER NOT NULL,
    profile_id TEXT NOT NULL, status TEXT NOT NULL, state TEXT NOT NULL,
    entered_at INTEGER NOT NULL, exited_at INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX instances_profile ON instances (sandbox, profile_id, status);
  CREATE INDEX instances_journey ON instances (sandbox, journey_id, profile_id, exited_at);
  CREATE INDEX instances_version ON instances (sandbox, journey_id, version, status);
  CREATE TABLE timers (
    id TEXT PRIMARY KEY, sandbox TEXT NOT NULL, instance_id TEXT NOT NULL, due_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX timers_due ON timers (due_at);
  CREATE TABLE outbox (
    id TEXT PRIMARY KEY, sandbox TEXT NOT NULL, kind TEXT NOT NULL, instance_id TEXT NOT NULL,
    journey_id TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, created_at INTEGER NOT NULL, last_error TEXT
  ) WITHOUT ROWID;
  CREATE INDEX outbox_due ON outbox (next_attempt_at);
  CREATE TABLE counters (
    sandbox TEXT NOT NULL, journey_id TEXT NOT NULL, version INTEGER NOT NULL, node TEXT NOT NULL,
    metric TEXT NOT NULL, value INTEGER NOT NULL,
    PRIMARY KEY (sandbox, journey_id, version, node, metric)
  ) WITHOUT ROWID;
  CREATE TABLE messages (
    id TEXT PRIMARY KEY, sandbox TEXT NOT NULL, journey_id TEXT, version INTEGER, node TEXT, label TEXT NOT NULL,
    instance_id TEXT, profile_id TEXT NOT NULL, channel TEXT NOT NULL, recipient TEXT, status TEXT NOT NULL,
    reason TEXT, subject TEXT, body TEXT, text TEXT, payload TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX messages_profile ON messages (sandbox, profile_id, created_at);
  CREATE INDEX messages_journey ON messages (sandbox, journey_id, created_at);
  `,
  // Audiences (issue 6): stored memberships, jobs of read-audience journeys and batch schedules,
  // per-sandbox settings (experience-event retention).
  `
  CREATE TABLE memberships (
    sandbox TEXT NOT NULL, audience TEXT NOT NULL, profile_id TEXT NOT NULL, status TEXT NOT NULL,
    realized_at INTEGER, exited_at INTEGER,
    PRIMARY KEY (sandbox, audience, profile_id)
  ) WITHOUT ROWID;
  CREATE INDEX memberships_profile ON memberships (sandbox, profile_id);
  CREATE TABLE audience_jobs (
    sandbox TEXT NOT NULL, id TEXT NOT NULL, state TEXT NOT NULL,
    PRIMARY KEY (sandbox, id)
  ) WITHOUT ROWID;
  CREATE TABLE sandbox_settings (
    sandbox TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (sandbox, key)
  ) WITHOUT ROWID;
  `,
  // The fingerprint of each stored event (type, payload and timestamp, canonical), so
  // that the same event id sent with a different event is told apart from a resend. Events stored
  // before hold none and count as resends.
  `
  ALTER TABLE events ADD COLUMN fingerprint TEXT;
  `,
  // Exactly-once on the wire (as far as providers allow): an outbox item is marked before its send
  // and its outcome recorded right after, so that a restart tells a cut attempt from a finished one.
  `
  ALTER TABLE outbox ADD COLUMN attempt_started_at INTEGER;
  ALTER TABLE outbox ADD COLUMN sent_at INTEGER;
  ALTER TABLE outbox ADD COLUMN sent_outcome TEXT;
  `,
  // Test runs (test mode as a debugger): what happened at each step, kept per journey version after
  // test mode is left; erased with the profile.
  `
  CREATE TABLE test_trace (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, sandbox TEXT NOT NULL, run_id TEXT NOT NULL, journey_id TEXT NOT NULL,
    version INTEGER NOT NULL, profile_id TEXT NOT NULL, at INTEGER NOT NULL, entry TEXT NOT NULL
  );
  CREATE INDEX test_trace_version ON test_trace (sandbox, journey_id, version, seq);
  CREATE INDEX test_trace_run ON test_trace (sandbox, run_id, seq);
  CREATE INDEX test_trace_profile ON test_trace (sandbox, profile_id);
  `,
  // A revision per journey version, so that a draft saved over someone else's newer save is refused.
  `
  ALTER TABLE journeys ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
  `,
  // Translation projects: machine translation of content into the locales of its language settings,
  // run in the background and resumed after a restart.
  `
  CREATE TABLE translation_projects (
    sandbox TEXT NOT NULL, id TEXT NOT NULL, status TEXT NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (sandbox, id)
  ) WITHOUT ROWID;
  CREATE INDEX translation_projects_created ON translation_projects (sandbox, created_at, id);
  CREATE INDEX translation_projects_status ON translation_projects (status, created_at);
  `,
  // The audit log (access control): who changed what, when, in which sandbox; kept when a sandbox is
  // erased, purged by age. Ids are time-ordered, so id order is time order and pages go by id.
  `
  CREATE TABLE audit_log (
    id TEXT PRIMARY KEY, at INTEGER NOT NULL, sandbox TEXT, actor_kind TEXT NOT NULL, actor_id TEXT NOT NULL, actor_name TEXT NOT NULL,
    action TEXT NOT NULL, object_kind TEXT, object_key TEXT, object_name TEXT, body TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX audit_log_sandbox ON audit_log (sandbox, id);
  CREATE INDEX audit_log_object ON audit_log (object_key, id);
  CREATE INDEX audit_log_actor_id ON audit_log (actor_id, id);
  CREATE INDEX audit_log_actor_name ON audit_log (actor_name, id);
  CREATE INDEX audit_log_action ON audit_log (action, id);
  CREATE INDEX audit_log_at ON audit_log (at);
  `,
  // Typed timers (issue 16): each timer's kind and format as JSON (src/store/records/timer-record.ts);
  // rows written before hold none and are read by their instance id's prefix.
  `
  ALTER TABLE timers ADD COLUMN record TEXT;
  `,
  // Partitions (issue 16): a profile's partition (0-255), fixed at its creation from the identity that
  // created it (src/shared/partition.ts; waymark_partition is that function, registered on the
  // connection), carried by its instances, timers, outbox items and memberships. The embedded store
  // has one engine owning every partition; the column keeps both stores' rows alike.
  `
  ALTER TABLE profiles ADD COLUMN partition INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE instances ADD COLUMN partition INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE timers ADD COLUMN partition INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE outbox ADD COLUMN partition INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE memberships ADD COLUMN partition INTEGER NOT NULL DEFAULT 0;
  UPDATE profiles SET partition = CASE WHEN json_array_length(identities) > 0
    THEN waymark_partition(json_extract(identities, '$[0].namespace') || ':' || json_extract(identities, '$[0].id')) ELSE waymark_partition(id) END;
  UPDATE instances SET partition = COALESCE((SELECT p.partition FROM profiles p WHERE p.sandbox = instances.sandbox AND p.id = instances.profile_id), 0);
  UPDATE timers SET partition = COALESCE(
    (SELECT i.partition FROM instances i WHERE i.id = timers.instance_id),
    (SELECT p.partition FROM profiles p WHERE timers.instance_id LIKE 'audience:%' AND p.sandbox = timers.sandbox AND p.id = substr(timers.instance_id, 10)),
    waymark_partition(instance_id));
  UPDATE outbox SET partition = COALESCE((SELECT i.partition FROM instances i WHERE i.id = outbox.instance_id), 0);
  UPDATE memberships SET partition = COALESCE((SELECT p.partition FROM profiles p WHERE p.sandbox = memberships.sandbox AND p.id = memberships.profile_id), 0);
  CREATE INDEX timers_partition_due ON timers (partition, due_at);
  CREATE INDEX outbox_partition_due ON outbox (partition, next_attempt_at);
  `,
  // Retention (issue 21): the background purge deletes old events and delivery-log rows of a sandbox
  // in small batches, each found by these indexes (IF NOT EXISTS: safe if renumbered at a merge).
  `
  CREATE INDEX IF NOT EXISTS events_received ON events (sandbox, received_at);
  CREATE INDEX IF NOT EXISTS messages_created ON messages (sandbox, created_at);
  `,
  // The Assistant (issue 18): conversations per user and sandbox, kept 30 days (the retention purger
  // deletes older ones by updated_at), and the feedback given on answers.
  `
  CREATE TABLE assistant_conversations (
    sandbox TEXT NOT NULL, id TEXT NOT NULL, owner TEXT NOT NULL, messages TEXT NOT NULL, journey_id TEXT,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (sandbox, id)
  ) WITHOUT ROWID;
  CREATE INDEX assistant_conversations_updated ON assistant_conversations (updated_at);
  CREATE TABLE assistant_feedback (
    sandbox TEXT NOT NULL, id TEXT NOT NULL, conversation_id TEXT NOT NULL, owner TEXT NOT NULL,
    helpful INTEGER NOT NULL, comment TEXT, at INTEGER NOT NULL, PRIMARY KEY (sandbox, id)
  ) WITHOUT ROWID;
  CREATE INDEX assistant_feedback_at ON assistant_feedback (sandbox, at);
  `,
  // Decisioning (issue 20): cap counters per (offer, scope, profile for per-profile caps, period
  // window), incremented only below the cap in one conditional statement, and the propositions made.
  `
  CREATE TABLE IF NOT EXISTS offer_counters (
    sandbox TEXT NOT NULL, offer_id TEXT NOT NULL, scope TEXT NOT NULL, profile_id TEXT NOT NULL,
    period TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (sandbox, offer_id, scope, profile_id, period)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS offer_propositions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, sandbox TEXT NOT NULL, offer_id TEXT NOT NULL,
    policy_id TEXT NOT NULL, profile_id TEXT NOT NULL, message_id TEXT, fallback INTEGER NOT NULL DEFAULT 0,
    at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS offer_propositions_offer ON offer_propositions (sandbox, offer_id, id);
  CREATE INDEX IF NOT EXISTS offer_propositions_profile ON offer_propositions (sandbox, profile_id, id);
  `,
  // Landing pages (issue 20): report counters per page, sub-page ('' for the primary) and metric.
  `
  CREATE TABLE IF NOT EXISTS landing_page_counters (
    sandbox TEXT NOT NULL, slug TEXT NOT NULL, sub_page TEXT NOT NULL, metric TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (sandbox, slug, sub_page, metric)
  ) WITHOUT ROWID;
  `,
  // Suppression list (issue 19): addresses no message goes to, with the reason (hard bounce, complaint,
  // manual) and the source (a provider's webhook, the API, the console).
  `
  CREATE TABLE IF NOT EXISTS suppressions (
    sandbox TEXT NOT NULL, channel TEXT NOT NULL, address TEXT NOT NULL, reason TEXT NOT NULL,
    source TEXT NOT NULL, detail TEXT, created_at INTEGER NOT NULL,
    PRIMARY KEY (sandbox, channel, address)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS suppressions_created ON suppressions (sandbox, created_at);
  `,
  // Webhook deliveries (issue 19): one per (subscription, event), queued in the event's own commit.
  `
  CREATE TABLE IF NOT EXISTS webhook_deliveries (
    sandbox TEXT NOT NULL, id TEXT NOT NULL, subscription TEXT NOT NULL, event_type TEXT NOT NULL,
    body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL,
    last_status INTEGER, last_error TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (sandbox, id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
  CREATE INDEX IF NOT EXISTS webhook_deliveries_subscription ON webhook_deliveries (sandbox, subscription, created_at);
  `,
  // In-app and code-based channels (issue 19): each profile's in-app inbox, served to the site's SDK.
  `
  CREATE TABLE IF NOT EXISTS in_app_inbox (
    sandbox TEXT NOT NULL, profile_id TEXT NOT NULL, message_id TEXT NOT NULL, channel TEXT NOT NULL,
    surface TEXT, instance_id TEXT, journey_id TEXT, version INTEGER, node TEXT,
    withdraw_on_exit INTEGER NOT NULL, content TEXT NOT NULL, displays INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL, expires_at INTEGER,
    PRIMARY KEY (sandbox, profile_id, message_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS in_app_inbox_instance ON in_app_inbox (instance_id);
  CREATE INDEX IF NOT EXISTS in_app_inbox_expires ON in_app_inbox (expires_at);
  `,
  // SMS click tracking (issue 19): each link of a tracked SMS as a short code that redirects.
  `
  CREATE TABLE IF NOT EXISTS short_links (
    code TEXT PRIMARY KEY, sandbox TEXT NOT NULL, message_id TEXT NOT NULL, profile_id TEXT NOT NULL,
    journey_id TEXT, version INTEGER, node TEXT, link_id TEXT NOT NULL, url TEXT NOT NULL,
    created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS short_links_message ON short_links (sandbox, message_id);
  CREATE INDEX IF NOT EXISTS short_links_profile ON short_links (sandbox, profile_id);
  CREATE INDEX IF NOT EXISTS short_links_expires ON short_links (expires_at);
  `,
  // The partition indexes of timers and outbox serve the fleet's claims, which only PostgreSQL has:
  // one writer claims everything here. Their first column is a hash, so each timer and outbox row
  // written or deleted dirtied a page of each at random, a WAL frame more per row in every commit
  // (BENCHMARKS.md, 2026-12-05 22:40 UTC). The partition columns stay (the status page's backlog).
  `
  DROP INDEX IF EXISTS timers_partition_due;
  DROP INDEX IF EXISTS outbox_partition_due;
  `,
];
