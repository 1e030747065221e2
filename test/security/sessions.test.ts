// Console sign-in: an API key is exchanged for a short-lived session. The cookie is HttpOnly and
// SameSite=Strict, every change needs the session's CSRF token, sign-out ends the session, and a
// session ends on its own when idle or old.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiKey } from '../../src/api/auth.ts';
import { SYSTEM_ACTOR } from '../../src/access/policy.ts';
import { SessionStore } from '../../src/api/sessions.ts';
import { ADMIN_KEY, PROD_ONLY_KEY, apiWorld } from '../support/server.ts';

test('sign-in sets an HttpOnly SameSite=Strict cookie; changes need the CSRF token; sign-out ends the session', async () => {
  const w = await apiWorld();
  try {
    const inject = (
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      url: string,
      headers: Record<string, string>,
      body?: unknown,
    ) =>
      w.server.inject({
        method,
        url,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });

    assert.equal(
      (await inject('POST', '/v1/session', {}, { key: 'wmk_wrong-key-0123456789' })).statusCode,
      401,
    );
    const bad = await inject('POST', '/v1/session', {}, { token: ADMIN_KEY });
    assert.equal(bad.statusCode, 400, 'an unknown field is named');
    assert.match(bad.body, /key/);

    const signIn = await inject('POST', '/v1/session', {}, { key: ADMIN_KEY });
    assert.equal(signIn.statusCode, 200);
    const setCookie = String(signIn.headers['set-cookie']);
    assert.match(setCookie, /^waymark_session=[\w-]{40,};/);
    for (const attr of ['HttpOnly', 'SameSite=Strict', 'Path=/'])
      assert.ok(setCookie.includes(attr), `the cookie is ${attr}: ${setCookie}`);
    assert.ok(!signIn.body.includes(ADMIN_KEY), 'the answer never repeats the key');
    const session = JSON.parse(signIn.body) as {
      name: string;
      csrfToken: string;
      expiresAt: string;
    };
    assert.equal(session.name, 'admin');
    assert.ok(
      Date.parse(session.expiresAt) - Date.now() <= 8 * 3_600_000 + 1000,
      'a session lives at most 8 hours',
    );
    const cookie = setCookie.split(';')[0]!;

    assert.equal(
      (await inject('GET', '/v1/journeys', { cookie })).statusCode,
      200,
      'the cookie reads',
    );
    assert.equal(
      JSON.parse((await inject('GET', '/v1/session', { cookie })).body).csrfToken,
      session.csrfToken,
      'a reload gets the same CSRF token back',
    );

    const body = { name: 'csrf-probe', type: 'pushNotification', description: 'x' };
    const noToken = await inject('POST', '/v1/fragments', { cookie }, body);
    assert.equal(noToken.statusCode, 403);
    assert.equal(JSON.parse(noToken.body).error.code, 'csrf_failed');
    assert.equal(
      (
        await inject(
          'POST',
          '/v1/fragments',
          { cookie, 'x-csrf-token': `${session.csrfToken}x` },
          body,
        )
      ).statusCode,
      403,
    );
    const withToken = await inject(
      'POST',
      '/v1/fragments',
      { cookie, 'x-csrf-token': session.csrfToken },
      body,
    );
    assert.notEqual(withToken.statusCode, 403, withToken.body);
    assert.notEqual(withToken.statusCode, 401, withToken.body);

    const out = await inject('DELETE', '/v1/session', {
      cookie,
      'x-csrf-token': session.csrfToken,
    });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
    const after = await inject('GET', '/v1/journeys', { cookie });
    assert.equal(after.statusCode, 401);
    assert.equal(JSON.parse(after.body).error.code, 'session_ended');
  } finally {
    await w.close();
  }
});

test('a session of a sandbox-scoped key is held to its sandboxes', async () => {
  const w = await apiWorld();
  try {
    const signIn = await w.server.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ key: PROD_ONLY_KEY }),
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    assert.equal(
      (await w.server.inject({ method: 'GET', url: '/v1/journeys', headers: { cookie } }))
        .statusCode,
      200,
    );
    assert.equal(
      (
        await w.server.inject({
          method: 'GET',
          url: '/v1/journeys',
          headers: { cookie, 'x-sandbox-name': 'agency' },
        })
      ).statusCode,
      403,
    );
  } finally {
    await w.close();
  }
});

test('a session ends after an hour idle or eight hours in all, and the store keeps a bounded number', () => {
  let now = 0;
  const store = new SessionStore(
    { absoluteMs: 8 * 3_600_000, idleMs: 3_600_000, max: 3 },
    () => now,
  );
  const key = { kind: 'operator', key: apiKey('admin', ADMIN_KEY) } as const;
  const idle = store.create(key).id;
  now = 3_599_000;
  assert.ok(store.find(idle), 'used within the hour');
  now += 3_600_000;
  assert.equal(store.find(idle), null, 'an hour without use ends it');

  const busy = store.create(key).id;
  const started = now;
  while (now < started + 8 * 3_600_000 - 1000) {
    now += 1_800_000;
    store.find(busy);
  }
  now = started + 8 * 3_600_000;
  assert.equal(store.find(busy), null, 'eight hours end it however busy');

  const ids = [0, 1, 2, 3, 4].map(() => store.create(key).id);
  assert.equal(store.size, 3);
  assert.equal(store.find(ids[0]!), null, 'the least recently used goes first');
  assert.ok(store.find(ids[4]!));
});

test('a person signs in with email and password; a wrong one gets one answer; five failures pause sign-in for that email', async () => {
  const w = await apiWorld();
  try {
    const signIn = (body: unknown) =>
      w.server.inject({
        method: 'POST',
        url: '/v1/session',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    const user = await w.app.access.directory.createUser(
      {
        email: 'vera@luma.example',
        name: 'Vera',
        password: 'correct horse battery',
        roles: [{ role: 'viewer', sandboxes: ['prod'] }],
      },
      SYSTEM_ACTOR,
    );

    const ok = await signIn({ email: 'vera@luma.example', password: 'correct horse battery' });
    assert.equal(ok.statusCode, 200, ok.body);
    const session = JSON.parse(ok.body) as {
      actor: { kind: string; id: string; name: string };
      name: string;
      csrfToken: string;
    };
    assert.deepEqual(session.actor, { kind: 'user', id: user.id, name: 'vera@luma.example' });
    assert.match(String(ok.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    const me = JSON.parse(
      (await w.server.inject({ method: 'GET', url: '/v1/me', headers: { cookie } })).body,
    ) as { via: string; roles: string[] };
    assert.deepEqual({ via: me.via, roles: me.roles }, { via: 'session', roles: ['viewer'] });

    const wrongPassword = await signIn({
      email: 'vera@luma.example',
      password: 'not the password',
    });
    const unknownEmail = await signIn({
      email: 'nobody@luma.example',
      password: 'not the password',
    });
    assert.equal(wrongPassword.statusCode, 401);
    assert.equal(
      JSON.parse(wrongPassword.body).error.message,
      JSON.parse(unknownEmail.body).error.message,
      'a wrong email and a wrong password read the same',
    );

    for (let i = 0; i < 4; i++)
      assert.equal(
        (await signIn({ email: 'vera@luma.example', password: `guess ${i}` })).statusCode,
        401,
      );
    const paused = await signIn({ email: 'Vera@luma.example', password: 'correct horse battery' });
    assert.equal(
      paused.statusCode,
      429,
      'the sixth attempt is refused, even with the right password',
    );
    assert.ok(Number(paused.headers['retry-after']) > 0);
    assert.equal(
      (await signIn({ email: 'other@luma.example', password: 'whatever it is' })).statusCode,
      401,
      'other emails are not paused',
    );
  } finally {
    await w.close();
  }
});

test('sessions follow the person: signing out everywhere ends them all, disabling the account ends them at once', async () => {
  const w = await apiWorld();
  try {
    const directory = w.app.access.directory;
    const user = await directory.createUser(
      {
        email: 'jo@luma.example',
        password: 'a long enough password',
        roles: [{ role: 'journey-manager', sandboxes: ['prod'] }],
      },
      SYSTEM_ACTOR,
    );
    const open = async () => {
      const r = await w.server.inject({
        method: 'POST',
        url: '/v1/session',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'jo@luma.example', password: 'a long enough password' }),
      });
      return {
        cookie: String(r.headers['set-cookie']).split(';')[0]!,
        csrf: (JSON.parse(r.body) as { csrfToken: string }).csrfToken,
      };
    };
    const get = (cookie: string) =>
      w.server.inject({ method: 'GET', url: '/v1/journeys', headers: { cookie } });
    const laptop = await open();
    const phone = await open();
    assert.equal((await get(phone.cookie)).statusCode, 200);
    const out = await w.server.inject({
      method: 'POST',
      url: '/v1/session/sign-out-everywhere',
      headers: { cookie: laptop.cookie, 'x-csrf-token': laptop.csrf },
    });
    assert.equal(out.statusCode, 204, out.body);
    for (const s of [laptop, phone])
      assert.equal((await get(s.cookie)).statusCode, 401, 'every session of the person ended');

    const again = await open();
    assert.equal((await get(again.cookie)).statusCode, 200);
    await directory.updateUser(user.id, { status: 'disabled' }, SYSTEM_ACTOR);
    const refused = await get(again.cookie);
    assert.equal(refused.statusCode, 401);
    assert.equal(JSON.parse(refused.body).error.code, 'session_ended');

    const keyOut = await w.server.inject({
      method: 'POST',
      url: '/v1/session/sign-out-everywhere',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    assert.equal(keyOut.statusCode, 400, 'a key is revoked, not signed out');
  } finally {
    await w.close();
  }
});

test('a console session opened with a created key ends when the key is revoked', async () => {
  const w = await apiWorld();
  try {
    const created = await w.app.access.directory.createKey(
      { name: 'console key', role: 'content-manager', sandboxes: ['prod'] },
      SYSTEM_ACTOR,
    );
    const r = await w.server.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ key: created.key }),
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal((JSON.parse(r.body) as { actor: { kind: string } }).actor.kind, 'key');
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    assert.equal(
      (await w.server.inject({ method: 'GET', url: '/v1/fragments', headers: { cookie } }))
        .statusCode,
      200,
    );
    await w.app.access.directory.revokeKey(created.id, SYSTEM_ACTOR);
    const after = await w.server.inject({
      method: 'GET',
      url: '/v1/fragments',
      headers: { cookie },
    });
    assert.equal(after.statusCode, 401);
    assert.match(JSON.parse(after.body).error.message, /revoked/);
  } finally {
    await w.close();
  }
});

test('signing out works from any sandbox, even one the session may not enter', async () => {
  const w = await apiWorld();
  try {
    const signIn = await w.server.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ key: PROD_ONLY_KEY }),
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const { csrfToken } = JSON.parse(signIn.body) as { csrfToken: string };
    const elsewhere = { cookie, 'x-sandbox-name': 'agency' };
    assert.equal(
      (await w.server.inject({ method: 'GET', url: '/v1/journeys', headers: elsewhere }))
        .statusCode,
      403,
    );
    const current = await w.server.inject({
      method: 'GET',
      url: '/v1/session',
      headers: elsewhere,
    });
    assert.equal(
      current.statusCode,
      200,
      'a reload finds its session, and the sandboxes it may use',
    );
    assert.deepEqual(JSON.parse(current.body).sandboxes, ['prod']);
    assert.equal(
      (
        await w.server.inject({
          method: 'DELETE',
          url: '/v1/session',
          headers: { ...elsewhere, 'x-csrf-token': csrfToken },
        })
      ).statusCode,
      204,
    );
    assert.equal(
      (await w.server.inject({ method: 'GET', url: '/v1/journeys', headers: { cookie } }))
        .statusCode,
      401,
      'the session ended',
    );
  } finally {
    await w.close();
  }
});
