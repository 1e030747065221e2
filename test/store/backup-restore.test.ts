// `waymark backup` copies a running server's data folder while events keep arriving; `waymark
// restore` puts it into an empty folder, and a server started there has every event acknowledged
// before the backup began, its profiles, and the waiting timers, which fire after the restore.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { MAGIC, readManifest } from '../../src/store/backup/container.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';
import { api, freePort, startServer, until, type ServerProcess } from '../support/process.ts';

const run = promisify(execFile);
const waymark = (...args: string[]) => run(process.execPath, ['bin/waymark.js', ...args]);
const failing = async (...args: string[]): Promise<string> => {
  try {
    await waymark(...args);
  } catch (e) {
    return (e as { stderr: string }).stderr;
  }
  throw new Error(`waymark ${args.join(' ')} succeeded`);
};

// Long enough that the timers of the events acknowledged before the backup still wait when it is
// taken (it starts right after them), short enough not to idle once the restored server runs.
const WAIT = 'PT10S';
const pkg = (smtpPort: number) => ({
  format: 'waymark.package/v1',
  name: 'backup test',
  objects: [
    ...['Ping', 'Pong'].map((name) => ({
      kind: 'eventType',
      spec: {
        name,
        identity: { path: 'email', namespace: 'Email' },
        schema: { type: 'object', required: ['email'], properties: { email: { type: 'string' } } },
      },
    })),
    {
      kind: 'channelConfiguration',
      spec: {
        channel: 'email',
        name: 'Mail',
        fromAddress: 'test@waymark.example',
        smtp: { host: '127.0.0.1', port: smtpPort, secure: 'none' },
      },
    },
    {
      kind: 'journey',
      id: 'nudge',
      publish: true,
      spec: {
        name: 'Nudge',
        start: 'ping',
        nodes: [
          { id: 'ping', kind: 'event', event: 'Ping', next: ['pong'] },
          {
            id: 'pong',
            kind: 'event',
            event: 'Pong',
            next: [],
            timeout: { duration: WAIT, next: ['nudge'] },
          },
          {
            id: 'nudge',
            kind: 'email',
            label: 'Nudge',
            configuration: 'Mail',
            content: { subject: 'Still there?', html: '<p>hello</p>' },
            next: [],
          },
        ],
      },
    },
  ],
});

/**
 * Sends Ping batches until stopped or `cap` events are in; records which events the server
 * acknowledged, and when. The cap keeps a slow backup on a busy machine from making more instances
 * than the checks after the restore can list in one page.
 */
function steadyIngest(server: ServerProcess, cap = 600) {
  const acked: Array<{ email: string; at: number }> = [];
  let stop = false;
  let n = 0;
  const done = (async () => {
    while (!stop && n < cap) {
      const batch = Array.from({ length: 5 }, () => {
        const i = n++;
        return { id: `ping-${i}`, type: 'Ping', payload: { email: `p${i}@example.com` } };
      });
      const r = await api(server, 'POST', '/v1/events', batch);
      assert.equal(r.body.accepted, batch.length, JSON.stringify(r.body));
      const at = Date.now();
      for (const e of batch) acked.push({ email: e.payload.email, at });
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return { acked, stop: async () => ((stop = true), await done) };
}

interface Scenario {
  /** The server's and the commands' store options. */
  store: string[];
  /** After the source server stops: what a restore goes into must be empty. */
  lose(): Promise<void>;
  /** The data folder the restored server runs with (the keys are copied there for SQLite). */
  restoredDir: string;
  keysLeftOut: boolean;
}

async function backupUnderIngest(root: string, dir: string, s: Scenario): Promise<void> {
  const file = join(root, 'waymark.backup');
  const smtpPort = await freePort();
  const args = ['--smtp-port', String(smtpPort), ...s.store];
  let server = await startServer(args, dir, await freePort());
  try {
    const applied = await api(server, 'POST', '/v1/packages/apply', pkg(smtpPort));
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    const ingest = steadyIngest(server);
    await until('some events in', () => ingest.acked.length >= 50);
    // Every event acknowledged by now was committed before the backup began.
    const before = ingest.acked.slice(0, ingest.acked.length);
    const { stdout } = await waymark('backup', file, '--data', dir, ...s.store);
    await until(
      'an event acknowledged during the backup',
      () => ingest.acked.length > before.length,
    );
    await ingest.stop();
    await server.kill('SIGKILL');
    assert.ok(before.length >= 50);
    assert.ok(ingest.acked.length > before.length, 'events kept coming during the backup');
    if (s.keysLeftOut) {
      assert.match(stdout, /the key files are NOT in the backup/);
      assert.match(stdout, /secret\.key/);
    }
    const { manifest } = readManifest(file);
    assert.equal(manifest.keysIncluded, false);
    assert.deepEqual(
      manifest.files.map((f) => f.name).filter((n) => n.endsWith('.key')),
      [],
      'no key file without --include-keys',
    );

    await s.lose();
    const restoreOut = (await waymark('restore', file, '--data', s.restoredDir, ...s.store)).stdout;
    assert.match(restoreOut, /restored/);
    if (s.keysLeftOut) {
      assert.match(restoreOut, /integrity_check ok/);
      assert.match(restoreOut, /copy secret\.key, tracking\.key and admin\.key/);
      for (const k of ['secret.key', 'tracking.key', 'admin.key'])
        writeFileSync(join(s.restoredDir, k), readFileSync(join(dir, k)), { mode: 0o600 });
    }

    server = await startServer(args, s.restoredDir, await freePort());
    for (let i = 0; i < before.length; i += 20)
      await Promise.all(
        before.slice(i, i + 20).map(async (a) => {
          const p = await api(server, 'GET', `/v1/profiles/Email/${encodeURIComponent(a.email)}`);
          assert.equal(p.status, 200, `profile ${a.email} acknowledged before the backup`);
        }),
      );
    const report = await api(server, 'GET', '/v1/journeys/nudge/report');
    assert.ok(report.body.total.entered >= before.length, 'every instance is restored');
    assert.ok(report.body.total.entered <= ingest.acked.length);
    // The timers were waiting when the backup was taken: they fire on the restored server.
    const sent = await until(
      'every nudge after the restore',
      async () => {
        const r = await api(server, 'GET', '/v1/messages?journey=nudge&limit=1000');
        const to = new Set((r.body.items as Array<{ profileId: string }>).map((m) => m.profileId));
        return to.size >= report.body.total.entered ? r.body.items : null;
      },
      240_000,
      500,
    );
    assert.equal(sent.length, report.body.total.entered, 'one message per instance, none twice');
    const after = await api(server, 'GET', '/v1/journeys/nudge/report');
    const pong = after.body.versions[0].activities.find((a: { id: string }) => a.id === 'pong');
    assert.equal(pong.timeouts, report.body.total.entered, 'each restored timer fired once');
  } finally {
    await server.kill('SIGKILL');
  }
}

// The two stores at once: each has servers, folders, ports and a schema of its own, and most of
// each run is servers starting and timers waiting, which the other overlaps.
describe('backup under ingest', { concurrency: 2 }, () => {
  test(
    'SQLite: a backup taken during a steady ingest restores every acknowledged event, profile and timer',
    { timeout: 600_000 },
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'waymark-backup-'));
      try {
        await backupUnderIngest(root, join(root, 'data'), {
          store: [],
          lose: async () => {},
          restoredDir: join(root, 'restored'),
          keysLeftOut: true,
        });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );

  test(
    'PostgreSQL: pg_dump during a steady ingest, pg_restore into the emptied schema, timers fire',
    { timeout: 600_000 },
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'waymark-backup-pg-'));
      const schema = freshSchemaName('waymark_backup');
      const dir = join(root, 'data');
      try {
        await backupUnderIngest(root, dir, {
          store: ['--store', POSTGRES_TEST_URL, '--store-schema', schema],
          lose: async () => {
            const store = ['--store', POSTGRES_TEST_URL, '--store-schema', schema];
            const file = join(root, 'waymark.backup');
            assert.match(
              await failing('restore', file, ...store),
              new RegExp(`schema "${schema}" is not empty`),
            );
            await dropSchema(schema);
          },
          restoredDir: dir,
          keysLeftOut: false,
        });
      } finally {
        await dropSchema(schema);
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});

test('restore brings back the asset files and the keys given --include-keys; it refuses a non-empty folder, a damaged file and a backup from a newer Waymark', async () => {
  const root = mkdtempSync(join(tmpdir(), 'waymark-restore-'));
  const dir = join(root, 'data');
  const file = join(root, 'b.backup');
  const server = await startServer(
    ['--demo', '--smtp-port', String(await freePort()), '--loyalty-port', String(await freePort())],
    dir,
    await freePort(),
  );
  try {
    await waymark('backup', file, '--data', dir, '--include-keys');
  } finally {
    await server.kill('SIGKILL');
  }
  try {
    const { manifest, dataOffset } = readManifest(file);
    assert.deepEqual(
      manifest.files
        .map((f) => f.name)
        .filter((n) => n.endsWith('.key'))
        .sort(),
      ['admin.key', 'secret.key', 'tracking.key'],
    );
    const full = readFileSync(file);

    const busy = join(root, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    assert.match(await failing('restore', file, '--data', busy), /is not empty \(notes\.txt\)/);

    const damaged = Buffer.from(full);
    damaged[dataOffset + 200] = damaged[dataOffset + 200]! ^ 0xff;
    writeFileSync(join(root, 'damaged.backup'), damaged);
    const into = join(root, 'into');
    assert.match(
      await failing('restore', join(root, 'damaged.backup'), '--data', into),
      /is damaged: waymark\.db does not match the checksum/,
    );
    assert.ok(!existsSync(join(into, 'waymark.db')), 'nothing half-restored is left');

    const json = Buffer.from(JSON.stringify({ ...manifest, waymarkVersion: '999.0.0' }));
    const head = Buffer.alloc(MAGIC.length + 4);
    head.write(MAGIC, 0, 'latin1');
    head.writeUInt32BE(json.length, MAGIC.length);
    writeFileSync(
      join(root, 'newer.backup'),
      Buffer.concat([head, json, full.subarray(dataOffset)]),
    );
    assert.match(
      await failing('restore', join(root, 'newer.backup'), '--data', join(root, 'x')),
      /made by Waymark 999\.0\.0, newer than this Waymark \d+\.\d+\.\d+/,
    );

    assert.match(
      await failing('restore', join(root, 'missing.backup'), '--data', join(root, 'y')),
      /cannot read the backup .*missing\.backup: ENOENT/,
    );
    const noTools = await run(
      process.execPath,
      ['bin/waymark.js', 'backup', join(root, 'pg.backup'), '--store', 'postgres://127.0.0.1/x'],
      { env: { ...process.env, PATH: '/nonexistent' } },
    ).then(
      () => '',
      (e: { stderr: string }) => e.stderr,
    );
    assert.match(
      noTools,
      /pg_dump is needed for a PostgreSQL backup or restore and is not on PATH/,
    );
    await waymark('restore', file, '--data', join(root, 'ok'));
    const assets = (d: string): string[] =>
      readdirSync(join(d, 'blobs'), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(d, join(e.parentPath, e.name)))
        .sort();
    assert.ok(assets(dir).length > 0, 'the demo has asset files');
    assert.deepEqual(assets(join(root, 'ok')), assets(dir), 'every asset file restored');
    for (const a of assets(dir))
      assert.deepEqual(readFileSync(join(root, 'ok', a)), readFileSync(join(dir, a)));
    assert.equal(
      readFileSync(join(root, 'ok', 'admin.key'), 'utf8'),
      readFileSync(join(dir, 'admin.key'), 'utf8'),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
