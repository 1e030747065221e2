// What the campaign scenarios share: the Luma world behind the API, a real SMTP server that counts
// what it receives per recipient (the campaigns' channel configuration points at it), and an
// audience seeded straight into the store.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { MembershipRow, MessageRecord, ProfileWrite } from '../../src/store/ports.ts';
import { T0 } from '../support/luma.ts';
import { apiWorld, type ApiWorld } from '../support/server.ts';

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface RecordingSmtp {
  readonly port: number;
  readonly mails: Mail[];
  /** Mails received per recipient. */
  countsByRecipient(): Map<string, number>;
  close(): Promise<void>;
}

/** A real SMTP server on loopback that keeps every mail it accepts. */
export async function recordingSmtp(): Promise<RecordingSmtp> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 200,
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        for (const r of session.envelope.rcptTo)
          mails.push({
            to: r.address.toLowerCase(),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
          });
        callback();
      }, callback);
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    countsByRecipient() {
      const m = new Map<string, number>();
      for (const x of mails) m.set(x.to, (m.get(x.to) ?? 0) + 1);
      return m;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface CampaignWorld extends ApiWorld {
  readonly smtp: RecordingSmtp;
}

/**
 * The API world with a `CampaignMail` email configuration (no tracking) sending to a recording SMTP
 * server. `dbPath`: a SQLite file (a second world on the same file is the same server restarted,
 * given the first one's `smtp`, which it keeps open).
 */
export async function campaignWorld(
  opts: { readonly dbPath?: string; readonly smtp?: RecordingSmtp } = {},
): Promise<CampaignWorld> {
  const w = await apiWorld(opts.dbPath ? { store: 'sqlite', dbPath: opts.dbPath } : {});
  const smtp = opts.smtp ?? (await recordingSmtp());
  const r = await w.request('POST', '/v1/channel-configurations', {
    channel: 'email',
    name: 'CampaignMail',
    fromName: 'Luma',
    fromAddress: 'news@luma.example',
    smtp: { host: '127.0.0.1', port: smtp.port, secure: 'none' },
  });
  if (r.status >= 300 && !(opts.smtp && r.status === 409))
    throw new Error(`channel configuration: ${JSON.stringify(r.body)}`);
  return {
    ...w,
    smtp,
    async close() {
      await w.close();
      if (!opts.smtp) await smtp.close();
    },
  };
}

/** How a seeded member differs from a plain one. */
export type MemberKind = 'plain' | 'noConsent' | 'suppressed' | 'noAddress' | 'capped' | 'noEcid';

export const addressOf = (i: number): string => `shopper${String(i).padStart(4, '0')}@luma.example`;

/**
 * Seeds `n` realized members of an uploaded audience, each with an ECID identity (`ecid-<i>`)
 * and an email address, except as `kindOf(i)` says: marketing consent withdrawn, the address
 * known to bounce (suppressed), no address, a message sent an hour ago (capped by a 1-a-day rule
 * set), or no ECID identity at all.
 */
export async function seedAudience(
  w: ApiWorld,
  audience: string,
  n: number,
  kindOf: (i: number) => MemberKind = () => 'plain',
  first = 0,
): Promise<void> {
  const r = await w.request('POST', '/v1/audiences', {
    name: audience,
    origin: 'uploaded',
    namespace: 'ECID',
  });
  if (r.status >= 300 && r.status !== 409) throw new Error(`audience: ${JSON.stringify(r.body)}`);
  const at = new Date(T0).toISOString();
  const profiles: ProfileWrite[] = [];
  const memberships: MembershipRow[] = [];
  const messages: MessageRecord[] = [];
  for (let i = first; i < first + n; i++) {
    const id = `p${String(i).padStart(5, '0')}`;
    const kind = kindOf(i);
    const address = addressOf(i);
    const attributes: Record<string, unknown> = {
      person: { name: { firstName: `Shopper ${i}` } },
      consents: { marketing: { email: kind === 'noConsent' ? 'n' : 'y' } },
      ...(kind === 'noAddress' ? {} : { personalEmail: { address } }),
      ...(kind === 'suppressed'
        ? { undeliverable: { email: { [address.replace(/\./g, '_')]: true } } }
        : {}),
    };
    profiles.push({
      sandbox: 'prod',
      id,
      attributes,
      testProfile: false,
      identities:
        kind === 'noEcid'
          ? [{ namespace: 'Email', id: address }]
          : [{ namespace: 'ECID', id: `ecid-${i}` }],
      createdAt: at,
      updatedAt: at,
    });
    memberships.push({
      sandbox: 'prod',
      profileId: id,
      audience,
      status: 'realized',
      realizedAt: T0,
      exitedAt: null,
    });
    if (kind === 'capped')
      messages.push({
        id: `earlier-${id}`,
        sandbox: 'prod',
        journeyId: null,
        version: null,
        node: null,
        label: 'earlier',
        instanceId: null,
        profileId: id,
        channel: 'email',
        recipient: address,
        status: 'sent',
        reason: null,
        subject: 'earlier',
        body: null,
        text: null,
        payload: { ruleSet: 'Campaign daily cap' },
        createdAt: T0 - 3_600_000,
        updatedAt: T0 - 3_600_000,
      });
  }
  await w.store.commit({ profiles, memberships, messages });
}

/** A channel rule set: at most one email a day to a profile. */
export async function dailyCap(w: ApiWorld): Promise<void> {
  const r = await w.request('POST', '/v1/rule-sets', {
    name: 'Campaign daily cap',
    domain: 'channel',
    status: 'active',
    rules: [{ id: 'one-a-day', channels: ['email'], cap: 1, period: 'daily' }],
  });
  if (r.status >= 300) throw new Error(`rule set: ${JSON.stringify(r.body)}`);
}

export const emailContent = (subject: string, html: string): Record<string, unknown> => ({
  subject,
  html,
});

/** Moves the virtual clock in steps, running what falls due at each. */
export async function advance(w: ApiWorld, ms: number, stepMs = 1000): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    w.clock.advance(Math.min(stepMs, ms - t));
    await w.app.engine.settle();
  }
}
