// Whole sandboxes on both stores: which sandboxes hold anything (reserved spaces left out), and
// erasing one deletes its rows in every table, in one go, leaving the other sandboxes and the audit
// log as they were. The table list is held to the schema: a table with a sandbox column that the
// erasure does not know fails here.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { InstanceState } from '../../src/journey/instance.ts';
import { SANDBOX_TABLES } from '../../src/store/audit-sql.ts';
import type { CommitBatch, Store } from '../../src/store/ports.ts';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { instanceTimer } from '../../src/store/records/index.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';

const instance = (id: string, profileId: string): InstanceState => ({
  v: 2,
  id,
  journeyId: 'j',
  version: 1,
  profileId,
  status: 'active',
  waiting: null,
  context: { events: {}, actions: {} },
  path: [],
  enteredAt: 1000,
  seq: 0,
});

/** A row in every table for the sandbox (ids suffixed so that two sandboxes never collide on global keys). */
async function fill(s: Store, sandbox: string): Promise<void> {
  const x = (id: string) => `${id}-${sandbox}`;
  const batch: CommitBatch = {
    profiles: [
      {
        sandbox,
        id: 'p1',
        attributes: { a: 1 },
        testProfile: true,
        identities: [{ namespace: 'Email', id: 'x@y.z' }],
        createdAt: 't',
        updatedAt: 't',
      },
    ],
    events: [
      { sandbox, eventId: 'e1', type: 'A', profileId: 'p1', payload: { k: 1 }, receivedAt: 5 },
    ],
    deadLetters: [{ sandbox, eventId: 'bad', eventType: 'A', body: {}, errors: {}, receivedAt: 6 }],
    instances: [{ sandbox, state: instance(x('i1'), 'p1') }],
    timersAdd: [instanceTimer(x('t1'), sandbox, x('i1'), 100)],
    outboxAdd: [
      {
        id: x('o1'),
        sandbox,
        kind: 'callAction',
        v: 1,
        instanceId: x('i1'),
        journeyId: 'j',
        version: 1,
        payload: {
          kind: 'callAction',
          callId: x('o1'),
          node: 'a',
          action: 'A',
          parameters: {},
          timeoutMs: 5000,
        },
        attempts: 0,
        nextAttemptAt: 50,
        createdAt: 50,
      },
    ],
    counters: [{ sandbox, journeyId: 'j', version: 1, node: null, metric: 'entered', delta: 1 }],
    messages: [
      {
        id: x('m1'),
        sandbox,
        journeyId: 'j',
        version: 1,
        node: 'e',
        label: 'E',
        instanceId: x('i1'),
        profileId: 'p1',
        channel: 'email',
        recipient: 'x@y.z',
        status: 'sent',
        reason: null,
        subject: 'S',
        body: 'B',
        text: 'T',
        payload: {},
        createdAt: 60,
        updatedAt: 60,
      },
    ],
    memberships: [
      {
        sandbox,
        profileId: 'p1',
        audience: 'All',
        status: 'realized',
        realizedAt: 1,
        exitedAt: null,
      },
    ],
    audienceJobs: [{ sandbox, id: 'job', state: { at: 1 } }],
    suppressions: [
      {
        sandbox,
        channel: 'email',
        address: 'ana@luma.example',
        entry: { reason: 'hard_bounce', source: 'sendgrid', detail: null, createdAt: 1 },
      },
    ],
    webhookDeliveries: [
      {
        sandbox,
        id: 'evt_1.crm',
        subscription: 'crm',
        eventType: 'journey.entered',
        body: '{}',
        status: 'pending',
        attempts: 0,
        nextAttemptAt: 1,
        lastStatus: null,
        lastError: null,
        createdAt: 1,
        updatedAt: 1,
      },
    ],
    inApp: [
      {
        kind: 'put',
        row: {
          sandbox,
          profileId: 'p1',
          messageId: x('i1:1'),
          channel: 'inApp',
          surface: null,
          instanceId: x('i1'),
          journeyId: 'j',
          version: 1,
          node: 'modal',
          withdrawOnExit: true,
          content: { title: 'Hi' },
          displays: 0,
          createdAt: 1,
          expiresAt: null,
        },
      },
    ],
    testTrace: [
      {
        sandbox,
        runId: x('i1'),
        journeyId: 'j',
        version: 1,
        profileId: 'p1',
        at: 1,
        entry: { step: 1 },
      },
    ],
  };
  await s.commit(batch);
  await s.putObject(sandbox, 'fragment', 'f', { id: 'f' }, 't');
  await s.putJourneyVersion(sandbox, {
    journeyId: 'j',
    version: 1,
    status: 'live',
    definition: { name: 'J', start: 'a', nodes: [] } as never,
    createdAt: 't',
    updatedAt: 't',
  });
  await s.putSetting(sandbox, 'retention', { days: 30 });
  await s.putTranslationProject({
    sandbox,
    id: 'tp',
    status: 'completed',
    createdAt: 1,
    updatedAt: 1,
    body: {},
  });
  await s.putConversation({
    sandbox,
    id: 'c1',
    owner: 'user:u1',
    messages: [{ role: 'user', content: 'hello' }],
    journeyId: null,
    createdAt: 1,
    updatedAt: 1,
  });
  await s.appendAssistantFeedback({
    sandbox,
    id: 'f1',
    conversationId: 'c1',
    owner: 'user:u1',
    helpful: true,
    comment: null,
    at: 1,
  });
  await s.recordProposition(
    sandbox,
    { offerId: 'o', policyId: 'pol', profileId: 'p1', messageId: null, fallback: false, at: 1 },
    [{ offerId: 'o', scope: 'total', profileId: '', period: 'all', limit: 10 }],
  );
  await s.countLandingPage(sandbox, 'email-preferences', '', 'views');
  await s.putShortLink({
    code: `${sandbox}-code`.padEnd(10, 'x').slice(0, 10),
    sandbox,
    messageId: 'i1:1',
    profileId: 'p1',
    journeyId: 'j',
    version: 1,
    node: 'n',
    linkId: '0',
    url: 'https://luma.example/',
    createdAt: 1,
    expiresAt: 2,
  });
  await s.appendAudit({
    id: x('0001'),
    at: 1,
    sandbox,
    actorKind: 'user',
    actorId: 'u1',
    actorName: 'ana@luma.example',
    action: 'object.create',
    objectKind: 'fragment',
    objectKey: 'f',
    objectName: null,
    body: { changes: [] },
  });
}

interface Harness {
  store: Store;
  count(table: string, sandbox: string): Promise<number>;
  tablesWithSandbox(): Promise<string[]>;
  /** Asset bytes kept in the database (PostgreSQL), keyed `<sandbox>/…`. */
  blobKeys?(): Promise<string[]>;
  close(): Promise<void>;
}

function contract(name: string, open: () => Promise<Harness>): void {
  describe(`whole sandboxes: ${name}`, () => {
    test('the sandboxes that hold anything, without the reserved `_access`; erasing one empties every table of it and keeps the rest and the audit log', async () => {
      const h = await open();
      const s = h.store;
      try {
        assert.deepEqual(await s.sandboxesWithData(), []);
        await fill(s, 'dev');
        await fill(s, 'prod');
        await s.putObject('_access', 'user', 'u1', { email: 'ana@luma.example' }, 't');
        await s.commit({
          events: [
            {
              sandbox: 'events-only',
              eventId: 'e',
              type: 'A',
              profileId: 'p',
              payload: {},
              receivedAt: 1,
            },
          ],
        });
        assert.deepEqual(await s.sandboxesWithData(), ['dev', 'events-only', 'prod']);

        for (const t of SANDBOX_TABLES)
          assert.equal(await h.count(t, 'dev'), 1, `dev has a row in ${t} before`);
        await s.eraseSandbox('dev');
        for (const t of SANDBOX_TABLES) {
          assert.equal(await h.count(t, 'dev'), 0, `dev has nothing left in ${t}`);
          assert.equal(await h.count(t, 'prod'), 1, `prod keeps its row in ${t}`);
        }
        assert.equal(
          await h.count('audit_log', 'dev'),
          1,
          'the audit log keeps what happened in the erased sandbox',
        );
        if (h.blobKeys)
          assert.deepEqual(
            await h.blobKeys(),
            ['dev-2/assets/a1/v1', 'prod/assets/a1/v1'],
            "the sandbox's asset bytes go; a sandbox whose name starts the same keeps its own",
          );
        assert.deepEqual(await s.sandboxesWithData(), ['events-only', 'prod']);
        assert.equal(
          (await s.getObject('_access', 'user', 'u1'))?.key,
          'u1',
          'the reserved space is untouched',
        );
        // Through the port too: the reads see an empty sandbox.
        assert.equal(await s.getProfile('dev', 'p1'), null);
        assert.equal(await s.findProfileId('dev', 'Email', 'x@y.z'), null);
        assert.deepEqual(await s.listJourneys('dev'), []);
        assert.equal(await s.nextTimerDue(), 100, "prod's timer is still due");
        await s.eraseSandbox('nothing-here');
      } finally {
        await h.close();
      }
    });

    test('every table with a sandbox column is erased but the audit log', async () => {
      const h = await open();
      try {
        assert.deepEqual(
          (await h.tablesWithSandbox()).filter((t) => t !== 'audit_log').sort(),
          [...SANDBOX_TABLES].sort(),
        );
      } finally {
        await h.close();
      }
    });
  });
}

contract('sqlite', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'waymark-erase-')), 'waymark.db');
  const store = new SqliteStore(path, { checkpointIntervalMs: null });
  const raw = new Database(path, { readonly: true });
  return {
    store,
    count: async (table, sandbox) =>
      raw.prepare(`SELECT COUNT(*) FROM ${table} WHERE sandbox = ?`).pluck().get(sandbox) as number,
    tablesWithSandbox: async () =>
      (
        raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
      ).filter((t) =>
        (raw.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]).includes(
          'sandbox',
        ),
      ),
    close: async () => {
      raw.close();
      await store.close();
    },
  };
});

contract('postgresql', async () => {
  const schema = freshSchemaName('waymark_erase');
  const store: PostgresStore = await openPostgresStore({
    connectionString: POSTGRES_TEST_URL,
    schema,
    maxConnections: 4,
  });
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  await store.blobStore().put('dev/assets/a1/v1', new Uint8Array([1]));
  await store.blobStore().put('prod/assets/a1/v1', new Uint8Array([2]));
  await store.blobStore().put('dev-2/assets/a1/v1', new Uint8Array([3]));
  const countRows = async (table: string, sandbox: string): Promise<number> =>
    Number(
      (
        await client.query(`SELECT COUNT(*) AS n FROM ${schema}.${table} WHERE sandbox = $1`, [
          sandbox,
        ])
      ).rows[0].n,
    );
  return {
    store,
    count: countRows,
    tablesWithSandbox: async () =>
      (
        await client.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'sandbox'",
          [schema],
        )
      ).rows.map((r) => r.table_name),
    blobKeys: async () =>
      (
        await client.query<{ key: string }>(`SELECT key FROM ${schema}.blobs ORDER BY key`)
      ).rows.map((r) => r.key),
    close: async () => {
      try {
        await client.end();
        await store.close();
      } finally {
        await dropSchema(schema);
      }
    },
  };
});
