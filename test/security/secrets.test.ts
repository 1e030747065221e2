// Secrets at rest as an attacker and an operator meet them: a "[redacted]" placeholder never follows
// an object to a new destination; keys rotate through a keyring; a secret that no key opens breaks
// only its own object, and sending the secret again repairs it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import {
  generateSecretKey,
  keyring,
  secretKeyId,
  type SecretKey,
} from '../../src/channels/secrets.ts';
import { createWaymark } from '../../src/runtime/app.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const KEY = 'secrets-test-admin-key-0123456789';
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wm-secrets-'));
  dirs.push(d);
  return d;
}

/** An in-process server on a SQLite file, with the given keys (several servers may share the file in turn). */
async function serverOn(dbPath: string, key: SecretKey) {
  const store = new SqliteStore(dbPath, { checkpointIntervalMs: null });
  const app = createWaymark({ store, secretKey: key });
  const server = await buildServer({ app, keys: [apiKey('admin', KEY)], logger: false });
  return {
    app,
    store,
    async request(
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      url: string,
      body?: unknown,
    ): Promise<{ status: number; body: any }> {
      const res = await server.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${KEY}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
    },
    /** The stored secret at `path`, decrypted as the code that calls the provider sees it. */
    async secret(
      kind: 'action' | 'channelConfiguration',
      name: string,
      path: string,
    ): Promise<unknown> {
      const stored = await app.objects.get('prod', kind, name);
      const open = app.objects.secrets.open(kind, stored.body as Record<string, unknown>);
      return path
        .split('.')
        .reduce<unknown>(
          (node, part) => (node as Record<string, unknown> | undefined)?.[part],
          open,
        );
    },
    async close() {
      await server.close();
      await app.close();
    },
  };
}

const crmAction = (over: Record<string, unknown> = {}) => ({
  name: 'CrmHook',
  method: 'POST',
  url: 'https://crm.example/api/hook',
  auth: { kind: 'basic', username: 'waymark', password: 's3cret-password' },
  ...over,
});

const emailConfig = (smtp: Record<string, unknown>) => ({
  channel: 'email',
  name: 'Marketing',
  fromAddress: 'news@luma.example',
  smtp: {
    host: 'smtp.luma.example',
    port: 587,
    auth: { user: 'mailer', pass: 'smtp-password' },
    ...smtp,
  },
});

const smsConfig = (twilio: Record<string, unknown>) => ({
  channel: 'sms',
  name: 'Texts',
  twilio: {
    accountSid: `AC${'a'.repeat(32)}`,
    authToken: 'twilio-token',
    from: '+14155550100',
    baseUrl: 'https://api.twilio.com',
    ...twilio,
  },
});

describe('a "[redacted]" secret sent back', () => {
  test('keeps the stored secret while the destination is the same', async () => {
    const s = await serverOn(':memory:', generateSecretKey());
    try {
      assert.equal((await s.request('POST', '/v1/actions', crmAction())).status, 201);
      const shown = await s.request('GET', '/v1/actions/CrmHook');
      assert.equal(shown.body.spec.auth.password, '[redacted]');
      const edited = await s.request('PUT', '/v1/actions/CrmHook', {
        ...shown.body.spec,
        description: 'now described',
        url: 'https://crm.example/api/hook?v=2',
      });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(await s.secret('action', 'CrmHook', 'auth.password'), 's3cret-password');
    } finally {
      await s.close();
    }
  });

  test('is refused (422, naming the field) when a custom action points to another URL or auth type', async () => {
    const s = await serverOn(':memory:', generateSecretKey());
    try {
      await s.request('POST', '/v1/actions', crmAction());
      const spec = (await s.request('GET', '/v1/actions/CrmHook')).body.spec;
      const moved = await s.request('PUT', '/v1/actions/CrmHook', {
        ...spec,
        url: 'https://attacker.example/collect',
      });
      assert.equal(moved.status, 422);
      assert.equal(moved.body.error.code, 'secret_required');
      assert.equal(moved.body.error.issues[0].path, 'auth.password');
      assert.match(
        moved.body.error.message,
        /auth\.password: the destination changed \(url\), so the secret must be sent again/,
      );
      const otherPath = await s.request('PUT', '/v1/actions/CrmHook', {
        ...spec,
        url: 'https://crm.example/other',
      });
      assert.equal(otherPath.status, 422, 'another path on the same host is another destination');
      const bearer = await s.request('PUT', '/v1/actions/CrmHook', {
        ...spec,
        auth: { kind: 'bearer', token: '[redacted]' },
      });
      assert.equal(bearer.status, 422);
      assert.equal(bearer.body.error.issues[0].path, 'auth.token');
      assert.match(bearer.body.error.issues[0].message, /auth\.kind/);
      assert.equal(
        await s.secret('action', 'CrmHook', 'auth.password'),
        's3cret-password',
        'nothing was changed',
      );
      assert.equal(
        (await s.request('GET', '/v1/actions/CrmHook')).body.spec.url,
        'https://crm.example/api/hook',
      );
      // With the secret itself, the move is fine.
      const resent = await s.request('PUT', '/v1/actions/CrmHook', {
        ...spec,
        url: 'https://crm2.example/api/hook',
        auth: { kind: 'basic', username: 'waymark', password: 'new-password' },
      });
      assert.equal(resent.status, 200);
      assert.equal(await s.secret('action', 'CrmHook', 'auth.password'), 'new-password');
    } finally {
      await s.close();
    }
  });

  test('is refused when an email configuration changes SMTP host or port, an SMS one its Twilio account or base URL, a push one its FCM endpoint or project', async () => {
    const s = await serverOn(':memory:', generateSecretKey());
    try {
      assert.equal(
        (await s.request('POST', '/v1/channel-configurations', emailConfig({}))).status,
        201,
      );
      const email = (await s.request('GET', '/v1/channel-configurations/Marketing')).body.spec;
      assert.equal(email.smtp.auth.pass, '[redacted]');
      assert.equal(
        (
          await s.request('PUT', '/v1/channel-configurations/Marketing', {
            ...email,
            fromName: 'Luma',
          })
        ).status,
        200,
      );
      for (const smtp of [{ host: '127.0.0.1' }, { port: 2525 }]) {
        const r = await s.request('PUT', '/v1/channel-configurations/Marketing', {
          ...email,
          smtp: { ...email.smtp, ...smtp },
        });
        assert.equal(r.status, 422, JSON.stringify(smtp));
        assert.equal(r.body.error.issues[0].path, 'smtp.auth.pass');
      }
      assert.equal(
        await s.secret('channelConfiguration', 'Marketing', 'smtp.auth.pass'),
        'smtp-password',
      );

      assert.equal(
        (await s.request('POST', '/v1/channel-configurations', smsConfig({}))).status,
        201,
      );
      const sms = (await s.request('GET', '/v1/channel-configurations/Texts')).body.spec;
      for (const twilio of [
        { baseUrl: 'https://twilio.attacker.example' },
        { accountSid: `AC${'b'.repeat(32)}` },
      ]) {
        const r = await s.request('PUT', '/v1/channel-configurations/Texts', {
          ...sms,
          twilio: { ...sms.twilio, ...twilio },
        });
        assert.equal(r.status, 422, JSON.stringify(twilio));
        assert.equal(r.body.error.issues[0].path, 'twilio.authToken');
      }
      assert.equal(
        await s.secret('channelConfiguration', 'Texts', 'twilio.authToken'),
        'twilio-token',
      );

      const fcm = {
        projectId: 'luma-app',
        baseUrl: 'https://fcm.googleapis.com',
        serviceAccount: {
          client_email: 'push@luma-app.iam.example',
          private_key: 'fcm-private-key',
        },
      };
      assert.equal(
        (
          await s.request('POST', '/v1/channel-configurations', {
            channel: 'push',
            name: 'App',
            appId: 'com.luma.app',
            fcm,
          })
        ).status,
        201,
      );
      const push = (await s.request('GET', '/v1/channel-configurations/App')).body.spec;
      for (const change of [
        { baseUrl: 'https://fcm.attacker.example' },
        { projectId: 'other-project' },
      ]) {
        const r = await s.request('PUT', '/v1/channel-configurations/App', {
          ...push,
          fcm: { ...push.fcm, ...change },
        });
        assert.equal(r.status, 422, JSON.stringify(change));
        assert.equal(r.body.error.issues[0].path, 'fcm.serviceAccount.private_key');
      }
      assert.equal(
        (
          await s.request('PUT', '/v1/channel-configurations/App', {
            ...push,
            description: 'same destination',
          })
        ).status,
        200,
      );
      assert.equal(
        await s.secret('channelConfiguration', 'App', 'fcm.serviceAccount.private_key'),
        'fcm-private-key',
      );
    } finally {
      await s.close();
    }
  });
});

describe('a secret no key of the ring opens', () => {
  test('fails only its own object, with a clear error; a PUT with the secret repairs it', async () => {
    const db = join(tempDir(), 'waymark.db');
    const lost = generateSecretKey();
    const first = await serverOn(db, lost);
    await first.request('POST', '/v1/actions', crmAction({ url: 'http://127.0.0.1:9/hook' }));
    await first.close();

    const s = await serverOn(db, generateSecretKey());
    try {
      assert.deepEqual(
        s.app.objects.secrets
          .check(
            'action',
            (await s.app.objects.get('prod', 'action', 'CrmHook')).body as Record<string, unknown>,
          )
          .map((p) => p.path),
        ['auth.password'],
      );
      const read = await s.request('GET', '/v1/actions/CrmHook');
      assert.equal(read.status, 200, 'reading answers, redacted');
      assert.equal(read.body.spec.auth.password, '[redacted]');
      const used = await s.request('POST', '/v1/actions/CrmHook/test', { parameters: {} });
      assert.equal(used.status, 422);
      assert.match(
        used.body.error.message,
        /auth\.password of the custom action "CrmHook" in sandbox "prod" cannot be used/,
      );
      assert.match(used.body.error.message, /PUT/);
      const kept = await s.request('PUT', '/v1/actions/CrmHook', {
        ...read.body.spec,
        description: 'x',
      });
      assert.equal(kept.status, 422, 'a placeholder cannot keep what no key opens');
      assert.match(kept.body.error.issues[0].message, /cannot be decrypted/);
      const repaired = await s.request(
        'PUT',
        '/v1/actions/CrmHook',
        crmAction({
          url: 'http://127.0.0.1:9/hook',
          auth: { kind: 'basic', username: 'waymark', password: 'fresh' },
        }),
      );
      assert.equal(repaired.status, 200, JSON.stringify(repaired.body));
      assert.equal(await s.secret('action', 'CrmHook', 'auth.password'), 'fresh');
    } finally {
      await s.close();
    }
  });

  test('values of the format before keyrings (enc:v1, no key id) still open with the key that made them', async () => {
    const old = generateSecretKey();
    const s = await serverOn(':memory:', keyring([generateSecretKey(), old]));
    try {
      // What the previous release stored: enc:v1:<iv>.<tag>.<ct> under the same context and field.
      const { createCipheriv, randomBytes } = await import('node:crypto');
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', old, iv);
      c.setAAD(Buffer.from('custom-action#auth.password'));
      const ct = Buffer.concat([c.update('legacy-password', 'utf8'), c.final()]);
      const v1 = `enc:v1:${iv.toString('base64url')}.${c.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
      await s.store.putObject(
        'prod',
        'action',
        'CrmHook',
        { ...crmAction(), auth: { kind: 'basic', username: 'waymark', password: v1 } },
        new Date().toISOString(),
      );
      assert.equal(secretKeyId(v1), null);
      assert.equal(await s.secret('action', 'CrmHook', 'auth.password'), 'legacy-password');
    } finally {
      await s.close();
    }
  });
});
