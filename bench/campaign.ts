// Campaigns (issue 17): `campaign.send.throughput`, a scheduled campaign to an audience of
// `profiles` members, each message rendered and handed to a local SMTP server, against nodemailer
// alone sending the same messages, pre-rendered, to the same server through the same pool in the
// same run (target ratio ≥ 0.5); `campaign.send.cpu`, the process's CPU seconds per 1,000
// messages of that run against the baseline's; `campaign.send.rate`, a throttled campaign's
// measured rate on the real clock against its configured rate (within 5%); and
// `campaign.send.rate.<r>`, the same at AJO-scale rates (200/s, AJO's floor, and 1,000/s), each
// run `rateSeconds` long. A rate above what this machine can send at all (its ceiling: the
// unthrottled throughput measured in the same run) is reported NOT REACHABLE HERE with that
// ceiling, not as a miss.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { compileMessage } from '../src/content/index.ts';
import { smtpPoolOptions } from '../src/channels/email/index.ts';
import { channelConfigurationSchema } from '../src/model/channel-configuration.ts';
import { messageContentSchema } from '../src/model/message-content.ts';
import { createWaymark, type Waymark } from '../src/runtime/app.ts';
import { ManualClock, systemClock, type Clock } from '../src/runtime/clock.ts';
import type { MembershipRow, ProfileWrite } from '../src/store/ports.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { figure, type Figure } from './figures.ts';

const CONTENT = {
  subject: 'Spring Sale, {{profile.person.name.firstName}}',
  html: '<h1>Spring Sale</h1><p>Hello {{profile.person.name.firstName}}, 20% off the spring collection until Sunday.</p><p><a href="https://luma.example/spring">Shop now</a></p>',
};

interface Sink {
  readonly port: number;
  received(): number;
  close(): Promise<void>;
}

/** A local SMTP server that accepts and counts (the body read, not parsed). */
async function smtpSink(): Promise<Sink> {
  let received = 0;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 200,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        received++;
        callback();
      });
      stream.resume();
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const firstName = (i: number): string => `Shopper${i % 1000}`;

/** A Waymark on a SQLite file with `n` audience members and a campaign configuration pointed at the sink. */
async function world(
  n: number,
  sink: Sink,
  clock: Clock,
  dir: string,
): Promise<{ app: Waymark; store: SqliteStore }> {
  const store = new SqliteStore(join(dir, `bench-${n}-${Date.now()}.db`));
  const app = createWaymark({ store, clock, allowHosts: ['127.0.0.1'] });
  await app.objects.put('prod', 'channelConfiguration', {
    channel: 'email',
    name: 'BenchMail',
    fromName: 'Luma',
    fromAddress: 'news@luma.example',
    smtp: { host: '127.0.0.1', port: sink.port, secure: 'none' },
  });
  await app.objects.put('prod', 'audience', {
    name: 'Bench shoppers',
    origin: 'uploaded',
    namespace: 'Email',
  });
  const at = new Date(clock.now()).toISOString();
  for (let from = 0; from < n; from += 20_000) {
    const profiles: ProfileWrite[] = [];
    const memberships: MembershipRow[] = [];
    for (let i = from; i < Math.min(n, from + 20_000); i++) {
      const id = `p${String(i).padStart(7, '0')}`;
      profiles.push({
        sandbox: 'prod',
        id,
        attributes: { person: { name: { firstName: firstName(i) } } },
        testProfile: false,
        identities: [{ namespace: 'Email', id: `${id}@luma.example` }],
        createdAt: at,
        updatedAt: at,
      });
      memberships.push({
        sandbox: 'prod',
        profileId: id,
        audience: 'Bench shoppers',
        status: 'realized',
        realizedAt: clock.now(),
        exitedAt: null,
      });
    }
    await store.commit({ profiles, memberships });
  }
  return { app, store };
}

async function campaign(app: Waymark, ratePerSecond: number): Promise<void> {
  await app.campaigns.create('prod', 'bench', {
    name: 'Bench',
    type: 'scheduled',
    action: { channel: 'email', configuration: 'BenchMail', content: CONTENT },
    audience: { audience: 'Bench shoppers', namespace: 'Email' },
    throttle: { ratePerSecond },
  });
  await app.campaigns.activate('prod', 'bench');
}

/** Messages a second, and the process's CPU seconds (user + system) over the same span. */
interface SendRun {
  readonly rate: number;
  readonly cpuSeconds: number;
}

const cpuSince = (start: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
};

/** The campaign's throughput: the read's rate lifted by a virtual clock, so rendering and SMTP set the pace. */
async function campaignThroughput(n: number, dir: string): Promise<SendRun> {
  const sink = await smtpSink();
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  const { app } = await world(n, sink, clock, dir);
  try {
    await campaign(app, 2000);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    while (sink.received() < n) {
      clock.advance(10_000);
      await app.engine.settle();
      if (performance.now() - t0 > 1_800_000) throw new Error('the campaign did not finish');
    }
    return { rate: n / ((performance.now() - t0) / 1000), cpuSeconds: cpuSince(cpu0) };
  } finally {
    await app.close();
    await sink.close();
  }
}

/** nodemailer alone: the same messages, rendered before the clock starts, through the same pool settings, 16 at a time. */
async function nodemailerBaseline(n: number): Promise<SendRun> {
  const sink = await smtpSink();
  const parsed = messageContentSchema.parse({ channel: 'email', ...CONTENT });
  const compiled = await compileMessage(parsed, {
    fragment: () => undefined,
    contentTemplate: () => undefined,
    languageSettings: () => undefined,
    asset: () => undefined,
    renditionUrl: () => '',
  });
  if (!compiled.ok) throw new Error('the bench content does not compile');
  const rendered: Array<{ to: string; subject: string; html: string; text: string }> = [];
  for (let i = 0; i < n; i++) {
    const r = compiled.message.render({
      profile: { person: { name: { firstName: firstName(i) } } },
      context: { journey: { events: {}, actions: {}, technicalProperties: {} } },
      audiences: {},
      now: 0,
    });
    if (!r.ok || r.channel !== 'email') throw new Error('the bench content does not render');
    rendered.push({
      to: `p${String(i).padStart(7, '0')}@luma.example`,
      subject: r.subject,
      html: r.html,
      text: r.text,
    });
  }
  const config = channelConfigurationSchema.parse({
    channel: 'email',
    name: 'BenchMail',
    fromAddress: 'news@luma.example',
    smtp: { host: '127.0.0.1', port: sink.port, secure: 'none' },
  });
  if (config.channel !== 'email') throw new Error('unreachable');
  const transport = nodemailer.createTransport(smtpPoolOptions(config.smtp!));
  try {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < rendered.length) {
        const m = rendered[next++]!;
        await transport.sendMail({ from: 'Luma <news@luma.example>', ...m });
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    return { rate: n / ((performance.now() - t0) / 1000), cpuSeconds: cpuSince(cpu0) };
  } finally {
    transport.close();
    await sink.close();
  }
}

/** A throttled campaign on the real clock: messages per second between the first and the last send. */
async function measuredRate(n: number, rate: number, dir: string): Promise<number> {
  const sink = await smtpSink();
  const { app } = await world(n, sink, systemClock, dir);
  try {
    app.engine.start(20);
    await campaign(app, rate);
    const t0 = performance.now();
    let first: number | null = null;
    while (sink.received() < n) {
      if (first === null && sink.received() > 0) first = performance.now();
      await new Promise((r) => setTimeout(r, 5));
      if (performance.now() - t0 > 600_000)
        throw new Error('the throttled campaign did not finish');
    }
    // n - 1 intervals between the first and the last message.
    return (n - 1) / ((performance.now() - (first ?? t0)) / 1000);
  } finally {
    await app.close();
    await sink.close();
  }
}

/** A throttled run's figure: within 5% of the configured rate, or NOT REACHABLE HERE above the ceiling. */
function rateFigure(
  name: string,
  measured: number,
  configured: number,
  ceiling: number,
  note: string,
): Figure {
  return figure({
    name,
    value: measured,
    unit: 'messages/s',
    baseline: { name: 'configured rate', value: configured, unit: 'messages/s' },
    targets: [
      { op: '>=', value: 0.95, of: 'ratio' },
      { op: '<=', value: 1.05, of: 'ratio' },
    ],
    ceiling: {
      value: Math.max(ceiling, measured),
      unit: 'messages/s',
      below: Math.max(ceiling, measured) < configured * 0.95,
    },
    note,
  });
}

export async function benchCampaigns(opts: {
  profiles: number;
  rate: number;
  rateProfiles: number;
  /** The throttles of the runs at scale, messages a second. */
  rates?: readonly number[];
  /** How long each of those runs sends, seconds (the members: rate × seconds). */
  rateSeconds?: number;
  log?: (line: string) => void;
}): Promise<Figure[]> {
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-campaign-'));
  try {
    const baseline = await nodemailerBaseline(opts.profiles);
    log(`nodemailer alone: ${Math.round(baseline.rate)} messages/s`);
    const throughput = await campaignThroughput(opts.profiles, dir);
    log(`campaign: ${Math.round(throughput.rate)} messages/s`);
    const perThousand = (r: SendRun): number => (r.cpuSeconds / opts.profiles) * 1000;
    const ceiling = throughput.rate;
    const rate = await measuredRate(opts.rateProfiles, opts.rate, dir);
    log(`throttled at ${opts.rate}/s: ${rate.toFixed(1)} messages/s`);
    const figures = [
      figure({
        name: 'campaign.send.throughput',
        value: throughput.rate,
        unit: 'messages/s',
        baseline: {
          name: 'nodemailer alone, pre-rendered',
          value: baseline.rate,
          unit: 'messages/s',
        },
        targets: [{ op: '>=', value: 0.5, of: 'ratio' }],
        note: `${opts.profiles} profiles read, rendered and handed to a local SMTP server (virtual clock: the throttle does not bind)`,
      }),
      figure({
        name: 'campaign.send.cpu',
        value: perThousand(throughput),
        unit: 'CPU s / 1,000 messages',
        baseline: {
          name: 'nodemailer alone, pre-rendered',
          value: perThousand(baseline),
          unit: 'CPU s / 1,000 messages',
        },
        note: `process CPU (user + system) over the campaign.send.throughput run; the local SMTP server runs in the same process, in both`,
      }),
      rateFigure(
        'campaign.send.rate',
        rate,
        opts.rate,
        ceiling,
        `${opts.rateProfiles} profiles on the real clock, first to last message`,
      ),
    ];
    const seconds = opts.rateSeconds ?? 5;
    for (const r of opts.rates ?? []) {
      const n = Math.max(2, Math.round(r * seconds));
      const measured = await measuredRate(n, r, dir);
      const f = rateFigure(
        `campaign.send.rate.${r}`,
        measured,
        r,
        ceiling,
        `${n} profiles (${seconds} s at ${r}/s) on the real clock, first to last message; ceiling: campaign.send.throughput`,
      );
      log(
        `throttled at ${r}/s: ${measured.toFixed(1)} messages/s${f.notReachable ? ` (NOT REACHABLE HERE: ceiling ${Math.round(ceiling)}/s)` : ''}`,
      );
      figures.push(f);
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
