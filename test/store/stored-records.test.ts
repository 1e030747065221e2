// Stored timers and outbox items of every format, as real runs left them (test/fixtures/stored-rows,
// recorded by test/fixtures/instance-states/record.ts), read back by both stores into their typed
// records; rows that do not decode are errors that say where, what and what came.
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { WaymarkError } from '../../src/errors.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import * as pgRows from '../../src/store/postgres/rows.ts';
import type { OutboxItem, Store, TimerRow } from '../../src/store/ports.ts';
import {
  decodeOutboxRecord,
  decodeTimer,
  encodeTimer,
  jobTimer,
} from '../../src/store/records/index.ts';
import * as sqliteRows from '../../src/store/sqlite/rows.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';

type Row = Record<string, unknown>;
interface Rows {
  readonly outbox: Row[];
  readonly timers: Row[];
}
const fixture = (format: number): Rows =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/stored-rows/format-${format}.json`, import.meta.url), 'utf8'),
  ) as Rows;
const FORMATS = [0, 1] as const;

/** The typed timers a format's rows must read as: the same kinds and fields whatever the format. */
function expectedTimers(rows: Rows): TimerRow[] {
  return rows.timers.map((r) => {
    const base = {
      id: r['id'] as string,
      sandbox: r['sandbox'] as string,
      dueAt: r['due_at'] as number,
      v: 1 as const,
    };
    const id = base.id;
    if (id.startsWith('audience:'))
      return { ...base, kind: 'audience', profileId: id.slice('audience:'.length) };
    if (id === 'job:prod:retention') return { ...base, kind: 'job', jobId: 'retention' };
    return { ...base, kind: 'instance', instanceId: r['instance_id'] as string };
  });
}

const asPostgres = (r: Row): Row =>
  Object.fromEntries(
    Object.entries(r).map(([k, v]) => [
      k,
      typeof v === 'string' && ['payload', 'record', 'sent_outcome'].includes(k)
        ? (JSON.parse(v) as unknown)
        : v,
    ]),
  );

describe('stored rows of every format decode into typed records', () => {
  for (const format of FORMATS) {
    test(`format ${format}: timers by kind (instance, audience window, job), never by prefix after the port`, () => {
      const rows = fixture(format);
      const want = expectedTimers(rows);
      assert.deepEqual(
        want.map((t) => t.kind),
        ['instance', 'instance', 'instance', 'instance', 'instance', 'instance', 'audience', 'job'],
      );
      assert.deepEqual(
        rows.timers.map((r) => sqliteRows.toTimer(r as never)),
        want,
        'as SQLite hands them over (JSON as text)',
      );
      assert.deepEqual(
        rows.timers.map((r) => pgRows.toTimer(asPostgres(r) as never)),
        want,
        'as node-postgres hands them over (JSON parsed)',
      );
    });

    test(`format ${format}: outbox items typed by kind, the effect as the step issued it`, () => {
      const rows = fixture(format);
      const items = rows.outbox.map((r) => sqliteRows.toOutboxItem(r as never));
      assert.deepEqual(
        items.map((i) => [i.kind, i.v]),
        [
          ['callAction', 1],
          ['sendMessage', 1],
          ['callAction', 1],
        ],
      );
      for (const item of items) {
        assert.equal('v' in item.payload, false, "the format is the record's, not the effect's");
        if (item.kind === 'callAction')
          assert.deepEqual(
            [item.payload.action, item.payload.callId, item.payload.node],
            ['LoyaltyService', item.id, 'loyalty'],
          );
        else
          assert.deepEqual(
            [item.payload.channel, item.payload.messageId, item.payload.node],
            ['push', item.id, 'abandoned-push'],
          );
      }
      assert.deepEqual(
        rows.outbox.map((r) => pgRows.toOutboxItem(asPostgres(r) as never)),
        items,
      );
    });
  }

  test('format 0 and format 1 read the same: only the stored format marks differ', () => {
    const strip = (t: TimerRow) => ({ kind: t.kind, v: t.v, dueAt: t.dueAt });
    assert.deepEqual(
      fixture(0).timers.map((r) => strip(sqliteRows.toTimer(r as never))),
      fixture(1).timers.map((r) => strip(sqliteRows.toTimer(r as never))),
    );
  });
});

/** Writes the fixture rows as they are into a store's tables, then reads them through the port. */
async function roundTrip(write: (rows: Rows) => Promise<Store>): Promise<void> {
  for (const format of FORMATS) {
    const rows = fixture(format);
    const s = await write(rows);
    try {
      assert.deepEqual(
        await s.dueTimers(Number.MAX_SAFE_INTEGER, 100),
        [...expectedTimers(rows)].sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1)),
        `format ${format} timers`,
      );
      const items: OutboxItem[] = await s.pendingOutbox(Number.MAX_SAFE_INTEGER, 100);
      assert.deepEqual(
        items.map((i) => [i.id, i.kind, i.v, i.payload.kind]).sort(),
        rows.outbox.map((r) => [r['id'], r['kind'], 1, r['kind']]).sort(),
        `format ${format} outbox`,
      );
    } finally {
      await s.close();
    }
  }
}

const insert = (
  table: string,
  r: Row,
  placeholder: (i: number) => string,
  cols = Object.keys(r),
): string =>
  `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => placeholder(i)).join(', ')})`;

test('sqlite: rows of every format, written as stored, come back typed through the port', async () => {
  await roundTrip(async (rows) => {
    const path = join(mkdtempSync(join(tmpdir(), 'waymark-records-')), 'waymark.db');
    await new SqliteStore(path).close();
    const db = new Database(path);
    for (const r of rows.timers)
      db.prepare(insert('timers', r, () => '?')).run(...Object.values(r));
    for (const r of rows.outbox)
      db.prepare(insert('outbox', r, () => '?')).run(...Object.values(r));
    db.close();
    return new SqliteStore(path);
  });
});

test('postgresql: rows of every format, written as stored, come back typed through the port', async () => {
  const schemas: string[] = [];
  try {
    await roundTrip(async (rows) => {
      const schema = freshSchemaName('waymark_records');
      schemas.push(schema);
      const s = await openPostgresStore({ connectionString: POSTGRES_TEST_URL, schema });
      const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      try {
        for (const r of [
          ...rows.timers.map((x) => ['timers', x] as const),
          ...rows.outbox.map((x) => ['outbox', x] as const),
        ]) {
          await client.query(
            insert(`${schema}.${r[0]}`, r[1], (i) => `$${i + 1}`),
            Object.values(r[1]),
          );
        }
      } finally {
        await client.end();
      }
      return s;
    });
  } finally {
    for (const schema of schemas) await dropSchema(schema);
  }
});

describe('a stored row that does not decode is an error, never a silent drop', () => {
  const issueOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof WaymarkError, 'a WaymarkError');
      assert.equal(e.code, 'internal');
      return { message: e.message, issue: e.issues[0], details: e.details };
    }
    assert.fail('expected the row to be refused');
  };

  test('a timer of a kind nobody knows', () => {
    const r = issueOf(() =>
      decodeTimer({
        id: 't1',
        sandbox: 'prod',
        instanceId: 'i1',
        dueAt: 1,
        record: { kind: 'campaign', v: 1 },
      }),
    );
    assert.deepEqual(r.details, { table: 'timers', id: 't1' });
    assert.equal(r.issue?.path, 'timers["t1"].record.kind');
    assert.equal(r.issue?.received, '"campaign"');
    assert.match(r.message, /stored timers row "t1" cannot be read/);
  });

  test('a timer of a format from a later Waymark', () => {
    const r = issueOf(() =>
      decodeTimer({
        id: 't1',
        sandbox: 'prod',
        instanceId: 'i1',
        dueAt: 1,
        record: { kind: 'audience', v: 2, profileId: 'p1' },
      }),
    );
    assert.deepEqual(
      [r.issue?.path, r.issue?.expected, r.issue?.received],
      ['timers["t1"].record.v', '1', '2'],
    );
  });

  test('an audience timer without its profile', () => {
    const r = issueOf(() =>
      decodeTimer({
        id: 't1',
        sandbox: 'prod',
        instanceId: 'audience:p1',
        dueAt: 1,
        record: { kind: 'audience', v: 1 },
      }),
    );
    assert.deepEqual(
      [r.issue?.path, r.issue?.received],
      ['timers["t1"].record.profileId', 'nothing'],
    );
  });

  test('an outbox item whose effect lacks its call id', () => {
    const r = issueOf(() =>
      decodeOutboxRecord('o1', 'callAction', {
        kind: 'callAction',
        node: 'loyalty',
        action: 'LoyaltyService',
        parameters: {},
        timeoutMs: 1000,
        v: 1,
      }),
    );
    assert.deepEqual(
      [r.issue?.path, r.issue?.received],
      ['outbox["o1"].payload.callId', 'nothing'],
    );
  });

  test('an outbox item whose kind column and effect disagree', () => {
    const r = issueOf(() =>
      decodeOutboxRecord('o1', 'sendMessage', {
        kind: 'callAction',
        callId: 'c',
        node: 'loyalty',
        action: 'LoyaltyService',
        parameters: {},
        timeoutMs: 1000,
      }),
    );
    assert.deepEqual(
      [r.issue?.path, r.issue?.expected, r.issue?.received],
      ['outbox["o1"].kind', '"callAction"', '"sendMessage"'],
    );
  });

  test('an outbox item of a format from a later Waymark', () => {
    const r = issueOf(() =>
      decodeOutboxRecord('o1', 'callAction', {
        kind: 'callAction',
        callId: 'c',
        node: 'n',
        action: 'A',
        parameters: {},
        timeoutMs: 1,
        v: 7,
      }),
    );
    assert.deepEqual([r.issue?.path, r.issue?.received], ['outbox["o1"].payload.v', '7']);
  });

  test('through a store: a broken row stops the read with the error, it is not skipped', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'waymark-records-')), 'waymark.db');
    await new SqliteStore(path).close();
    const db = new Database(path);
    db.prepare(
      'INSERT INTO timers (id, sandbox, instance_id, due_at, record) VALUES (?, ?, ?, ?, ?)',
    ).run('t1', 'prod', 'i1', 5, '{"kind":"instance","v":1}');
    db.close();
    const s = new SqliteStore(path);
    try {
      await assert.rejects(
        s.dueTimers(10, 10),
        (e: unknown) =>
          e instanceof WaymarkError && e.issues[0]?.path === 'timers["t1"].record.instanceId',
      );
    } finally {
      await s.close();
    }
  });
});

test('a job timer of one partition (a fleet read-audience share) keeps its partition through its record', () => {
  const t = jobTimer('prod', 'read:j:1:p7', 1000, 7);
  const { instanceId, record } = encodeTimer(t);
  assert.deepEqual(record, { kind: 'job', v: 1, jobId: 'read:j:1:p7', partition: 7 });
  assert.deepEqual(decodeTimer({ id: t.id, sandbox: 'prod', instanceId, dueAt: 1000, record }), t);
  const plain = jobTimer('prod', 'retention', 1000);
  assert.equal('partition' in plain, false, 'other jobs have none: their id hashes to one');
  assert.deepEqual(
    decodeTimer({
      id: plain.id,
      sandbox: 'prod',
      instanceId,
      dueAt: 1000,
      record: encodeTimer(plain).record,
    }),
    plain,
  );
});
