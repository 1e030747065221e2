import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channelConfigurationSchema } from '../../src/model/channel-configuration.ts';
import type { EmailConfiguration, ChannelConfiguration } from '../../src/model/channel-configuration.ts';
import {
  encryptSecret, decryptSecret, generateSecretKey, loadOrCreateSecretKey, encryptChannelConfiguration, decryptChannelConfiguration,
  redactChannelConfiguration, redact, isEncrypted, REDACTED,
} from '../../src/channels/secrets.ts';

const key = generateSecretKey();
const email = channelConfigurationSchema.parse({
  channel: 'email', name: 'EmailMarketing', fromAddress: 'news@luma.example',
  smtp: { host: 'smtp.luma.example', auth: { user: 'mailer', pass: 'smtp-password' } },
  dkim: { domainName: 'luma.example', keySelector: 's1', privateKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----' },
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
    assert.ok(isEncrypted(stored.smtp.auth?.pass));
    assert.ok(isEncrypted(stored.dkim?.privateKey));
    assert.equal(stored.smtp.auth?.user, 'mailer');
    assert.equal(JSON.stringify(stored).includes('smtp-password'), false);
    assert.deepEqual(encryptChannelConfiguration(stored, key), stored, 'encrypting twice keeps the values');
    assert.deepEqual(decryptChannelConfiguration(stored, key), email);
    assert.equal(email.smtp.auth?.pass, 'smtp-password', 'the input is not mutated');
  });

  test('redact hides secret paths, secret-named fields and encrypted values', () => {
    const shown = redactChannelConfiguration(email);
    assert.equal(shown.smtp.auth?.pass, REDACTED);
    assert.equal(shown.dkim?.privateKey, REDACTED);
    assert.equal(shown.smtp.host, 'smtp.luma.example');
    const sms = channelConfigurationSchema.parse({ channel: 'sms', name: 'S', twilio: { accountSid: `AC${'a'.repeat(32)}`, authToken: 'tw-secret', from: '+14155550100' } }) as ChannelConfiguration;
    assert.equal(JSON.stringify(redactChannelConfiguration(sms)).includes('tw-secret'), false);
    assert.deepEqual(redact({ headers: { Authorization: 'Bearer x', accept: 'json' }, list: [{ apiKey: 'k' }], stored: encryptSecret('s', key) }),
      { headers: { Authorization: REDACTED, accept: 'json' }, list: [{ apiKey: REDACTED }], stored: REDACTED });
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
});
