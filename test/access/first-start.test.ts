// The people a new server starts with: the administrator from the environment, else a one-time
// setup link (fresh at each start until used); the demo's users per built-in role with their
// passwords in <data>/demo-users.txt (0600), the same across restarts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILT_IN_ROLES } from '../../src/access/roles.ts';
import { createDirectory } from '../../src/runtime/access/directory.ts';
import { DEMO_USERS, prepareFirstStart } from '../../src/runtime/access/directory/first-start.ts';
import { ManualClock } from '../../src/runtime/clock.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const URL_ = 'http://127.0.0.1:4600';
const fresh = () => {
  const store = new SqliteStore(':memory:');
  return {
    store,
    directory: createDirectory({
      store,
      clock: new ManualClock(Date.parse('2026-12-01T09:00:00Z')),
    }),
  };
};

test('WAYMARK_ADMIN_EMAIL and WAYMARK_ADMIN_PASSWORD make the administrator on an empty directory, once', async () => {
  const { store, directory } = fresh();
  try {
    const lines = await prepareFirstStart(directory, {
      dataDir: null,
      demo: false,
      publicUrl: URL_,
      adminEmail: 'ops@luma.example',
      adminPassword: 'operator password 1',
    });
    assert.match(lines.join('\n'), /administrator: ops@luma\.example/);
    assert.doesNotMatch(lines.join('\n'), /operator password/, 'never the password');
    const signed = await directory.verifyPassword('ops@luma.example', 'operator password 1');
    assert.ok(signed);
    const p = await directory.principalForUser(signed.userId, signed.epoch);
    assert.ok(
      'grants' in p && p.grants[0]!.role.name === 'admin' && p.grants[0]!.sandboxes[0] === '*',
    );
    assert.deepEqual(
      await prepareFirstStart(directory, {
        dataDir: null,
        demo: false,
        publicUrl: URL_,
        adminEmail: 'ops@luma.example',
        adminPassword: 'operator password 1',
      }),
      [],
      'nothing on the next start',
    );
    await assert.rejects(
      prepareFirstStart(fresh().directory, {
        dataDir: null,
        demo: false,
        publicUrl: URL_,
        adminEmail: 'ops@luma.example',
        adminPassword: 'short',
      }),
      /WAYMARK_ADMIN_PASSWORD.*12 characters/,
    );
  } finally {
    await store.close();
  }
});

test('without them, a one-time setup link: accepted, the administrator signs in; until then each start prints a new link', async () => {
  const { store, directory } = fresh();
  try {
    const first = (
      await prepareFirstStart(directory, { dataDir: null, demo: false, publicUrl: URL_ })
    ).join('\n');
    const old = /accept-invitation\?token=(\S+)/.exec(first)?.[1];
    assert.ok(old, first);
    const second = (
      await prepareFirstStart(directory, { dataDir: null, demo: false, publicUrl: URL_ })
    ).join('\n');
    const token = decodeURIComponent(/accept-invitation\?token=(\S+)/.exec(second)![1]!);
    await assert.rejects(
      directory.acceptInvitation(decodeURIComponent(old), 'the admin password'),
      /not valid/,
      'the older link stops working',
    );
    const admin = await directory.acceptInvitation(token, 'the admin password');
    assert.equal(admin.email, 'admin@localhost');
    assert.deepEqual(admin.roles, [{ role: 'admin', sandboxes: ['*'] }]);
    assert.deepEqual(
      await prepareFirstStart(directory, { dataDir: null, demo: false, publicUrl: URL_ }),
      [],
    );
  } finally {
    await store.close();
  }
});

test('the demo: one user per built-in role, passwords in demo-users.txt (0600, not printed), kept across restarts', async () => {
  const { store, directory } = fresh();
  const dataDir = mkdtempSync(join(tmpdir(), 'waymark-demo-users-'));
  try {
    const lines = await prepareFirstStart(directory, { dataDir, demo: true, publicUrl: URL_ });
    const file = join(dataDir, 'demo-users.txt');
    assert.match(lines.join('\n'), new RegExp(`passwords in ${file.replace(/[.]/g, '\\.')}`));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, 'utf8');
    const rows = text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.trim().split(/\s+/));
    assert.deepEqual(
      rows.map((r) => r[0]),
      BUILT_IN_ROLES.map((r) => r.name),
    );
    for (const [role, email, password] of rows) {
      assert.ok(!lines.join('\n').includes(password!), 'passwords stay in the file');
      const signed = await directory.verifyPassword(email!, password!);
      assert.ok(signed, `${email} signs in`);
      const p = await directory.principalForUser(signed.userId, signed.epoch);
      assert.ok('grants' in p && p.grants[0]!.role.name === role);
    }
    assert.equal(
      lines.some((l) => /accept-invitation/.test(l)),
      false,
      'no setup link: the demo admin is there',
    );

    // A restart reuses them; a lost file gives new passwords for the same people.
    await prepareFirstStart(directory, { dataDir, demo: true, publicUrl: URL_ });
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.equal((await directory.listUsers()).length, DEMO_USERS.length);
    rmSync(file);
    await prepareFirstStart(directory, { dataDir, demo: true, publicUrl: URL_ });
    const again = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.trim().split(/\s+/));
    assert.ok(await directory.verifyPassword(again[0]![1]!, again[0]![2]!));
    assert.equal((await directory.listUsers()).length, DEMO_USERS.length);
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
