// The PostgreSQL store's tables, the same as the embedded store's (sqlite/schema.ts), column for
// column. Each migration runs once, in order, recorded in schema_migrations; the array is
// append-only. Text keys are COLLATE "C" so that comparisons and ORDER BY follow byte order, as
// SQLite's do (the engine pages by id). JSON is stored as `json`, which keeps the text as written
// (key order, exactly what SQLite returns) and accepts everything JSON.stringify produces; epoch
// milliseconds are bigint.
export const migrations: readonly string[] = [
  `
  CREATE TABLE objects (
    sandbox text COLLATE "C" NOT NULL, kind text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL, body json NOT NULL,
    revision integer NOT NULL, created_at text NOT NULL, updated_at text NOT NULL,
    PRIMARY KEY (sandbox, kind, key)
  );
  CREATE TABLE journeys (
    sandbox text COLLATE "C" NOT NULL, journey_id text COLLATE "C" NOT NULL, version integer NOT NULL, status text NOT NULL,
    definition json NOT NULL, created_at text NOT NULL, updated_at text NOT NULL, published_at text, closed_at text,
    PRIMARY KEY (sandbox, journey_id, version)
  );
  CREATE TABLE profiles (
    sandbox text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, attributes json NOT NULL, identities json NOT NULL,
    test boolean NOT NULL DEFAULT false, created_at text NOT NULL, updated_at text NOT NULL,
    PRIMARY KEY (sandbox, id)
  );
  CREATE TABLE identities (
    sandbox text COLLATE "C" NOT NULL, namespace text COLLATE "C" NOT NULL, value text COLLATE "C" NOT NULL, profile_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (sandbox, namespace, value)
  );
  CREATE INDEX identities_profile ON identities (sandbox, profile_id);
  CREATE TABLE events (
    sandbox text COLLATE "C" NOT NULL, event_id text COLLATE "C" NOT NULL, type text COLLATE "C" NOT NULL, profile_id text COLLATE "C" NOT NULL,
    payload json NOT NULL, received_at bigint NOT NULL,
    PRIMARY KEY (sandbox, event_id)
  );
  CREATE INDEX events_profile ON events (sandbox, profile_id, received_at);
  CREATE INDEX events_received ON events (sandbox, received_at);
  CREATE TABLE dead_letters (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sandbox text COLLATE "C" NOT NULL, event_id text, event_type text,
    body json NOT NULL, errors json NOT NULL, received_at bigint NOT NULL, replayed_at bigint
  );
  CREATE INDEX dead_letters_sandbox ON dead_letters (sandbox, id);
  CREATE TABLE instances (
    id text COLLATE "C" PRIMARY KEY, sandbox text COLLATE "C" NOT NULL, journey_id text COLLATE "C" NOT NULL, version integer NOT NULL,
    profile_id text COLLATE "C" NOT NULL, status text NOT NULL, state json NOT NULL,
    entered_at bigint NOT NULL, exited_at bigint
  );
  CREATE INDEX instances_profile ON instances (sandbox, profile_id, status);
  CREATE INDEX instances_journey ON instances (sandbox, journey_id, profile_id, exited_at);
  CREATE INDEX instances_version ON instances (sandbox, journey_id, version, status);
  CREATE TABLE timers (
    id text COLLATE "C" PRIMARY KEY, sandbox text COLLATE "C" NOT NULL, instance_id text COLLATE "C" NOT NULL, due_at bigint NOT NULL
  );
  CREATE INDEX timers_due ON timers (due_at);
  CREATE INDEX timers_instance ON timers (instance_id);
  CREATE TABLE outbox (
    id text COLLATE "C" PRIMARY KEY, sandbox text COLLATE "C" NOT NULL, kind text NOT NULL, instance_id text COLLATE "C" NOT NULL,
    journey_id text COLLATE "C" NOT NULL, version integer NOT NULL, payload json NOT NULL,
    attempts integer NOT NULL DEFAULT 0, next_attempt_at bigint NOT NULL, created_at bigint NOT NULL, last_error text
  );
  CREATE INDEX outbox_due ON outbox (next_attempt_at);
  CREATE INDEX outbox_instance ON outbox (instance_id);
  CREATE TABLE counters (
    sandbox text COLLATE "C" NOT NULL, journey_id text COLLATE "C" NOT NULL, version integer NOT NULL, node text COLLATE "C" NOT NULL,
    metric text COLLATE "C" NOT NULL, value bigint NOT NULL,
    PRIMARY KEY (sandbox, journey_id, version, node, metric)
  );
  CREATE TABLE messages (
    id text COLLATE "C" PRIMARY KEY, sandbox text COLLATE "C" NOT NULL, journey_id text COLLATE "C", version integer, node text, label text NOT NULL,
    instance_id text COLLATE "C", profile_id text COLLATE "C" NOT NULL, channel text COLLATE "C" NOT NULL, recipient text, status text COLLATE "C" NOT NULL,
    reason text, subject text, body text, text text, payload json NOT NULL, created_at bigint NOT NULL, updated_at bigint NOT NULL
  );
  CREATE INDEX messages_profile ON messages (sandbox, profile_id, created_at);
  CREATE INDEX messages_journey ON messages (sandbox, journey_id, created_at);
  `,
  // Audiences: stored memberships, jobs of read-audience journeys and batch schedules, per-sandbox settings.
  `
  CREATE TABLE memberships (
    sandbox text COLLATE "C" NOT NULL, audience text COLLATE "C" NOT NULL, profile_id text COLLATE "C" NOT NULL, status text NOT NULL,
    realized_at bigint, exited_at bigint,
    PRIMARY KEY (sandbox, audience, profile_id)
  );
  CREATE INDEX memberships_profile ON memberships (sandbox, profile_id);
  CREATE TABLE audience_jobs (
    sandbox text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, state json NOT NULL,
    PRIMARY KEY (sandbox, id)
  );
  CREATE TABLE sandbox_settings (
    sandbox text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL, value json NOT NULL,
    PRIMARY KEY (sandbox, key)
  );
  `,
  // Asset bytes and renditions (the blob port), so that a standby taking over serves the same images.
  `
  CREATE TABLE blobs (key text COLLATE "C" PRIMARY KEY, bytes bytea NOT NULL);
  `,
  // The fingerprint of each stored event (type, payload and timestamp, canonical), so that the same
  // event id sent with a different event is told apart from a resend. Older events hold none.
  `
  ALTER TABLE events ADD COLUMN fingerprint text;
  `,
  // Exactly-once on the wire (as far as providers allow): an outbox item is marked before its send
  // and its outcome recorded right after, so that a restart tells a cut attempt from a finished one.
  `
  ALTER TABLE outbox ADD COLUMN attempt_started_at bigint, ADD COLUMN sent_at bigint, ADD COLUMN sent_outcome json;
  `,
  // Test runs (test mode as a debugger): what happened at each step, kept per journey version after
  // test mode is left; erased with the profile.
  `
  CREATE TABLE test_trace (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sandbox text COLLATE "C" NOT NULL, run_id text COLLATE "C" NOT NULL,
    journey_id text COLLATE "C" NOT NULL, version integer NOT NULL, profile_id text COLLATE "C" NOT NULL, at bigint NOT NULL, entry json NOT NULL
  );
  CREATE INDEX test_trace_version ON test_trace (sandbox, journey_id, version, seq);
  CREATE INDEX test_trace_run ON test_trace (sandbox, run_id, seq);
  CREATE INDEX test_trace_profile ON test_trace (sandbox, profile_id);
  `,
  // A revision per journey version, so that a draft saved over someone else's newer save is refused.
  `
  ALTER TABLE journeys ADD COLUMN revision integer NOT NULL DEFAULT 1;
  `,
  // Translation projects: machine translation of content into the locales of its language settings,
  // run in the background and resumed after a restart.
  `
  CREATE TABLE translation_projects (
    sandbox text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, status text COLLATE "C" NOT NULL,
    created_at bigint NOT NULL, updated_at bigint NOT NULL, body json NOT NULL,
    PRIMARY KEY (sandbox, id)
  );
  CREATE INDEX translation_projects_created ON translation_projects (sandbox, created_at, id);
  CREATE INDEX translation_projects_status ON translation_projects (status, created_at);
  `,
  // The audit log (access control): who changed what, when, in which sandbox; kept when a sandbox is
  // erased, purged by age. Ids are time-ordered, so id order is time order and pages go by id.
  `
  CREATE TABLE audit_log (
    id text COLLATE "C" PRIMARY KEY, at bigint NOT NULL, sandbox text COLLATE "C", actor_kind text NOT NULL, actor_id text COLLATE "C" NOT NULL,
    actor_name text COLLATE "C" NOT NULL, action text COLLATE "C" NOT NULL, object_kind text COLLATE "C", object_key text COLLATE "C",
    object_name text, body json NOT NULL
  );
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
  ALTER TABLE timers ADD COLUMN record json;
  `,
  // Partitions (issue 16): every profile belongs to one of 256 partitions, fixed at its creation from
  // the identity that created it (FNV-1a of "namespace:value", folded, mod 256: src/shared/partition.ts,
  // the same function as SQL here for the backfill). Its instances, timers, outbox items and
  // memberships carry it, so that one engine of a fleet owns each partition's work. Leases say who
  // owns which (epoch: a new one on each change of owner, checked by every commit), engines
  // heartbeat, rate windows count fleet-wide limits. A change of an object or journey notifies
  // "waymark_changes" with "<schema>:<sandbox>", so that every engine drops its cached catalog.
  `
  CREATE FUNCTION waymark_partition(t text) RETURNS smallint LANGUAGE plpgsql IMMUTABLE AS $fn$
  DECLARE
    h bigint := 2166136261;
    b bytea := convert_to(t, 'UTF8');
  BEGIN
    FOR i IN 0 .. length(b) - 1 LOOP
      h := ((h # get_byte(b, i)) * 16777619) & 4294967295;
    END LOOP;
    RETURN (((h >> 24) # (h >> 16) # (h >> 8) # h) & 255)::smallint;
  END
  $fn$;
  ALTER TABLE profiles ADD COLUMN partition smallint NOT NULL DEFAULT 0;
  ALTER TABLE instances ADD COLUMN partition smallint NOT NULL DEFAULT 0;
  ALTER TABLE timers ADD COLUMN partition smallint NOT NULL DEFAULT 0;
  ALTER TABLE outbox ADD COLUMN partition smallint NOT NULL DEFAULT 0;
  ALTER TABLE memberships ADD COLUMN partition smallint NOT NULL DEFAULT 0;
  UPDATE profiles SET partition = CASE WHEN json_typeof(identities) = 'array' AND json_array_length(identities) > 0
    THEN waymark_partition((identities -> 0 ->> 'namespace') || ':' || (identities -> 0 ->> 'id')) ELSE waymark_partition(id) END;
  UPDATE instances i SET partition = p.partition FROM profiles p WHERE p.sandbox = i.sandbox AND p.id = i.profile_id;
  UPDATE timers SET partition = waymark_partition(instance_id);
  UPDATE timers t SET partition = i.partition FROM instances i WHERE i.id = t.instance_id;
  UPDATE timers t SET partition = p.partition FROM profiles p WHERE t.instance_id LIKE 'audience:%' AND p.sandbox = t.sandbox AND p.id = substr(t.instance_id, 10);
  UPDATE outbox o SET partition = i.partition FROM instances i WHERE i.id = o.instance_id;
  UPDATE memberships m SET partition = p.partition FROM profiles p WHERE p.sandbox = m.sandbox AND p.id = m.profile_id;
  CREATE INDEX timers_partition_due ON timers (partition, due_at);
  CREATE INDEX outbox_partition_due ON outbox (partition, next_attempt_at);
  CREATE INDEX instances_partition ON instances (partition);
  CREATE INDEX memberships_partition ON memberships (partition);
  CREATE TABLE partition_leases (
    partition smallint PRIMARY KEY, owner text COLLATE "C", epoch bigint NOT NULL DEFAULT 0, expires_at bigint NOT NULL DEFAULT 0
  );
  INSERT INTO partition_leases (partition) SELECT generate_series(0, 255);
  CREATE TABLE engines (
    id text COLLATE "C" PRIMARY KEY, host text NOT NULL, pid integer NOT NULL, started_at bigint NOT NULL, heartbeat_at bigint NOT NULL
  );
  CREATE FUNCTION waymark_notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      PERFORM pg_notify('waymark_changes', TG_TABLE_SCHEMA || ':' || OLD.sandbox);
    ELSE
      PERFORM pg_notify('waymark_changes', TG_TABLE_SCHEMA || ':' || NEW.sandbox);
    END IF;
    RETURN NULL;
  END
  $fn$;
  CREATE TRIGGER objects_changed AFTER INSERT OR UPDATE OR DELETE ON objects FOR EACH ROW EXECUTE FUNCTION waymark_notify_change();
  CREATE TRIGGER journeys_changed AFTER INSERT OR UPDATE OR DELETE ON journeys FOR EACH ROW EXECUTE FUNCTION waymark_notify_change();
  CREATE TABLE rate_windows (
    key text COLLATE "C" NOT NULL, window_start bigint NOT NULL, count bigint NOT NULL,
    PRIMARY KEY (key, window_start)
  );
  `,
  // Fleet mode: which engine marked an outbox item as attempted. The partition's next owner leaves
  // the item to that engine while it heartbeats (it records the send), and resends only once it is dead.
  `
  ALTER TABLE outbox ADD COLUMN attempt_by text COLLATE "C";
  `,
  // Retention (issue 21): the background purge deletes old delivery-log rows of a sandbox in small
  // batches, each found by this index (events_received exists already; IF NOT EXISTS: safe if renumbered).
  `
  CREATE INDEX IF NOT EXISTS messages_created ON messages (sandbox, created_at);
  `,
  // The Assistant (issue 18): conversations per user and sandbox, kept 30 days (the retention purger
  // deletes older ones by updated_at), and the feedback given on answers.
  `
  CREATE TABLE assistant_conversations (
    sandbox text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, owner text COLLATE "C" NOT NULL, messages json NOT NULL,
    journey_id text COLLATE "C", created_at bigint NOT NULL, updated_at bigint NOT NULL, PRIMARY KEY (sandbox, id)
  );
  CREATE INDEX assistant_conversations_updated ON assistant_conversations (updated_at);
  CREATE TABLE assistant_feedback (
    sandbox text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, conversation_id text COLLATE "C" NOT NULL,
    owner text COLLATE "C" NOT NULL, helpful boolean NOT NULL, comment text, at bigint NOT NULL, PRIMARY KEY (sandbox, id)
  );
  CREATE INDEX assistant_feedback_at ON assistant_feedback (sandbox, at);
  `,
  // Decisioning (issue 20): cap counters per (offer, scope, profile for per-profile caps, period
  // window), incremented only below the cap in one conditional upsert, and the propositions made.
  `
  CREATE TABLE IF NOT EXISTS offer_counters (
    sandbox text COLLATE "C" NOT NULL, offer_id text COLLATE "C" NOT NULL, scope text COLLATE "C" NOT NULL,
    profile_id text COLLATE "C" NOT NULL, period text COLLATE "C" NOT NULL, count bigint NOT NULL,
    PRIMARY KEY (sandbox, offer_id, scope, profile_id, period)
  );
  CREATE TABLE IF NOT EXISTS offer_propositions (
    id bigserial PRIMARY KEY, sandbox text COLLATE "C" NOT NULL, offer_id text COLLATE "C" NOT NULL,
    policy_id text COLLATE "C" NOT NULL, profile_id text COLLATE "C" NOT NULL, message_id text COLLATE "C",
    fallback boolean NOT NULL DEFAULT false, at bigint NOT NULL
  );
  CREATE INDEX IF NOT EXISTS offer_propositions_offer ON offer_propositions (sandbox, offer_id, id);
  CREATE INDEX IF NOT EXISTS offer_propositions_profile ON offer_propositions (sandbox, profile_id, id);
  `,
  // Landing pages (issue 20): report counters per page, sub-page ('' for the primary) and metric.
  `
  CREATE TABLE IF NOT EXISTS landing_page_counters (
    sandbox text COLLATE "C" NOT NULL, slug text COLLATE "C" NOT NULL, sub_page text COLLATE "C" NOT NULL,
    metric text COLLATE "C" NOT NULL, count bigint NOT NULL,
    PRIMARY KEY (sandbox, slug, sub_page, metric)
  );
  `,
  // Suppression list (issue 19): addresses no message goes to, with the reason (hard bounce, complaint,
  // manual) and the source (a provider's webhook, the API, the console).
  `
  CREATE TABLE IF NOT EXISTS suppressions (
    sandbox text COLLATE "C" NOT NULL, channel text COLLATE "C" NOT NULL, address text COLLATE "C" NOT NULL,
    reason text COLLATE "C" NOT NULL, source text COLLATE "C" NOT NULL, detail text, created_at bigint NOT NULL,
    PRIMARY KEY (sandbox, channel, address)
  );
  CREATE INDEX IF NOT EXISTS suppressions_created ON suppressions (sandbox, created_at);
  `,
  // Webhook deliveries (issue 19): one per (subscription, event), queued in the event's own commit.
  `
  CREATE TABLE IF NOT EXISTS webhook_deliveries (
    sandbox text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, subscription text COLLATE "C" NOT NULL,
    event_type text COLLATE "C" NOT NULL, body text NOT NULL, status text COLLATE "C" NOT NULL,
    attempts integer NOT NULL, next_attempt_at bigint NOT NULL, last_status integer, last_error text,
    created_at bigint NOT NULL, updated_at bigint NOT NULL,
    PRIMARY KEY (sandbox, id)
  );
  CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
  CREATE INDEX IF NOT EXISTS webhook_deliveries_subscription ON webhook_deliveries (sandbox, subscription, created_at);
  `,
  // In-app and code-based channels (issue 19): each profile's in-app inbox, served to the site's SDK.
  `
  CREATE TABLE IF NOT EXISTS in_app_inbox (
    sandbox text COLLATE "C" NOT NULL, profile_id text COLLATE "C" NOT NULL, message_id text COLLATE "C" NOT NULL,
    channel text COLLATE "C" NOT NULL, surface text COLLATE "C", instance_id text COLLATE "C",
    journey_id text COLLATE "C", version integer, node text COLLATE "C", withdraw_on_exit boolean NOT NULL,
    content text NOT NULL, displays integer NOT NULL DEFAULT 0, created_at bigint NOT NULL, expires_at bigint,
    PRIMARY KEY (sandbox, profile_id, message_id)
  );
  CREATE INDEX IF NOT EXISTS in_app_inbox_instance ON in_app_inbox (instance_id);
  CREATE INDEX IF NOT EXISTS in_app_inbox_expires ON in_app_inbox (expires_at);
  `,
  // SMS click tracking (issue 19): each link of a tracked SMS as a short code that redirects.
  `
  CREATE TABLE IF NOT EXISTS short_links (
    code text COLLATE "C" PRIMARY KEY, sandbox text COLLATE "C" NOT NULL, message_id text COLLATE "C" NOT NULL,
    profile_id text COLLATE "C" NOT NULL, journey_id text COLLATE "C", version integer, node text COLLATE "C",
    link_id text COLLATE "C" NOT NULL, url text NOT NULL, created_at bigint NOT NULL, expires_at bigint NOT NULL
  );
  CREATE INDEX IF NOT EXISTS short_links_message ON short_links (sandbox, message_id);
  CREATE INDEX IF NOT EXISTS short_links_profile ON short_links (sandbox, profile_id);
  CREATE INDEX IF NOT EXISTS short_links_expires ON short_links (expires_at);
  `,
  // Fleet commits fenced inside their one statement (partitions.ts, fenceStatement): the leases of
  // the partitions written are locked FOR SHARE and checked; a lease lost raises WMLST, which
  // rolls the whole statement back. One round trip instead of BEGIN, check, statement, COMMIT.
  `
  CREATE OR REPLACE FUNCTION waymark_fence(written smallint[], engine text, held smallint[], epochs bigint[])
  RETURNS integer LANGUAGE plpgsql VOLATILE AS $fn$
  DECLARE
    r record;
    lost smallint[] := '{}';
  BEGIN
    FOR r IN SELECT l.partition, l.owner, l.epoch FROM partition_leases l
      WHERE l.partition = ANY(written) ORDER BY l.partition FOR SHARE
    LOOP
      IF r.owner IS DISTINCT FROM engine
        OR array_position(held, r.partition) IS NULL
        OR epochs[array_position(held, r.partition)] IS DISTINCT FROM r.epoch THEN
        lost := lost || r.partition;
      END IF;
    END LOOP;
    IF cardinality(lost) > 0 THEN
      RAISE EXCEPTION USING ERRCODE = 'WMLST', MESSAGE = array_to_string(lost, ',');
    END IF;
    RETURN 0;
  END
  $fn$;
  `,
];
