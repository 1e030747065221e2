// A campaign's send survives a crash: a real `waymark serve` SIGKILLed in the middle of a
// 400-profile campaign is restarted, resumes the read where its committed cursor left it, and
// finishes; every member is entered once (one message record each), and the SMTP server sees a
// profile twice only for a send the delivery log flags as resent after the crash (the documented
// window of a few milliseconds per send, README "Delivery is at least once").
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnWarmServer } from '../../bench/warm-server.ts';
import { api, freePort, until, type ServerProcess } from '../support/process.ts';
import { recordingSmtp } from './support.ts';

const N = 400;
const address = (i: number): string => `crash${String(i).padStart(4, '0')}@luma.example`;

async function upload(s: ServerProcess, csv: string): Promise<void> {
  const res = await fetch(`${s.url}/v1/audiences/Crash%20shoppers/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.key}`, 'content-type': 'text/csv' },
    body: csv,
  });
  if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
}

test(
  'a SIGKILL in the middle of a send: the campaign resumes and finishes, nobody entered twice',
  { timeout: 400_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-campaign-crash-'));
    const smtp = await recordingSmtp();
    const port = await freePort();
    const args = ['--allow-hosts', '127.0.0.1', '--smtp-port', String(await freePort())];
    const spawned = [spawnWarmServer(args, dir, port), spawnWarmServer(args, dir, port)];
    try {
      let server = await spawned[0]!.start();
      const ok = (r: { status: number; body: unknown }, what: string): void =>
        assert.ok(r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
      ok(
        await api(server, 'POST', '/v1/channel-configurations', {
          channel: 'email',
          name: 'CampaignMail',
          fromName: 'Luma',
          fromAddress: 'news@luma.example',
          smtp: { host: '127.0.0.1', port: smtp.port, secure: 'none' },
        }),
        'channel configuration',
      );
      ok(
        await api(server, 'POST', '/v1/audiences', {
          name: 'Crash shoppers',
          origin: 'uploaded',
          namespace: 'Email',
        }),
        'audience',
      );
      await upload(server, ['id', ...Array.from({ length: N }, (_, i) => address(i))].join('\n'));
      ok(
        await api(server, 'POST', '/v1/campaigns', {
          id: 'crash-sale',
          name: 'Crash sale',
          type: 'scheduled',
          action: {
            channel: 'email',
            configuration: 'CampaignMail',
            content: { subject: 'Sale', html: '<p>Sale</p>' },
          },
          audience: { audience: 'Crash shoppers', namespace: 'Email' },
          throttle: { ratePerSecond: 40 },
        }),
        'campaign',
      );
      ok(await api(server, 'POST', '/v1/campaigns/crash-sale/activate'), 'activate');
      await until('a quarter sent', () => smtp.mails.length >= N / 4, 120_000, 10);
      await spawned[1]!.loaded;
      await server.kill('SIGKILL');
      const atKill = smtp.mails.length;
      assert.ok(atKill < N, `${atKill} sent when killed`);
      server = await spawned[1]!.start();
      const report = await until(
        'the campaign completed',
        async () => {
          const r = (await api(server, 'GET', '/v1/campaigns/crash-sale/report')).body;
          return r.status === 'completed' && r.totals.sent === N ? r : null;
        },
        300_000,
        250,
      );
      assert.equal(report.totals.targeted, N, 'every member entered once');
      const messages = (
        await api(server, 'GET', '/v1/messages?journey=campaign:crash-sale&limit=1000')
      ).body.items as Array<{ recipient: string; payload: { resentAfterCrash?: boolean } }>;
      assert.equal(messages.length, N, 'one message record per member');
      assert.equal(new Set(messages.map((m) => m.recipient)).size, N);
      const counts = smtp.countsByRecipient();
      for (let i = 0; i < N; i++) assert.ok(counts.has(address(i)), `${address(i)} got the mail`);
      const resent = new Set(
        messages.filter((m) => m.payload.resentAfterCrash).map((m) => m.recipient),
      );
      const twice = [...counts].filter(([, n]) => n > 1).map(([to]) => to);
      for (const to of twice)
        assert.ok(resent.has(to), `${to} got the mail twice without a resend after the crash`);
      assert.ok(twice.length <= 16, `${twice.length} duplicates: at most the sends in flight`);
    } finally {
      for (const s of spawned) await s.stop();
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
