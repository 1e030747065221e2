// The upgrade test: every golden dataset in test/fixtures/golden (data written by an earlier
// Waymark's own server, scripts/make-golden.mjs, with Luma profiles in flight in the Purchase
// Journey) is served by this Waymark, on SQLite (the data folder) and on PostgreSQL (a fresh schema
// loaded from the dump). The start migrates it (and says so); then the profiles that were waiting
// finish their journeys: a purchase goes to the LoyaltyService and the Order Confirmation Email, a
// timeout to the abandoned-cart push or email and, after a later purchase, the confirmation, each
// message exactly once; and the lab runs on new events too.
//
// Time: the datasets' timers were due a minute after they were made. Before the start, every timer
// is moved ten minutes past now (as if the upgrade happened right after the data was written), and
// the purchase-wait timeouts of the profiles meant to time out are made due now.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import pg from 'pg';
import { offerFor } from '../../examples/luma/loyalty-service.ts';
import { migrations as pgMigrations } from '../../src/store/postgres/schema.ts';
import { migrations as sqliteMigrations } from '../../src/store/sqlite/schema.ts';
import { VERSION } from '../../src/version.ts';
import { api, freePort, startServer, until, type ServerProcess } from '../support/process.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';

const run = promisify(execFile);
const GOLDEN = join(import.meta.dirname, '../fixtures/golden');

interface Golden {
  name: string;
  commit: string;
  waymarkVersion: string;
  sqlite: { schema: number; madeAt: number };
  postgres: { schema: number; schemaName: string; madeAt: number };
  journey: string;
  profiles: string[];
}

const goldens: Golden[] = readdirSync(GOLDEN)
  .filter((d) => existsSync(join(GOLDEN, d, 'golden.json')))
  .sort()
  .map((d) => JSON.parse(readFileSync(join(GOLDEN, d, 'golden.json'), 'utf8')) as Golden);

/** The profiles whose purchase comes after the upgrade; the others time out first. */
const PURCHASE = new Set([
  'jean.dupont@luma.example',
  'sarah.miller@luma.example',
  'shopper1@example.com',
  'shopper2@example.com',
]);
/** The Luma app users among those who time out get the push. */
const APP_USERS = new Set(['ana.garcia@luma.example', 'sarah.miller@luma.example']);
/**
 * The shoppers the checkouts created have no preferred language: the multilingual Abandoned Cart
 * Email is excluded for them (`no_locale`), as it is for such a profile on a fresh store.
 */
const NO_LOCALE = (email: string): boolean => email.endsWith('@example.com');
const sent = (m: { status: string }): boolean => m.status === 'sent' || m.status === 'delivered';

const event = (type: string, email: string, price: number, id: string) => ({
  id,
  type,
  payload: {
    _aeppartner1: { identification: { core: { email } } },
    productListItems: [
      { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: price },
    ],
  },
});

/** The timers moved as the header says, in SQL both stores take. */
function rebaseTimers(madeAt: number, timeouts: string[]): string[] {
  const now = Date.now();
  const list = timeouts.map((e) => `'${e}'`).join(', ');
  return [
    `UPDATE timers SET due_at = due_at + ${now - madeAt + 600_000}`,
    `UPDATE timers SET due_at = ${now} WHERE id NOT LIKE '%:lifetime' AND instance_id IN (
       SELECT i.id FROM instances i JOIN identities d ON d.sandbox = i.sandbox AND d.profile_id = i.profile_id
       WHERE d.namespace = 'Email' AND d.value IN (${list}))`,
  ];
}

function dataFolder(g: Golden): string {
  const dir = mkdtempSync(join(tmpdir(), `waymark-golden-${g.name}-`));
  chmodSync(dir, 0o700);
  for (const k of readdirSync(join(GOLDEN, g.name, 'keys'))) {
    copyFileSync(join(GOLDEN, g.name, 'keys', k), join(dir, k));
    chmodSync(join(dir, k), 0o600);
  }
  return dir;
}

type Message = {
  label: string;
  status: string;
  reason: string | null;
  channel: string;
  body?: string;
  text?: string;
  payload?: unknown;
};

async function messagesOf(server: ServerProcess, email: string): Promise<Message[]> {
  const r = await api(
    server,
    'GET',
    `/v1/messages?profile=${encodeURIComponent(`Email:${email}`)}&journey=purchase-journey`,
  );
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // Sent, delivered or excluded: a decision taken; queued or attempting ones are not final yet.
  return (r.body.items as Message[]).filter((m) => sent(m) || m.status === 'excluded');
}

const report = async (server: ServerProcess) =>
  (await api(server, 'GET', '/v1/journeys/purchase-journey/report')).body.total as {
    entered: number;
    exited: number;
  };

/** The lab on the upgraded store: the in-flight profiles finish, each message once; then a new shopper runs it end to end. */
async function finishJourneys(server: ServerProcess, g: Golden): Promise<void> {
  const timeouts = g.profiles.filter((e) => !PURCHASE.has(e));
  const price = (email: string) => 92 + g.profiles.indexOf(email);
  // The timeouts fire: the abandoned-cart push for app users, the email for the others.
  for (const email of timeouts) {
    const want = APP_USERS.has(email) ? 'Abandoned Cart Push' : 'Abandoned Cart Email';
    const ms = await until(
      `${email}'s ${want}`,
      async () => {
        const m = await messagesOf(server, email);
        return m.length > 0 ? m : null;
      },
      60_000,
    );
    assert.deepEqual(
      ms.map((m) => m.label),
      [want],
      email,
    );
    if (NO_LOCALE(email))
      assert.deepEqual([ms[0]!.status, ms[0]!.reason], ['excluded', 'no_locale']);
    else assert.ok(sent(ms[0]!), `${email}: ${want} ${ms[0]!.status}`);
  }
  // The purchases: those still waiting for theirs, and those who timed out (the second purchase event).
  for (const email of g.profiles) {
    const r = await api(
      server,
      'POST',
      '/v1/events',
      event('LumaPurchaseEvent_Email', email, price(email), `upgrade-purchase-${email}`),
    );
    assert.equal(r.body.accepted, 1, JSON.stringify(r.body));
  }
  await until(
    'every in-flight profile out of the journey',
    async () => (await report(server)).exited === g.profiles.length,
    90_000,
  );
  for (const email of g.profiles) {
    const ms = await until(
      `${email}'s confirmation`,
      async () => {
        const m = await messagesOf(server, email);
        return m.some((x) => x.label === 'Order Confirmation Email') ? m : null;
      },
      30_000,
    );
    const labels = ms.map((m) => m.label).sort();
    const expected = PURCHASE.has(email)
      ? ['Order Confirmation Email']
      : [
          APP_USERS.has(email) ? 'Abandoned Cart Push' : 'Abandoned Cart Email',
          'Order Confirmation Email',
        ].sort();
    assert.deepEqual(labels, expected, `${email}: each message once`);
    // The LoyaltyService answered for this profile and order value: its PromoCode is in the email.
    const confirmation = ms.find((m) => m.label === 'Order Confirmation Email')!;
    assert.ok(
      sent(confirmation),
      `${email}: the confirmation ${confirmation.status} ${confirmation.reason}`,
    );
    assert.ok(
      JSON.stringify(confirmation).includes(offerFor(email, price(email)).PromoCode),
      `${email}'s confirmation carries the LoyaltyService's PromoCode`,
    );
  }
  // The real SMTP server got exactly the emails the delivery log says.
  const inbox = await api(server, 'GET', '/v1/dev/inbox?limit=500');
  const mails = inbox.body.email as { to?: unknown }[];
  for (const email of g.profiles) {
    const n = mails.filter((m) => JSON.stringify(m.to).includes(email)).length;
    const want = PURCHASE.has(email) || APP_USERS.has(email) || NO_LOCALE(email) ? 1 : 2;
    assert.equal(n, want, `${email}: ${want} email(s) in the development inbox`);
  }
  // New events on the upgraded store: a new shopper checks out and buys.
  const fresh = 'after.upgrade@example.com';
  await api(
    server,
    'POST',
    '/v1/events',
    event('LumaCheckoutEvent_Email', fresh, 120, 'after-upgrade-checkout'),
  );
  await until(
    'the new checkout in the journey',
    async () => (await report(server)).entered === g.profiles.length + 1,
  );
  await api(
    server,
    'POST',
    '/v1/events',
    event('LumaPurchaseEvent_Email', fresh, 120, 'after-upgrade-purchase'),
  );
  const ms = await until(
    "the new shopper's confirmation",
    async () => {
      const m = await messagesOf(server, fresh);
      return m.length > 0 ? m : null;
    },
    30_000,
  );
  assert.deepEqual(
    ms.map((m) => m.label),
    ['Order Confirmation Email'],
  );
  assert.ok(JSON.stringify(ms[0]).includes(offerFor(fresh, 120).PromoCode));
  const total = await report(server);
  assert.equal(total.entered, g.profiles.length + 1);
  assert.equal(total.exited, g.profiles.length + 1);
}

for (const g of goldens) {
  test(`upgrade from ${g.name} (commit ${g.commit.slice(0, 7)}, Waymark ${g.waymarkVersion}) on SQLite: migrated at start, in-flight profiles finish, new events run`, async () => {
    const dir = dataFolder(g);
    let server: ServerProcess | null = null;
    try {
      const file = join(dir, 'waymark.db');
      writeFileSync(file, gunzipSync(readFileSync(join(GOLDEN, g.name, 'sqlite/waymark.db.gz'))), {
        mode: 0o600,
      });
      const db = new Database(file);
      assert.equal(db.pragma('user_version', { simple: true }), g.sqlite.schema);
      for (const sql of rebaseTimers(
        g.sqlite.madeAt,
        g.profiles.filter((e) => !PURCHASE.has(e)),
      ))
        db.exec(sql);
      db.close();
      const dry = await run(process.execPath, [
        'bin/waymark.js',
        'migrate',
        '--dry-run',
        '--data',
        dir,
      ]);
      assert.match(
        dry.stdout,
        new RegExp(`schema ${g.sqlite.schema}, no Waymark version recorded`),
      );
      assert.match(dry.stdout, new RegExp(`migration ${sqliteMigrations.length}: `));

      server = await startServer(
        [
          '--demo',
          '--smtp-port',
          String(await freePort()),
          '--loyalty-port',
          String(await freePort()),
        ],
        dir,
        await freePort(),
      );
      assert.match(
        server.output(),
        new RegExp(
          `migrated the SQLite store from schema ${g.sqlite.schema} to ${sqliteMigrations.length}`,
        ),
      );
      assert.deepEqual(
        (await api(server, 'GET', '/v1/status')).body.store,
        {
          kind: 'sqlite',
          file: file,
          schemaVersion: sqliteMigrations.length,
          migratedFrom: g.sqlite.schema,
        },
        'the status says which schema the store is at, and that this start migrated it',
      );
      await finishJourneys(server, g);
      await server.kill('SIGTERM');
      server = null;
      const after = new Database(file, { readonly: true });
      assert.equal(after.pragma('user_version', { simple: true }), sqliteMigrations.length);
      assert.deepEqual(
        after.prepare("SELECT value FROM waymark_meta WHERE key = 'waymark_version'").get(),
        { value: VERSION },
      );
      after.close();
    } finally {
      await server?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`upgrade from ${g.name} (commit ${g.commit.slice(0, 7)}, Waymark ${g.waymarkVersion}) on PostgreSQL: the dump loaded, migrated at start, in-flight profiles finish, new events run`, async () => {
    const dir = dataFolder(g);
    const schema = freshSchemaName('waymark_upgrade');
    let server: ServerProcess | null = null;
    try {
      const dump = gunzipSync(readFileSync(join(GOLDEN, g.name, 'postgres/schema.sql.gz')))
        .toString('utf8')
        .replaceAll(g.postgres.schemaName, schema);
      writeFileSync(join(dir, 'schema.sql'), dump);
      await run('psql', [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        POSTGRES_TEST_URL,
        '-f',
        join(dir, 'schema.sql'),
      ]);
      const client = new pg.Client({
        connectionString: POSTGRES_TEST_URL,
        options: `-c search_path=${schema}`,
      });
      await client.connect();
      try {
        const { rows } = await client.query<{ v: number }>(
          'SELECT MAX(version) AS v FROM schema_migrations',
        );
        assert.equal(rows[0]!.v, g.postgres.schema);
        for (const sql of rebaseTimers(
          g.postgres.madeAt,
          g.profiles.filter((e) => !PURCHASE.has(e)),
        ))
          await client.query(sql);
      } finally {
        await client.end();
      }
      const store = ['--store', POSTGRES_TEST_URL, '--store-schema', schema];
      const dry = await run(process.execPath, ['bin/waymark.js', 'migrate', '--dry-run', ...store]);
      assert.match(
        dry.stdout,
        new RegExp(`schema ${g.postgres.schema}, no Waymark version recorded`),
      );
      assert.match(dry.stdout, new RegExp(`migration ${pgMigrations.length}: `));

      server = await startServer(
        [
          '--demo',
          '--smtp-port',
          String(await freePort()),
          '--loyalty-port',
          String(await freePort()),
          ...store,
        ],
        dir,
        await freePort(),
      );
      assert.match(
        server.output(),
        new RegExp(
          `migrated the PostgreSQL schema ${schema} from schema ${g.postgres.schema} to ${pgMigrations.length}`,
        ),
      );
      await finishJourneys(server, g);
      const after = await run(process.execPath, [
        'bin/waymark.js',
        'migrate',
        '--dry-run',
        ...store,
      ]);
      assert.match(
        after.stdout,
        new RegExp(`last written by Waymark ${VERSION.replaceAll('.', '\\.')}`),
      );
      assert.match(after.stdout, /up to date/);
    } finally {
      await server?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      await dropSchema(schema);
    }
  });
}
