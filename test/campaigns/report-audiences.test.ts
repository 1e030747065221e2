// "Create audience" from a campaign report's cell: a campaign to 12 profiles where two bounce, four
// open, two of them click, one unsubscribes and four are excluded (two without consent, one without
// an address, one suppressed); each cell becomes an audience of exactly the profiles it counts, by
// API and by CLI. Real SMTP on loopback (refusing two addresses), real tracking links and pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { registerCampaignCommands } from '../../src/cli/commands/campaigns.ts';
import { campaignAudienceAnswer } from '../../src/isomorphic/api/campaigns.ts';
import { cliRunner } from '../support/cli.ts';
import { PUBLIC_URL, T0 } from '../support/luma.ts';
import { ROLE_KEYS, type ApiWorld } from '../support/server.ts';
import {
  addressOf,
  advance,
  campaignWorld,
  emailContent,
  seedAudience,
  type MemberKind,
} from './support.ts';

const HOUR = 3_600_000;
const pid = (i: number): string => `p${String(i).padStart(5, '0')}`;
const pids = (...is: number[]): string[] => is.map(pid);

/** p0-p7 sendable (p6, p7 refused by the server: bounces); p8, p9 no consent; p10 no address; p11 suppressed. */
const kindOf = (i: number): MemberKind =>
  i === 8 || i === 9 ? 'noConsent' : i === 10 ? 'noAddress' : i === 11 ? 'suppressed' : 'plain';
const REFUSED = new Set([addressOf(6), addressOf(7)]);

interface Received {
  readonly html: string;
  readonly unsubscribe: string;
}

/** An SMTP server on loopback that refuses the REFUSED addresses for good (550) and keeps each mail's HTML. */
async function trackingSmtp(): Promise<{
  mails: Map<string, Received>;
  port: number;
  close(): Promise<void>;
}> {
  const mails = new Map<string, Received>();
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 200,
    onRcptTo(address, _session, cb) {
      if (REFUSED.has(address.address.toLowerCase()))
        cb(Object.assign(new Error('5.1.1 no such mailbox'), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream).then((mail) => {
        const header = mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
        for (const r of session.envelope.rcptTo)
          mails.set(r.address.toLowerCase(), {
            html: typeof mail.html === 'string' ? mail.html : '',
            unsubscribe: /<(http[^>]+)>/.exec(header)?.[1] ?? '',
          });
        cb();
      }, cb);
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    mails,
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const local = (url: string): string => url.slice(PUBLIC_URL.length);

async function openAndClick(
  w: ApiWorld,
  mails: Map<string, Received>,
  opens: number[],
  clicks: number[],
  unsubscribes: number[],
) {
  const mail = (i: number): Received => {
    const m = mails.get(addressOf(i));
    assert.ok(m, `profile ${i} got the mail`);
    return m;
  };
  for (const i of opens) {
    const pixel = /src="([^"]+\/t\/o\/[^"]+)"/.exec(mail(i).html)?.[1];
    assert.ok(pixel, `an open pixel in ${mail(i).html}`);
    assert.equal((await w.server.inject({ method: 'GET', url: local(pixel) })).statusCode, 200);
  }
  for (const i of clicks) {
    const link = /href="([^"]+\/t\/c\/[^"]+)"/.exec(mail(i).html)?.[1];
    assert.ok(link, 'a tracked link');
    assert.equal((await w.server.inject({ method: 'GET', url: local(link) })).statusCode, 302);
  }
  for (const i of unsubscribes) {
    const r = await w.server.inject({
      method: 'POST',
      url: local(mail(i).unsubscribe),
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.statusCode, 200);
  }
  await w.app.engine.settle();
}

async function members(w: ApiWorld, audience: string): Promise<string[]> {
  const r = await w.request('GET', `/v1/audiences/${encodeURIComponent(audience)}/members`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return (r.body.items as Array<{ profileId: string; status: string }>)
    .filter((m) => m.status === 'realized')
    .map((m) => m.profileId)
    .sort();
}

test('every cell of a campaign report becomes an audience of exactly the profiles it counts', async () => {
  const w = await campaignWorld();
  const smtp = await trackingSmtp();
  try {
    const cfg = await w.request('POST', '/v1/channel-configurations', {
      channel: 'email',
      name: 'TrackedMail',
      fromName: 'Luma',
      fromAddress: 'news@luma.example',
      smtp: { host: '127.0.0.1', port: smtp.port, secure: 'none' },
    });
    assert.equal(cfg.status, 201, JSON.stringify(cfg.body));
    await seedAudience(w, 'Autumn shoppers', 12, kindOf);
    const created = await w.request('POST', '/v1/campaigns', {
      id: 'autumn',
      name: 'Luma - Autumn',
      type: 'scheduled',
      mode: 'marketing',
      action: {
        channel: 'email',
        configuration: 'TrackedMail',
        content: emailContent(
          'Autumn at Luma',
          '<p>Hello. <a href="https://luma.example/autumn">See the collection</a></p>',
        ),
      },
      audience: { audience: 'Autumn shoppers', namespace: 'ECID' },
      schedule: { kind: 'at', at: new Date(T0 + HOUR).toISOString() },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await w.request('POST', '/v1/campaigns/autumn/activate')).status, 200);
    await advance(w, HOUR + 10_000, 5000);
    assert.equal(smtp.mails.size, 6, 'six accepted, two refused');
    await openAndClick(w, smtp.mails, [0, 1, 2, 3], [1, 2], [3]);

    const report = (await w.request('GET', '/v1/campaigns/autumn/report')).body;
    const t = report.totals;
    assert.deepEqual(
      [t.sent, t.bounced, t.opened, t.clicked, t.unsubscribed, t.excluded, t.errors],
      [8, 2, 4, 2, 1, 4, 0],
      JSON.stringify(t),
    );

    // Each cell, and who it counts.
    const cells: Array<[Record<string, unknown>, string[], number]> = [
      [{ outcome: 'sent' }, pids(0, 1, 2, 3, 4, 5, 6, 7), t.sent],
      [{ outcome: 'delivered' }, t.delivered === 0 ? [] : pids(0, 1, 2, 3, 4, 5), t.delivered],
      [{ outcome: 'bounced' }, pids(6, 7), t.bounced],
      [{ outcome: 'opened' }, pids(0, 1, 2, 3), t.opened],
      [{ outcome: 'clicked', run: 1 }, pids(1, 2), report.runs[0].counts.clicked],
      [{ outcome: 'unsubscribed' }, pids(3), t.unsubscribed],
      [{ outcome: 'excluded' }, pids(8, 9, 10, 11), t.excluded],
      [{ outcome: 'excluded', reason: 'consent' }, pids(8, 9), t.excludedBy.consent],
      [{ outcome: 'excluded', reason: 'missingAddress' }, pids(10), t.excludedBy.missingAddress],
      [{ outcome: 'excluded', reason: 'suppression' }, pids(11), t.excludedBy.suppression],
      [{ outcome: 'excluded', reason: 'capping' }, [], t.excludedBy.capping],
      [{ outcome: 'errors' }, [], t.errors],
    ];
    for (const [cell, expected, count] of cells) {
      const name = `Autumn ${JSON.stringify(cell)}`;
      const r = await w.request('POST', '/v1/campaigns/autumn/audiences', { name, ...cell });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      campaignAudienceAnswer.parse(r.body);
      assert.equal(r.body.size, expected.length, name);
      assert.equal(count, expected.length, `${name}: the report counts them`);
      assert.deepEqual(await members(w, name), expected, name);
    }
    const opened = await w.request(
      'GET',
      '/v1/audiences/Autumn%20%7B%22outcome%22%3A%22opened%22%7D',
    );
    assert.equal(opened.body.spec.origin, 'uploaded', 'a fixed list: no evaluation changes it');
    assert.equal(
      opened.body.spec.description,
      'Profiles of campaign "Luma - Autumn" (autumn): opened, every run',
    );
    const audit = await w.request(
      'GET',
      '/v1/audit-log?action=audience.create-from-campaign-report',
    );
    assert.equal(audit.status, 200);
    assert.ok(
      audit.body.items.some(
        (e: { object?: { key: string }; details?: Record<string, unknown> }) =>
          e.object?.key === 'Autumn {"outcome":"opened"}' &&
          e.details?.['campaign'] === 'autumn' &&
          e.details?.['size'] === 4,
      ),
      JSON.stringify(audit.body.items.slice(0, 2)),
    );

    // The command line.
    const run = cliRunner(
      await w.listen(),
      (program, out) => registerCampaignCommands(program, out),
      () => w.app.engine.settle(),
    );
    assert.equal(
      await run('campaigns', 'audience', 'autumn', 'Autumn clickers', '--outcome', 'clicked'),
      'created audience "Autumn clickers" with 2 members\n',
    );
    assert.deepEqual(await members(w, 'Autumn clickers'), pids(1, 2));
  } finally {
    await w.close();
    await smtp.close();
  }
});

test('a cell the report does not have, a name taken, or a caller without the permissions is refused, and nothing is made', async () => {
  const w = await campaignWorld();
  try {
    await seedAudience(w, 'Spring shoppers', 3);
    const created = await w.request('POST', '/v1/campaigns', {
      id: 'spring',
      name: 'Luma - Spring',
      type: 'scheduled',
      mode: 'marketing',
      action: {
        channel: 'email',
        configuration: 'CampaignMail',
        content: emailContent('Spring', '<p>Spring</p>'),
      },
      audience: { audience: 'Spring shoppers', namespace: 'ECID' },
      schedule: { kind: 'at', at: new Date(T0 + HOUR).toISOString() },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await w.request('POST', '/v1/campaigns/spring/activate')).status, 200);
    await advance(w, HOUR + 5000, 5000);

    const post = (body: unknown, headers: Record<string, string> = {}) =>
      w.request('POST', '/v1/campaigns/spring/audiences', body, headers);
    const issue = (r: { body: { error: { issues?: unknown[] } } }) =>
      r.body.error.issues?.[0] as
        { path: string; expected?: string; received?: string } | undefined;

    const reasonWithSent = await post({ name: 'x', outcome: 'sent', reason: 'consent' });
    assert.equal(reasonWithSent.status, 400, JSON.stringify(reasonWithSent.body));
    assert.deepEqual(
      { ...issue(reasonWithSent) },
      {
        path: 'reason',
        message: 'only the excluded column has reasons',
        expected: 'no reason, or the outcome "excluded"',
        received: 'consent',
      },
    );

    const badOutcome = await post({ name: 'x', outcome: 'read' });
    assert.equal(badOutcome.status, 400);
    assert.equal(issue(badOutcome)?.path, 'outcome');

    const noRun = await post({ name: 'x', outcome: 'sent', run: 2 });
    assert.equal(noRun.status, 400, JSON.stringify(noRun.body));
    assert.deepEqual(
      {
        path: issue(noRun)?.path,
        expected: issue(noRun)?.expected,
        received: issue(noRun)?.received,
      },
      { path: 'run', expected: '1 to 1', received: '2' },
    );

    const noTreatment = await post({ name: 'x', outcome: 'sent', treatment: 'b' });
    assert.equal(noTreatment.status, 400);
    assert.equal(issue(noTreatment)?.path, 'treatment');
    assert.match(issue(noTreatment)?.expected ?? '', /no experiment/);

    const unknown = await w.request('POST', '/v1/campaigns/nope/audiences', {
      name: 'x',
      outcome: 'sent',
    });
    assert.equal(unknown.status, 404);

    const taken = await post({ name: 'Spring shoppers', outcome: 'sent' });
    assert.equal(taken.status, 409, JSON.stringify(taken.body));

    const viewer = await post(
      { name: 'x', outcome: 'sent' },
      { authorization: `Bearer ${ROLE_KEYS.viewer}` },
    );
    assert.equal(viewer.status, 403, 'a viewer may not make audiences');
    // Someone who makes audiences but may not read campaigns may not read a report through one.
    const role = await w.request('PUT', '/v1/roles/audience-builder', {
      title: 'Audience builder',
      description: 'Makes audiences, reads no campaign',
      permissions: ['audiences.manage'],
      labels: ['*'],
    });
    assert.equal(role.status < 300, true, JSON.stringify(role.body));
    const key = await w.request('POST', '/v1/api-keys', {
      name: 'Builder',
      role: 'audience-builder',
      sandboxes: ['prod'],
      expiresAt: null,
    });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    const builder = await post(
      { name: 'x', outcome: 'sent' },
      { authorization: `Bearer ${key.body.key as string}` },
    );
    assert.equal(builder.status, 403, JSON.stringify(builder.body));
    assert.match(builder.body.error.message, /campaigns\.view/);

    const list = await w.request('GET', '/v1/audiences');
    assert.ok(
      !list.body.items.some((a: { name: string }) => a.name === 'x'),
      'no audience was made by a refused request',
    );
    const ok = await post({ name: 'Spring sent', outcome: 'sent', run: 1 });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.size, 3);
  } finally {
    await w.close();
  }
});
