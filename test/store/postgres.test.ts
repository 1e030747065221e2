// The storage contract against a real PostgreSQL (127.0.0.1:5432 unless WAYMARK_TEST_POSTGRES_URL
// says otherwise): each store in a fresh schema of the same database, dropped when it closes. When
// PostgreSQL is down these tests fail (CI starts it); they do not skip.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { WaymarkError } from '../../src/errors.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { migrations } from '../../src/store/postgres/schema.ts';
import type { Store } from '../../src/store/ports.ts';
import { runStoreContract } from './contract.ts';
import {
  dropSchema,
  freshSchemaName,
  openPostgresTestStore,
  POSTGRES_TEST_URL,
} from '../support/test-store.ts';

const url = POSTGRES_TEST_URL;

runStoreContract('postgresql', () => openPostgresTestStore());

test('postgresql: opening a migrated schema again keeps its data and applies nothing twice', async () => {
  const schema = freshSchemaName();
  try {
    const first = await openPostgresStore({ connectionString: url, schema });
    await first.putSetting('prod', 'retention', { days: 30 });
    await first.close();
    const second = await openPostgresStore({ connectionString: url, schema });
    try {
      assert.deepEqual(await second.getSetting('prod', 'retention'), { days: 30 });
    } finally {
      await second.close();
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT version FROM ${schema}.schema_migrations ORDER BY version`,
      );
      assert.deepEqual(
        rows.map((r: { version: number }) => r.version),
        migrations.map((_, i) => i + 1),
        'each migration once',
      );
    } finally {
      await client.end();
    }
  } finally {
    await dropSchema(schema);
  }
});

test('postgresql: a schema name that is not a plain identifier is refused before anything runs', async () => {
  await assert.rejects(
    openPostgresStore({ connectionString: url, schema: 'x; DROP TABLE y' }),
    (e: unknown) => e instanceof WaymarkError && e.code === 'bad_request',
  );
});

test('postgresql: an unreachable server is a clear, retryable error', async () => {
  await assert.rejects(
    openPostgresStore({
      connectionString: 'postgres://postgres@127.0.0.1:1/postgres',
      schema: 'nowhere',
    }),
    (e: unknown) =>
      e instanceof WaymarkError &&
      e.retryable &&
      /PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/postgres is not usable/.test(e.message),
  );
});

test('postgresql: a commit that fails half-way leaves nothing written', async () => {
  const s = await openPostgresTestStore();
  try {
    await s.commit({
      events: [
        { sandbox: 'prod', eventId: 'e1', type: 'A', profileId: 'p1', payload: {}, receivedAt: 1 },
      ],
    });
    await assert.rejects(
      s.commit({
        profiles: [
          {
            sandbox: 'prod',
            id: 'p2',
            attributes: {},
            testProfile: false,
            identities: [{ namespace: 'Email', id: 'a@b.c' }],
            createdAt: 't',
            updatedAt: 't',
          },
        ],
        counters: [
          { sandbox: 'prod', journeyId: 'j', version: 1, node: null, metric: 'entered', delta: 1 },
        ],
        events: [
          {
            sandbox: 'prod',
            eventId: 'e1',
            type: 'A',
            profileId: 'p2',
            payload: {},
            receivedAt: 2,
          },
        ],
      }),
    );
    assert.equal(await s.getProfile('prod', 'p2'), null);
    assert.equal(await s.findProfileId('prod', 'Email', 'a@b.c'), null);
    assert.deepEqual(await s.counters('prod', 'j'), []);
    await s.commit({
      counters: [
        { sandbox: 'prod', journeyId: 'j', version: 1, node: null, metric: 'entered', delta: 1 },
      ],
    });
    assert.deepEqual(
      (await s.counters('prod', 'j')).map((c) => c.value),
      [1],
      'the store works on after a failed commit',
    );
  } finally {
    await s.close();
  }
});

test('postgresql: two stores (two processes) committing to one schema at once lose nothing and do not deadlock', async () => {
  const schema = freshSchemaName();
  const [a, b] = [
    await openPostgresStore({ connectionString: url, schema }),
    await openPostgresStore({ connectionString: url, schema }),
  ];
  try {
    const metrics = ['entered', 'exited', 'timeout', 'error'];
    const batch = (i: number, reversed: boolean) => {
      const counters = metrics.map((metric) => ({
        sandbox: 'prod',
        journeyId: 'j',
        version: 1,
        node: null,
        metric,
        delta: 1,
      }));
      const profiles = metrics.map((m) => ({
        sandbox: 'prod',
        id: `p-${m}`,
        attributes: { i },
        testProfile: false,
        identities: [{ namespace: 'Email', id: `${m}@x.example` }],
        createdAt: 't',
        updatedAt: 't',
      }));
      return {
        counters: reversed ? counters.reverse() : counters,
        profiles: reversed ? profiles.reverse() : profiles,
      };
    };
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).commit(batch(i, i % 4 < 2))),
    );
    assert.deepEqual(
      (await a.counters('prod', 'j')).map((c) => `${c.metric}=${c.value}`),
      ['entered=60', 'error=60', 'exited=60', 'timeout=60'],
    );
    assert.equal((await b.listProfiles('prod', { limit: 10, offset: 0 })).length, 4);
  } finally {
    await a.close();
    await b.close();
    await dropSchema(schema);
  }
});
