// People at the API: an invitation arrives by email (a real SMTP server: the development one the
// Luma prod sandbox's email channel sends to), is accepted with a password, and the person signs
// in; a forgotten password is reset through the emailed link; asking for a reset never tells
// whether the email has an account; without an email channel the admin gets the link to pass on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DevMail } from '../../src/channels/email/index.ts';
import { apiWorld, type ApiWorld } from '../support/server.ts';
import { PUBLIC_URL } from '../support/luma.ts';

const PASSWORD = 'a long enough password';

async function mailTo(w: ApiWorld, address: string, subject: RegExp): Promise<DevMail> {
  for (let i = 0; i < 100; i++) {
    const m = w.inbox.list({ to: address }).find((x) => subject.test(x.subject));
    if (m) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no email to ${address} with subject ${subject}`);
}

const tokenIn = (mail: DevMail, path: string): string => {
  const m = new RegExp(
    `${PUBLIC_URL.replace(/[.]/g, '\\.')}${path}\\?token=([A-Za-z0-9_%-]+)`,
  ).exec(mail.text);
  assert.ok(m, `a ${path} link in:\n${mail.text}`);
  assert.ok(mail.html.includes(`${PUBLIC_URL}${path}?token=`), 'the HTML carries the link too');
  return decodeURIComponent(m[1]!);
};

const signIn = (w: ApiWorld, email: string, password: string) =>
  w.server.inject({
    method: 'POST',
    url: '/v1/session',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email, password }),
  });

test('an invitation is emailed, accepted with a password, and the person signs in with the roles given', async () => {
  const w = await apiWorld();
  try {
    const invited = await w.request('POST', '/v1/users/invitations', {
      email: 'Jo.Author@luma.example',
      name: 'Jo Author',
      roles: [{ role: 'content-manager', sandboxes: ['prod'] }],
    });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    assert.equal(invited.body.emailed, true);
    assert.equal(invited.body.acceptUrl, undefined, 'the link went by email only');
    assert.equal(invited.body.user.status, 'invited');

    const mail = await mailTo(w, 'jo.author@luma.example', /invited to Waymark/);
    assert.match(mail.text, /Hello Jo Author/);
    assert.match(mail.text, /expires in 7 days/);
    const token = tokenIn(mail, '/accept-invitation');

    assert.equal(
      (await signIn(w, 'jo.author@luma.example', PASSWORD)).statusCode,
      401,
      'not before accepting',
    );
    const weak = await w.request(
      'POST',
      '/v1/invitations/accept',
      { token, password: 'short' },
      { authorization: '' },
    );
    assert.equal(weak.status, 400);
    assert.equal(weak.body.error.issues[0].path, 'body.password');
    const accepted = await w.request(
      'POST',
      '/v1/invitations/accept',
      { token, password: PASSWORD },
      { authorization: '' },
    );
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.status, 'active');
    assert.equal(
      (
        await w.request(
          'POST',
          '/v1/invitations/accept',
          { token, password: PASSWORD },
          { authorization: '' },
        )
      ).status,
      400,
      'once',
    );

    const session = await signIn(w, 'JO.AUTHOR@luma.example', PASSWORD);
    assert.equal(session.statusCode, 200, session.body);
    const cookie = String(session.headers['set-cookie']).split(';')[0]!;
    const me = await w.server.inject({ method: 'GET', url: '/v1/me', headers: { cookie } });
    assert.equal(me.statusCode, 200);
    assert.deepEqual(JSON.parse(me.body).roles, ['content-manager']);

    const users = await w.request('GET', '/v1/users');
    const jo = users.body.items.find(
      (u: { email: string }) => u.email === 'Jo.Author@luma.example',
    );
    assert.equal(jo.status, 'active');
    assert.ok(jo.lastSignInAt);

    // The audit log: who invited whom, and the acceptance by the person; never a token or a password.
    const log = await w.request('GET', '/v1/audit-log?limit=50');
    assert.equal(log.status, 200);
    const invite = log.body.items.find((e: { action: string }) => e.action === 'user.invite');
    assert.deepEqual(
      [invite.sandbox, invite.actor.kind, invite.object.kind, invite.object.key],
      [null, 'operator', 'user', jo.id],
    );
    const accept = log.body.items.find(
      (e: { action: string }) => e.action === 'user.accept-invitation',
    );
    assert.deepEqual(accept?.actor, { kind: 'user', id: jo.id, name: 'Jo.Author@luma.example' });
    const text = JSON.stringify(log.body);
    assert.equal(
      text.includes(token) || text.includes(encodeURIComponent(token)) || text.includes(PASSWORD),
      false,
      'no secrets in the audit log',
    );

    // Disabled: the open session ends at once.
    const disabled = await w.server.inject({
      method: 'PATCH',
      url: `/v1/users/${jo.id}`,
      headers: {
        authorization: 'Bearer test-admin-key-0123456789',
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ status: 'disabled' }),
    });
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.equal(
      (await w.server.inject({ method: 'GET', url: '/v1/me', headers: { cookie } })).statusCode,
      401,
    );
  } finally {
    await w.close();
  }
});

test('password reset: always 202; the emailed link sets a new password once, and the old one stops working', async () => {
  const w = await apiWorld();
  try {
    assert.equal(
      (
        await w.request('POST', '/v1/users', {
          email: 'sam@luma.example',
          password: PASSWORD,
          roles: [{ role: 'viewer', sandboxes: ['prod'] }],
        })
      ).status,
      201,
    );
    const unknown = await w.request(
      'POST',
      '/v1/password-reset',
      { email: 'nobody@luma.example' },
      { authorization: '' },
    );
    const known = await w.request(
      'POST',
      '/v1/password-reset',
      { email: 'sam@luma.example' },
      { authorization: '' },
    );
    assert.equal(unknown.status, 202);
    assert.equal(known.status, 202);
    assert.deepEqual(unknown.body, known.body, 'the same answer either way');

    const mail = await mailTo(w, 'sam@luma.example', /Reset your Waymark password/);
    const token = tokenIn(mail, '/reset-password');
    const done = await w.request(
      'POST',
      '/v1/password-reset/complete',
      { token, password: 'a brand new password' },
      { authorization: '' },
    );
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal((await signIn(w, 'sam@luma.example', PASSWORD)).statusCode, 401);
    assert.equal((await signIn(w, 'sam@luma.example', 'a brand new password')).statusCode, 200);
    assert.equal(
      (
        await w.request(
          'POST',
          '/v1/password-reset/complete',
          { token, password: 'yet another password' },
          { authorization: '' },
        )
      ).status,
      400,
      'once',
    );
    assert.equal(w.inbox.list({ to: 'nobody@luma.example' }).length, 0);

    // Asking again and again: still 202, but at most three emails an hour reach the address.
    for (let i = 0; i < 4; i++)
      assert.equal(
        (
          await w.request(
            'POST',
            '/v1/password-reset',
            { email: 'sam@luma.example' },
            { authorization: '' },
          )
        ).status,
        202,
      );
    const resets = (): number =>
      w.inbox
        .list({ to: 'sam@luma.example' })
        .filter((m) => /Reset your Waymark password/.test(m.subject)).length;
    for (let i = 0; i < 100 && resets() < 3; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(resets(), 3);
  } finally {
    await w.close();
  }
});

test('without an email channel the invitation stands and the admin gets the link, with a warning', async () => {
  const w = await apiWorld();
  const before = process.env['WAYMARK_SYSTEM_EMAIL_CONFIGURATION'];
  process.env['WAYMARK_SYSTEM_EMAIL_CONFIGURATION'] = 'prod/NoSuchChannel';
  try {
    const r = await w.request('POST', '/v1/users/invitations', {
      email: 'kai@luma.example',
      roles: [{ role: 'viewer', sandboxes: ['prod'] }],
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.emailed, false);
    assert.match(r.body.acceptUrl, /^http:\/\/waymark\.test\/accept-invitation\?token=/);
    assert.match(r.body.warning, /NoSuchChannel/);
    const token = decodeURIComponent(new URL(r.body.acceptUrl).searchParams.get('token')!);
    assert.equal(
      (
        await w.request(
          'POST',
          '/v1/invitations/accept',
          { token, password: PASSWORD },
          { authorization: '' },
        )
      ).status,
      200,
    );
  } finally {
    if (before === undefined) delete process.env['WAYMARK_SYSTEM_EMAIL_CONFIGURATION'];
    else process.env['WAYMARK_SYSTEM_EMAIL_CONFIGURATION'] = before;
    await w.close();
  }
});

test('users and roles: bad input names the field; a held custom role cannot be deleted; built-in roles are read-only; nobody grants above themselves', async () => {
  const w = await apiWorld();
  try {
    const bad = await w.request('POST', '/v1/users', {
      email: 'not-an-email',
      password: 'x',
      roles: [{ role: 'viewer' }],
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.issues.map((i: { path: string }) => i.path).sort(), [
      'body.email',
      'body.roles.0.sandboxes',
    ]);
    const short = await w.request('POST', '/v1/users', {
      email: 'pat@luma.example',
      password: 'short',
      roles: [],
    });
    assert.equal(short.status, 400);
    assert.equal(short.body.error.issues[0].path, 'body.password');

    assert.equal(
      (await w.request('PUT', '/v1/roles/viewer', { title: 'Mine', permissions: [] })).status,
      409,
    );
    assert.equal((await w.request('DELETE', '/v1/roles/admin')).status, 409);
    const badPerm = await w.request('PUT', '/v1/roles/fin', {
      title: 'Finance',
      permissions: ['journeys.fly'],
    });
    assert.equal(badPerm.status, 400);
    assert.equal(badPerm.body.error.issues[0].path, 'body.permissions.0');
    assert.equal(
      (
        await w.request('PUT', '/v1/roles/finance-editor', {
          name: 'finance-editor',
          title: 'Finance editor',
          permissions: ['content.view', 'content.manage'],
          labels: ['finance'],
        })
      ).status,
      200,
    );
    const pat = await w.request('POST', '/v1/users', {
      email: 'pat@luma.example',
      password: PASSWORD,
      roles: [{ role: 'finance-editor', sandboxes: ['prod'] }],
    });
    assert.equal(pat.status, 201);
    const roles = await w.request('GET', '/v1/roles');
    assert.equal(
      roles.body.items.find((r: { name: string }) => r.name === 'finance-editor').holders,
      1,
    );
    const inUse = await w.request('DELETE', '/v1/roles/finance-editor');
    assert.equal(inUse.status, 409);
    assert.equal(inUse.body.error.code, 'in_use');
    assert.deepEqual(inUse.body.error.details.usedBy.users, ['pat@luma.example']);
    assert.equal((await w.request('DELETE', `/v1/users/${pat.body.id}`)).status, 204);
    assert.equal((await w.request('DELETE', '/v1/roles/finance-editor')).status, 204);

    // A user manager who is not an admin cannot make an admin.
    assert.equal(
      (
        await w.request('PUT', '/v1/roles/people-manager', {
          title: 'People manager',
          permissions: ['users.manage', 'journeys.view'],
        })
      ).status,
      200,
    );
    const mgrKey = (
      await w.request('POST', '/v1/api-keys', {
        name: 'HR sync',
        role: 'people-manager',
        sandboxes: ['prod'],
      })
    ).body.key;
    const asMgr = { authorization: `Bearer ${mgrKey}` };
    const up = await w.request(
      'POST',
      '/v1/users/invitations',
      { email: 'boss@luma.example', roles: [{ role: 'admin', sandboxes: ['prod'] }] },
      asMgr,
    );
    assert.equal(up.status, 403);
    assert.equal(up.body.error.details.code, 'escalation');
    const ok = await w.request(
      'POST',
      '/v1/users/invitations',
      { email: 'reader@luma.example', roles: [{ role: 'people-manager', sandboxes: ['prod'] }] },
      asMgr,
    );
    assert.equal(ok.status, 201);
  } finally {
    await w.close();
  }
});
