// Key rotation as an operator runs it, on real processes: `waymark serve` writes secrets with one
// key, `waymark secrets rotate` re-encrypts them with a newer one, the old key leaves the ring and
// everything still opens; a server started with a key that opens nothing warns, names the object,
// keeps answering, and takes the secret again.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  generateSecretKey,
  keyIdOf,
  keyring,
  secretKeyId,
  isEncrypted,
} from '../../src/channels/secrets.ts';
import { SecretBox } from '../../src/runtime/secret-box.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { api, freePort, spawnServer, until, type ServerProcess } from '../support/process.ts';

const ADMIN = 'rotation-test-admin-key-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'wm-rotate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const hex = (k: Buffer): string => k.toString('hex');
/** The environment of a run: the admin key, and the keyring from WAYMARK_SECRET_KEYS when given. */
const envOf = (keys?: Buffer[]): Record<string, string> => ({
  WAYMARK_ADMIN_KEY: ADMIN,
  WAYMARK_SECRET_KEYS: keys ? keys.map(hex).join(',') : '',
  WAYMARK_SECRET_KEY: '',
});

async function serve(keys?: Buffer[]): Promise<ServerProcess> {
  const spawned = await spawnServer(['--smtp-port', '0'], dir, await freePort(), {
    ...envOf(keys),
    WAYMARK_LOG_LEVEL: 'info',
  });
  return spawned.ready(120_000);
}

function rotate(args: string[], keys?: Buffer[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['bin/waymark.js', 'secrets', 'rotate', '--data', dir, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...envOf(keys) } },
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

/** The key ids of every stored secret, read from the SQLite file (the server is stopped). */
async function storedKeyIds(): Promise<string[]> {
  const store = new SqliteStore(join(dir, 'waymark.db'), { checkpointIntervalMs: null });
  try {
    const ids: string[] = [];
    for (const kind of ['action', 'channelConfiguration']) {
      for (const o of await store.listObjectsOfKind<unknown>(kind)) {
        JSON.stringify(o.body, (_k, v: unknown) => {
          if (isEncrypted(v)) ids.push(secretKeyId(v) ?? 'legacy');
          return v;
        });
      }
    }
    return ids.sort();
  } finally {
    await store.close();
  }
}

/** The stored password of CrmHook, decrypted with exactly these keys. */
async function passwordWith(keys: Buffer[]): Promise<string> {
  const store = new SqliteStore(join(dir, 'waymark.db'), { checkpointIntervalMs: null });
  try {
    const o = await store.getObject<Record<string, unknown>>('prod', 'action', 'CrmHook');
    return (new SecretBox(keyring(keys)).open('action', o!.body) as { auth: { password: string } })
      .auth.password;
  } finally {
    await store.close();
  }
}

interface LogLine {
  level: number;
  msg: string;
  kind?: string;
  sandbox?: string;
  name?: string;
}
const logLines = (out: string): LogLine[] =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);

const action = (password: string) => ({
  name: 'CrmHook',
  method: 'POST',
  url: 'http://127.0.0.1:9/hook',
  auth: { kind: 'basic', username: 'waymark', password },
});
const email = {
  channel: 'email',
  name: 'Mail',
  fromAddress: 'news@luma.example',
  smtp: { host: 'smtp.luma.example', port: 587, auth: { user: 'mailer', pass: 'smtp-password' } },
};

test(
  'rotation re-encrypts every stored secret; a server with a key that opens nothing warns and keeps working',
  { timeout: 600_000 },
  async () => {
    // 1. A server on the data folder's keyring file stores two objects with secrets.
    let server = await serve();
    assert.equal((await api(server, 'POST', '/v1/actions', action('s3cret'))).status, 201);
    assert.equal((await api(server, 'POST', '/v1/channel-configurations', email)).status, 201);
    await server.kill();
    const fileKey = Buffer.from(readFileSync(join(dir, 'secret.key'), 'utf8').trim(), 'hex');
    assert.deepEqual(
      await storedKeyIds(),
      [keyIdOf(fileKey), keyIdOf(fileKey)],
      "the password and the SMTP password, under the file's key",
    );

    // 2. A fresh key in the file, everything re-encrypted with it, the old key dropped from the file.
    const fileRotation = await rotate(['--new-key', '--drop-old-keys']);
    assert.equal(fileRotation.code, 0, fileRotation.out);
    assert.match(fileRotation.out, /re-encrypted 2 of 2 objects/);
    const keyLines = readFileSync(join(dir, 'secret.key'), 'utf8')
      .split('\n')
      .filter((l) => /^[0-9a-f]{64}$/.test(l));
    assert.equal(keyLines.length, 1, 'only the newest key is left in the file');
    const newFileKey = Buffer.from(keyLines[0]!, 'hex');
    assert.notEqual(keyIdOf(newFileKey), keyIdOf(fileKey));
    assert.ok(
      (await storedKeyIds()).every((id) => id === keyIdOf(newFileKey)),
      'no row carries the old key id',
    );
    assert.equal(await passwordWith([newFileKey]), 's3cret', 'the old key is no longer needed');

    // 3. Keys from the environment, newest first: rotate onto B; a second run has nothing to do.
    const b = generateSecretKey();
    const envRotation = await rotate([], [b, newFileKey]);
    assert.equal(envRotation.code, 0, envRotation.out);
    assert.match(envRotation.out, new RegExp(`re-encrypted 2 of 2 objects with key ${keyIdOf(b)}`));
    assert.match(
      (await rotate([], [b, newFileKey])).out,
      /re-encrypted 0 of 2 objects .*; 2 already used it/,
    );
    assert.ok((await storedKeyIds()).every((id) => id === keyIdOf(b)));

    // 4. The old key removed from the ring: the server starts clean and the secrets open with B alone.
    server = await serve([b]);
    try {
      assert.doesNotMatch(server.output(), /no key of the keyring/);
      assert.equal(
        (await api(server, 'GET', '/v1/actions/CrmHook')).body.spec.auth.password,
        '[redacted]',
      );
    } finally {
      await server.kill();
    }
    assert.equal(await passwordWith([b]), 's3cret');

    // 5. A ring that opens nothing: a warning names each object, other routes answer, use fails clearly, a PUT repairs.
    server = await serve([generateSecretKey()]);
    try {
      const warnings = await until('a warning for each object', () => {
        const found = logLines(server.output()).filter(
          (l) => l.level === 40 && l.msg.includes('no key of the keyring'),
        );
        return found.length >= 2 ? found : null;
      });
      assert.deepEqual(warnings.map((w) => [w.kind, w.sandbox, w.name]).sort(), [
        ['action', 'prod', 'CrmHook'],
        ['channelConfiguration', 'prod', 'Mail'],
      ]);
      assert.match(
        warnings.find((w) => w.name === 'CrmHook')!.msg,
        /the action "CrmHook" in sandbox "prod" holds a secret that no key of the keyring .* decrypts \(auth\.password\)/,
      );
      assert.equal((await api(server, 'GET', '/v1/event-types')).status, 200);
      assert.equal(
        (await api(server, 'GET', '/v1/channel-configurations/Mail')).status,
        200,
        'reading is not a 500',
      );
      const used = await api(server, 'POST', '/v1/actions/CrmHook/test', { parameters: {} });
      assert.equal(used.status, 422);
      assert.match(
        used.body.error.message,
        /auth\.password of the custom action "CrmHook" in sandbox "prod" cannot be used/,
      );
      const repaired = await api(server, 'PUT', '/v1/actions/CrmHook', action('fresh'));
      assert.equal(repaired.status, 200, JSON.stringify(repaired.body));
    } finally {
      await server.kill();
    }
    const failed = await rotate([], [b]);
    assert.equal(failed.code, 1, 'a rotation with keys that miss objects reports failure');
    assert.match(
      failed.out,
      /failed: action "CrmHook" in sandbox "prod"/,
      'the repaired object is under the new key now, so B cannot open it',
    );
    assert.doesNotMatch(failed.out, /failed: channelConfiguration/);
  },
);
