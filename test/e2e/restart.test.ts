// The server is killed (SIGKILL) while profiles wait on a timeout, then restarted: every timer
// fires exactly once, no message is sent twice, nothing is lost.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { api, freePort, startServer, until } from '../support/process.ts';

const PROFILES = 30;

const pkg = (smtpPort: number) => ({
  format: 'waymark.package/v1',
  name: 'restart test',
  objects: [
    {
      kind: 'eventType',
      spec: {
        name: 'Ping',
        identity: { path: 'email', namespace: 'Email' },
        schema: { type: 'object', required: ['email'], properties: { email: { type: 'string' } } },
      },
    },
    {
      kind: 'eventType',
      spec: {
        name: 'Pong',
        identity: { path: 'email', namespace: 'Email' },
        schema: { type: 'object', required: ['email'], properties: { email: { type: 'string' } } },
      },
    },
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
            timeout: { duration: 'PT3S', next: ['nudge'] },
          },
          {
            id: 'nudge',
            kind: 'email',
            label: 'Nudge',
            configuration: 'Mail',
            content: { subject: 'Still there?', html: '<p>{{profile.person.name.firstName}}</p>' },
            next: [],
          },
        ],
      },
    },
  ],
});

test('timers survive a SIGKILL and fire exactly once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-restart-'));
  const port = await freePort();
  const smtpPort = await freePort();
  let server = await startServer(['--smtp-port', String(smtpPort)], dir, port);
  try {
    const applied = await api(server, 'POST', '/v1/packages/apply', pkg(smtpPort));
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    const events = Array.from({ length: PROFILES }, (_, i) => ({
      id: `ping-${i}`,
      type: 'Ping',
      payload: { email: `p${i}@example.com` },
    }));
    const sent = await api(server, 'POST', '/v1/events', events);
    assert.equal(sent.body.accepted, PROFILES);
    await server.kill('SIGKILL');

    server = await startServer(['--smtp-port', String(smtpPort)], dir, port);
    // The same events again after the crash: already processed, so ignored.
    const resent = await api(server, 'POST', '/v1/events', events);
    assert.equal(resent.body.duplicates, PROFILES);
    const messages = await until('every nudge', async () => {
      const r = await api(server, 'GET', '/v1/messages?journey=nudge&limit=1000');
      return r.body.items.length >= PROFILES ? r.body.items : null;
    });
    await new Promise((r) => setTimeout(r, 1500));
    const final = (await api(server, 'GET', '/v1/messages?journey=nudge&limit=1000')).body
      .items as Array<{ profileId: string; label: string }>;
    assert.equal(final.length, PROFILES, 'no message twice');
    assert.equal(new Set(final.map((m) => m.profileId)).size, PROFILES, 'one per profile');
    assert.equal(messages.length, PROFILES);
    const report = await api(server, 'GET', '/v1/journeys/nudge/report');
    const pong = report.body.versions[0].activities.find((a: { id: string }) => a.id === 'pong');
    assert.equal(pong.timeouts, PROFILES, 'each timer fired once');
    assert.equal(report.body.total.entered, PROFILES);
    assert.equal(report.body.total.exited, PROFILES);
  } finally {
    await server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
