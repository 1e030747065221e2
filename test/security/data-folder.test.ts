// The data folder holds the admin key, the secret keys, the database and asset files: only its owner
// may read it. A folder that cannot be used stops the start with its path named, and an admin key the
// operator gave in the environment is never printed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FsBlobStore } from '../../src/runtime/blobs.ts';
import { DataFolderError, prepareDataFolder } from '../../src/runtime/data-folder.ts';
import { api, freePort, spawnServer } from '../support/process.ts';

const root = mkdtempSync(join(tmpdir(), 'wm-datadir-'));
after(() => rmSync(root, { recursive: true, force: true }));

const ADMIN = 'data-folder-test-admin-key-0123456789';
const modeOf = (path: string): number => statSync(path).mode & 0o777;
const octal = (mode: number): string => `0${mode.toString(8)}`;

/** Every file and folder under `dir` with a mode other than the owner-only one. */
function looseEntries(dir: string): string[] {
  const loose: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    const want = entry.isDirectory() ? 0o700 : 0o600;
    if (modeOf(path) !== want) loose.push(`${path} ${octal(modeOf(path))}`);
  }
  return loose;
}

/** `waymark serve` that is expected to stop at once: its exit code and output. */
function serveFails(dataDir: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['bin/waymark.js', 'serve', '--data', dataDir, '--port', '0', '--smtp-port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('the data folder', () => {
  test(
    'is created 0700 with 0600 files (keys, SQLite files, asset files) even under a loose umask; an admin key from the environment is not printed',
    { timeout: 300_000 },
    async () => {
      const dataDir = join(root, 'fresh', 'data');
      const previous = process.umask(0o022);
      let server;
      try {
        server = await (
          await spawnServer(['--smtp-port', '0'], dataDir, await freePort(), {
            WAYMARK_ADMIN_KEY: ADMIN,
          })
        ).ready(120_000);
      } finally {
        process.umask(previous);
      }
      try {
        assert.doesNotMatch(
          server.output(),
          new RegExp(ADMIN),
          'the key the operator set is not printed',
        );
        assert.match(server.output(), /admin API key: from WAYMARK_ADMIN_KEY \(not shown\)/);
        const png = readFileSync(join('examples', 'luma', 'assets', 'luma-mobile-app.png'));
        const up = await fetch(`${server.url}/v1/assets/mode-check/content`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'image/png' },
          body: png,
        });
        assert.equal(up.status, 200, await up.text());
        assert.equal((await api(server, 'GET', '/v1/event-types')).status, 200);
        assert.equal(modeOf(dataDir), 0o700);
        for (const f of ['secret.key', 'tracking.key', 'waymark.db'])
          assert.equal(octal(modeOf(join(dataDir, f))), '0600', f);
        assert.ok(
          readdirSync(join(dataDir, 'blobs'), { recursive: true }).length > 0,
          'the asset is stored as files',
        );
        assert.deepEqual(looseEntries(dataDir), []);
      } finally {
        await server.kill();
      }
    },
  );

  test(
    'a folder an earlier version left readable by others is tightened; a generated admin key is saved 0600',
    { timeout: 300_000 },
    async () => {
      const dataDir = join(root, 'older');
      mkdirSync(dataDir, { mode: 0o755 });
      chmodSync(dataDir, 0o755);
      writeFileSync(join(dataDir, 'tracking.key'), `${'ab'.repeat(32)}\n`, { mode: 0o644 });
      chmodSync(join(dataDir, 'tracking.key'), 0o644);
      const server = await (
        await spawnServer(['--smtp-port', '0'], dataDir, await freePort(), {
          WAYMARK_ADMIN_KEY: '',
        })
      ).ready(120_000);
      try {
        assert.match(
          server.output(),
          /admin API key: wmk_\S+ \(new, saved in admin\.key\)/,
          'a generated key is shown once, so the operator can use it',
        );
        assert.equal(octal(modeOf(dataDir)), '0700');
        assert.equal(octal(modeOf(join(dataDir, 'tracking.key'))), '0600');
        assert.equal(octal(modeOf(join(dataDir, 'admin.key'))), '0600');
        assert.deepEqual(looseEntries(dataDir), []);
      } finally {
        await server.kill();
      }
    },
  );

  test('asset files are owner-only whatever the umask of the process that stores them', async () => {
    const blobs = join(root, 'blobs-only');
    const previous = process.umask(0o022);
    try {
      await new FsBlobStore(blobs).put('prod/logo/1', new Uint8Array([1, 2, 3]));
    } finally {
      process.umask(previous);
    }
    assert.deepEqual(looseEntries(blobs), []);
  });

  test(
    'a path that cannot be a folder stops the start naming the path, without a stack trace',
    { timeout: 120_000 },
    async () => {
      const file = join(root, 'a-file');
      writeFileSync(file, 'not a folder');
      const under = await serveFails(join(file, 'data'));
      assert.equal(under.code, 1);
      assert.match(
        under.out,
        new RegExp(
          `error: the data folder ${join(file, 'data')} cannot be created: a part of its path is a file, not a folder \\(ENOTDIR\\)`,
        ),
      );
      assert.doesNotMatch(under.out, /\n\s+at /, 'no stack trace');
      const itself = await serveFails(file);
      assert.equal(itself.code, 1);
      assert.match(
        itself.out,
        new RegExp(`error: the data folder ${file} is a file, not a folder`),
      );
    },
  );

  test(
    'a folder that cannot be written is refused before anything starts',
    {
      skip:
        process.getuid?.() === 0
          ? 'root writes into read-only folders; the ENOTDIR case above covers the refusal'
          : false,
    },
    () => {
      const dataDir = join(root, 'read-only');
      mkdirSync(dataDir);
      chmodSync(dataDir, 0o500);
      try {
        assert.throws(
          () => prepareDataFolder(dataDir),
          (e: unknown) =>
            e instanceof DataFolderError &&
            e.message.startsWith(`the data folder ${dataDir} is not writable: permission denied`),
        );
      } finally {
        chmodSync(dataDir, 0o700);
      }
    },
  );
});
