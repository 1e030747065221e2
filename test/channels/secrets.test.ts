import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channelConfigurationSchema } from '../../src/model/channel-configuration.ts';
import type {
  EmailConfiguration,
  ChannelConfiguration,
} from '../../src/model/channel-configuration.ts';
import {
  encryptSecret,
  decryptSecret,
  generateSecretKey,
  loadOrCreateSecretKey,
  encryptChannelConfiguration,
  decryptChannelConfiguration,
  redactChannelConfiguration,
  redact,
  isEncrypted,
  REDACTED,
  keyring,
  keyIdOf,
  secretKeyId,
} from '../../src/channels/secrets.ts';
import { loadSecretKeyring } from '../../src/runtime/secret-keyring.ts';

const key = generateSecretKey();
const email = channelConfigurationSchema.parse({
  channel: 'email',
  name: 'EmailMarketing',
  fromAddress: 'news@luma.example',
  smtp: { host: 'smtp.luma.example', auth: { user: 'mailer', pass: 'smtp-password' } },
  dkim: {
    domainName: 'luma.example',
    keySelector: 's1',
    privateKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
  },
}) as EmailConfiguration;

describe('secrets at rest', () => {
  test('AES-256-GCM round trip; a wrong key, an altered value or another field fails', () => {
    const enc = encryptSecret('hunter2', key, 'a#x');
    assert.ok(isEncrypted(enc));
    assert.notEqual(encryptSecret('hunter2', key, 'a#x'), enc, 'random IV');
    assert.equal(decryptSecret(enc, key, 'a#x'), 'hunter2');
    assert.throws(() => decryptSecret(enc, generateSecretKey(), 'a#x'), /cannot decrypt/);
    assert.throws(() => decryptSecret(enc, key, 'a#y'), /cannot decrypt/);
    // One bit of the ciphertext flipped (editing base64 text can leave the bytes as they were).
    const cut = enc.lastIndexOf('.') + 1;
    const ct = Buffer.from(enc.slice(cut), 'base64url');
    ct[0] = ct[0]! ^ 1;
    const altered = `${enc.slice(0, cut)}${ct.toString('base64url')}`;
    assert.notEqual(altered, enc);
    assert.throws(() => decryptSecret(altered, key, 'a#x'));
  });

  test('channel configurations: only the secret fields are encrypted, and decrypt back', () => {
    const stored = encryptChannelConfiguration(email, key);
    assert.ok(isEncrypted(stored.smtp!.auth?.pass));
    assert.ok(isEncrypted(stored.dkim?.privateKey));
    assert.equal(stored.smtp!.auth?.user, 'mailer');
    assert.equal(JSON.stringify(stored).includes('smtp-password'), false);
    assert.deepEqual(
      encryptChannelConfiguration(stored, key),
      stored,
      'encrypting twice keeps the values',
    );
    assert.deepEqual(decryptChannelConfiguration(stored, key), email);
    assert.equal(email.smtp!.auth?.pass, 'smtp-password', 'the input is not mutated');
  });

  test('redact hides secret paths, secret-named fields and encrypted values', () => {
    const shown = redactChannelConfiguration(email);
    assert.equal(shown.smtp!.auth?.pass, REDACTED);
    assert.equal(shown.dkim?.privateKey, REDACTED);
    assert.equal(shown.smtp!.host, 'smtp.luma.example');
    const sms = channelConfigurationSchema.parse({
      channel: 'sms',
      name: 'S',
      twilio: { accountSid: `AC${'a'.repeat(32)}`, authToken: 'tw-secret', from: '+14155550100' },
    }) as ChannelConfiguration;
    assert.equal(JSON.stringify(redactChannelConfiguration(sms)).includes('tw-secret'), false);
    assert.deepEqual(
      redact({
        headers: { Authorization: 'Bearer x', accept: 'json' },
        list: [{ apiKey: 'k' }],
        stored: encryptSecret('s', key),
      }),
      {
        headers: { Authorization: REDACTED, accept: 'json' },
        list: [{ apiKey: REDACTED }],
        stored: REDACTED,
      },
    );
  });

  test('the key file is created once (0600) and read back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wm-key-'));
    try {
      const path = join(dir, 'data', 'secret.key');
      const k1 = loadOrCreateSecretKey(path);
      assert.equal(k1.length, 32);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.deepEqual(loadOrCreateSecretKey(path), k1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a keyring: the newest key encrypts and names itself in the value, older keys still decrypt', () => {
    const [older, newer] = [generateSecretKey(), generateSecretKey()];
    const fromOlder = encryptSecret('hunter2', keyring([older]), 'a#x');
    assert.ok(fromOlder.startsWith(`enc:v2:${keyIdOf(older)}:`));
    const ring = keyring([newer, older]);
    const fromRing = encryptSecret('hunter2', ring, 'a#x');
    assert.equal(secretKeyId(fromRing), keyIdOf(newer));
    assert.equal(decryptSecret(fromOlder, ring, 'a#x'), 'hunter2');
    assert.equal(decryptSecret(fromRing, ring, 'a#x'), 'hunter2');
    assert.throws(
      () => decryptSecret(fromRing, keyring([older]), 'a#x'),
      new RegExp(
        `cannot decrypt a secret: its key \\(id ${keyIdOf(newer)}\\) is not in the keyring`,
      ),
    );
  });

  test('the keyring comes from WAYMARK_SECRET_KEYS (newest first), WAYMARK_SECRET_KEY, or the data folder file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wm-ring-'));
    try {
      const [a, b] = [generateSecretKey(), generateSecretKey()];
      const env = loadSecretKeyring(dir, {
        WAYMARK_SECRET_KEYS: `${b.toString('hex')}, ${a.toString('hex')}`,
      });
      assert.deepEqual(
        [env.source, env.file, env.ring.keys.map((k) => k.id)],
        ['WAYMARK_SECRET_KEYS', null, [keyIdOf(b), keyIdOf(a)]],
      );
      assert.deepEqual(
        loadSecretKeyring(dir, { WAYMARK_SECRET_KEY: a.toString('hex') }).ring.keys.map(
          (k) => k.id,
        ),
        [keyIdOf(a)],
      );
      assert.throws(
        () => loadSecretKeyring(dir, { WAYMARK_SECRET_KEYS: `${b.toString('hex')},nope` }),
        /WAYMARK_SECRET_KEYS: entry 2 is not a key: expected 64 hex digits/,
      );

      const created = loadSecretKeyring(dir, {});
      assert.equal(created.file, join(dir, 'secret.key'));
      assert.equal(statSync(created.file).mode & 0o777, 0o600);
      assert.deepEqual(
        loadSecretKeyring(dir, {}).ring.keys.map((k) => k.id),
        created.ring.keys.map((k) => k.id),
        'read back, not created again',
      );
      writeFileSync(
        created.file,
        `# newest first\n${b.toString('hex')}\n\n${a.toString('hex')}  # the old one\n`,
      );
      assert.deepEqual(
        loadSecretKeyring(dir, {}).ring.keys.map((k) => k.id),
        [keyIdOf(b), keyIdOf(a)],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
