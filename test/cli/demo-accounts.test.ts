// `waymark serve --demo` as a user runs it: one user per built-in role, passwords in
// <data>/demo-users.txt (0600) and the banner saying where (never the passwords); account emails go
// through the email channel configuration WAYMARK_SYSTEM_EMAIL_CONFIGURATION names, here to a real
// SMTP server of the test's own: the reset link's token sets a new password and the person signs in.
// Before that configuration exists, an invitation still stands and answers its link.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startDevSmtpServer, type DevMail } from '../../src/channels/email/index.ts';
import { api, freePort, spawnServer, until } from '../support/process.ts';

test('serve --demo: demo users in demo-users.txt, and a password reset emailed through the configured channel', async () => {
  const mails: DevMail[] = [];
  const smtp = await startDevSmtpServer({
    port: 0,
    closeTimeoutMs: 200,
    onMessage: (m) => {
      mails.push(m);
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'waymark-demo-accounts-'));
  const spawned = await spawnServer(
    [
      '--demo',
      '--smtp-port',
      '0',
      '--loyalty-port',
      '0',
      '--allow-hosts',
      `127.0.0.1:${smtp.port}`,
    ],
    dir,
    await freePort(),
    { WAYMARK_SYSTEM_EMAIL_CONFIGURATION: 'prod/AccountMail' },
  );
  const server = await spawned.ready();
  try {
    const file = join(dir, 'demo-users.txt');
    // The demo users' line is written after the "running at" banner that ready() waits for: on a
    // loaded machine it can arrive in a later chunk of the output.
    await spawned.waitFor(`passwords in ${file}`, 10_000).catch(() => undefined);
    const out = server.output();
    assert.ok(out.includes(`passwords in ${file}`), out);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const rows = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.trim().split(/\s+/));
    assert.deepEqual(
      rows.map((r) => r[1]),
      [
        'admin@demo.waymark.local',
        'journeys@demo.waymark.local',
        'content@demo.waymark.local',
        'audiences@demo.waymark.local',
        'viewer@demo.waymark.local',
        'ingest@demo.waymark.local',
      ],
    );
    for (const r of rows) assert.equal(out.includes(r[2]!), false, 'no password on stdout');
    const signIn = (email: string, password: string) =>
      fetch(`${server.url}/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
    assert.equal(
      (await signIn(rows[4]![1]!, rows[4]![2]!)).status,
      200,
      "the viewer signs in with the file's password",
    );

    // No such configuration yet: the invitation stands, its link answered to the admin.
    const invited = await api(server, 'POST', '/v1/users/invitations', {
      email: 'new.hire@luma.example',
      roles: [{ role: 'viewer', sandboxes: ['prod'] }],
    });
    assert.equal(invited.status, 201);
    assert.equal(invited.body.emailed, false);
    assert.match(invited.body.acceptUrl, /\/accept-invitation\?token=/);

    const put = await api(server, 'PUT', '/v1/channel-configurations/AccountMail', {
      channel: 'email',
      name: 'AccountMail',
      fromName: 'Waymark',
      fromAddress: 'accounts@luma.example',
      smtp: { host: '127.0.0.1', port: smtp.port, secure: 'none' },
    });
    assert.ok(put.status === 200 || put.status === 201, JSON.stringify(put.body));
    const asked = await fetch(`${server.url}/v1/password-reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'viewer@demo.waymark.local' }),
    });
    assert.equal(asked.status, 202);
    const mail = await until('the reset email at the SMTP server', async () =>
      mails.find((m) => m.to.includes('viewer@demo.waymark.local')),
    );
    assert.equal(mail.subject, 'Reset your Waymark password');
    assert.equal(mail.from, 'accounts@luma.example');
    const token = decodeURIComponent(
      /\/reset-password\?token=([A-Za-z0-9_%-]+)/.exec(mail.text)![1]!,
    );
    const done = await fetch(`${server.url}/v1/password-reset/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, password: 'my own viewer password' }),
    });
    assert.equal(done.status, 200, await done.text());
    assert.equal((await signIn('viewer@demo.waymark.local', rows[4]![2]!)).status, 401);
    assert.equal((await signIn('viewer@demo.waymark.local', 'my own viewer password')).status, 200);
  } finally {
    await server.kill('SIGKILL');
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
