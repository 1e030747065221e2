// `waymark serve --store postgres://…`: the demo served from PostgreSQL (a fresh schema), a checkout
// through the API, then a SIGKILL and a restart on the same schema: the state is PostgreSQL's, not
// the data folder's. Needs PostgreSQL at 127.0.0.1:5432 (or WAYMARK_TEST_POSTGRES_URL); CI starts it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { migrations as pgMigrations } from '../../src/store/postgres/schema.ts';
import { api, freePort, spawnServer, startServer, until } from '../support/process.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';

const url = POSTGRES_TEST_URL;

test('waymark serve --store postgres:// runs the demo on PostgreSQL and keeps its state there across a restart', async () => {
  const schema = freshSchemaName('waymark_e2e');
  const dir = mkdtempSync(join(tmpdir(), 'waymark-pg-serve-'));
  const args = [
    '--demo',
    '--store',
    url,
    '--store-schema',
    schema,
    '--loyalty-port',
    String(await freePort()),
    '--smtp-port',
    String(await freePort()),
  ];
  let server = await startServer(args, dir, await freePort());
  try {
    assert.match(
      server.output(),
      new RegExp(`store: PostgreSQL 127\\.0\\.0\\.1:5432/postgres \\(schema ${schema}\\)`),
    );
    const checkout = {
      type: 'LumaCheckoutEvent_Email',
      payload: {
        _aeppartner1: { identification: { core: { email: 'sarah.miller@luma.example' } } },
        productListItems: [
          { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
        ],
      },
    };
    assert.equal((await api(server, 'POST', '/v1/events', checkout)).body.accepted, 1);
    await until(
      'the instance',
      async () =>
        (await api(server, 'GET', '/v1/journeys/purchase-journey/report')).body.total.entered === 1,
    );
    assert.equal(
      existsSync(join(dir, 'waymark.db')),
      false,
      'no SQLite file: the state is in PostgreSQL',
    );
    assert.deepEqual((await api(server, 'GET', '/v1/status')).body.store, {
      kind: 'postgres',
      server: '127.0.0.1:5432/postgres',
      schema,
      leader: true,
      schemaVersion: pgMigrations.length,
    });

    await server.kill('SIGKILL');
    server = await startServer(args, dir, await freePort());
    const report = await api(server, 'GET', '/v1/journeys/purchase-journey/report');
    assert.equal(report.body.total.entered, 1, 'the instance is still there after the restart');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = await client.query(
        `SELECT count(*)::int AS n FROM ${schema}.instances WHERE journey_id = 'purchase-journey'`,
      );
      assert.equal(rows.rows[0].n, 1);
    } finally {
      await client.end();
    }
  } finally {
    await server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(schema);
  }
});

test('two servers on one schema: one leads, the other waits, and takes over with the state when the leader dies', async () => {
  const schema = freshSchemaName('waymark_e2e');
  // Two nodes, each with its own data folder: what they share is the database and the keys.
  const dirs = [
    mkdtempSync(join(tmpdir(), 'waymark-pg-ha-a-')),
    mkdtempSync(join(tmpdir(), 'waymark-pg-ha-b-')),
  ] as const;
  const env = {
    WAYMARK_ADMIN_KEY: `wmk_${randomBytes(18).toString('hex')}`,
    WAYMARK_SECRET_KEY: randomBytes(32).toString('hex'),
    WAYMARK_TRACKING_KEY: randomBytes(32).toString('hex'),
  };
  const args = async () => [
    '--demo',
    '--single-leader',
    '--store',
    url,
    '--store-schema',
    schema,
    '--loyalty-port',
    String(await freePort()),
    '--smtp-port',
    String(await freePort()),
  ];
  const leader = await (await spawnServer(await args(), dirs[0], await freePort(), env)).ready();
  const standby = await spawnServer(await args(), dirs[1], await freePort(), env);
  try {
    await standby.waitFor('standby: another Waymark leads schema');
    assert.match(standby.output(), new RegExp(`waymark-leader:${schema}`), 'it says who leads');
    const checkout = {
      type: 'LumaCheckoutEvent_Email',
      payload: {
        _aeppartner1: { identification: { core: { email: 'ana.garcia@luma.example' } } },
        productListItems: [
          { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
        ],
      },
    };
    assert.equal((await api(leader, 'POST', '/v1/events', checkout)).body.accepted, 1);
    await new Promise((r) => setTimeout(r, 1500));
    assert.doesNotMatch(
      standby.output(),
      /Waymark is running/,
      'the standby does not serve while the leader lives',
    );

    // An image uploaded to the leader (not one the demo puts there at every start).
    const png = readFileSync(join('examples', 'luma', 'assets', 'luma-mobile-app.png'));
    const uploaded = await fetch(`${leader.url}/v1/assets/ha-check/content?name=HA%20check`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${leader.key}`, 'content-type': 'image/png' },
      body: png,
    });
    assert.equal(uploaded.status, 200, await uploaded.text());
    const image = await fetch(`${leader.url}/assets/prod/ha-check`);
    assert.equal(image.status, 200);
    const logo = Buffer.from(await image.arrayBuffer());

    await leader.kill('SIGKILL');
    const next = await standby.ready(30_000);
    const report = await api(next, 'GET', '/v1/journeys/purchase-journey/report');
    assert.equal(
      report.body.total.entered,
      1,
      'the new leader has the instance the old one started',
    );
    const again = await fetch(`${next.url}/assets/prod/ha-check`);
    assert.deepEqual(
      [again.status, Buffer.compare(Buffer.from(await again.arrayBuffer()), logo)],
      [200, 0],
      'the same image, from the database',
    );
    assert.equal(
      (await api(next, 'POST', '/v1/events', { ...checkout, type: 'LumaPurchaseEvent_Email' })).body
        .accepted,
      1,
    );
    await until(
      'the purchase to finish the journey',
      async () =>
        (await api(next, 'GET', '/v1/journeys/purchase-journey/report')).body.total.exited === 1,
    );

    // The leader's lock connection is cut (as by a network failure): it stops at once, exit code 1.
    const exited = new Promise<number | null>((resolve) =>
      next.child.once('exit', (code) => resolve(code)),
    );
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const cut = await admin.query(
        'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
        [`waymark-leader:${schema}`],
      );
      assert.equal(cut.rowCount, 1);
    } finally {
      await admin.end();
    }
    assert.equal(await exited, 1);
    assert.match(next.output(), /lost the lead of schema/);
  } finally {
    await leader.kill('SIGKILL');
    standby.child.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await dropSchema(schema);
  }
});

test('waymark serve refuses a --store it does not know, saying what it takes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bad-store-'));
  try {
    await assert.rejects(
      startServer(['--store', 'mysql://x'], dir, await freePort(), 20_000),
      /--store must be sqlite or a postgres:\/\/ URL, not "mysql:\/\/x"/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
