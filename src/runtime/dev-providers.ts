// Development providers, so a laptop sends real protocol traffic with no accounts: an SMTP server,
// an APNs (h2c) and FCM v1 endpoint, and a Twilio-compatible SMS API, all on 127.0.0.1, each
// keeping what it receives for the development inbox.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DevInbox, startDevSmtpServer, type DevSmtpServer } from '../channels/email/index.ts';
import { startDevPushServer, type DevPush, type DevPushServer } from '../channels/push/index.ts';
import { startDevSmsServer, type DevSms, type DevSmsServer } from '../channels/sms/dev-server.ts';

export interface DevProviders {
  readonly email: DevInbox;
  readonly push: DevPush[];
  readonly sms: DevSms[];
  readonly smtp: { readonly host: string; readonly port: number };
  /** Ready-made settings for channel configurations that use these providers. */
  readonly pushSettings: {
    apns: { keyId: string; teamId: string; bundleId: string; p8Key: string; host: string };
    fcm: {
      projectId: string;
      baseUrl: string;
      serviceAccount: { client_email: string; private_key: string; token_uri: string };
    };
  };
  readonly smsSettings: { accountSid: string; authToken: string; from: string; baseUrl: string };
  /** Allow-list entries for exactly these servers (`127.0.0.1:<port>` each), for the sandboxes that use them. */
  readonly allowHosts: readonly string[];
  /** Servers whose asked-for port was taken and that listen on a free one instead. */
  readonly fallbacks: readonly PortFallback[];
  close(): Promise<void>;
}

/** A development server that found its port taken (another Waymark, a mail catcher) and took a free one. */
export interface PortFallback {
  readonly server: string;
  readonly wanted: number;
  readonly port: number;
}

const portTaken = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === 'EADDRINUSE';

/**
 * Starts a development server on `port`, or on a free port when that one is taken: a laptop that
 * already runs another Waymark or a mail catcher still starts. `portOf` reads the port bound.
 */
export async function listenOrFallback<T>(
  server: string,
  port: number,
  start: (port: number) => Promise<T>,
  portOf: (t: T) => number,
  fallbacks: PortFallback[],
): Promise<T> {
  try {
    return await start(port);
  } catch (e) {
    if (port === 0 || !portTaken(e)) throw e;
    const t = await start(0);
    fallbacks.push({ server, wanted: port, port: portOf(t) });
    return t;
  }
}

const MAX_KEPT = 500;
const keep =
  <T>(list: T[]) =>
  (item: T): void => {
    list.unshift(item);
    if (list.length > MAX_KEPT) list.length = MAX_KEPT;
  };

/** The development providers' credentials: keys the push server checks tokens with, and the SMS account. */
interface DevCredentials {
  readonly apnsKey: string;
  readonly fcmKey: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** The push server's ports of the last start, taken again when free (the demo's settings name them). */
  readonly apnsPort?: number;
  readonly fcmPort?: number;
}

/**
 * The push servers' signing keys, made once per process: an RSA key takes a few hundred
 * milliseconds of CPU, and a process that starts the development providers several times (the
 * test suite, hundreds of times) needs no new pair each time. A data folder keeps its own
 * (credentialsFile), so a restarted server keeps the keys its demo settings name.
 */
let processKeys: { readonly apnsKey: string; readonly fcmKey: string } | undefined;

function newCredentials(): DevCredentials {
  processKeys ??= {
    apnsKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
    fcmKey: generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
  };
  return {
    ...processKeys,
    accountSid: `AC${randomBytes(16).toString('hex')}`,
    authToken: randomBytes(16).toString('hex'),
  };
}

function isCredentials(v: unknown): v is DevCredentials {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return ['apnsKey', 'fcmKey', 'accountSid', 'authToken'].every((k) => typeof r[k] === 'string');
}

/**
 * The credentials kept in `file` (made there, owner-only, on the first start), so that a restart
 * neither spends the time to make keys again nor changes the demo's channel settings; fresh ones
 * without a file. A file that is not ours is replaced, since these are development keys only.
 */
function credentialsFrom(file: string | undefined): DevCredentials {
  if (file === undefined) return newCredentials();
  if (existsSync(file)) {
    try {
      const kept: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (isCredentials(kept)) return kept;
    } catch {
      // replaced below
    }
  }
  const made = newCredentials();
  writeFileSync(file, `${JSON.stringify(made)}\n`, { mode: 0o600 });
  return made;
}

export async function startDevProviders(opts: {
  smtpPort: number;
  host?: string;
  /** Where the credentials are kept between starts (the data folder's dev-providers.json). */
  credentialsFile?: string;
}): Promise<DevProviders> {
  const email = new DevInbox(MAX_KEPT);
  const push: DevPush[] = [];
  const sms: DevSms[] = [];
  const credentials = credentialsFrom(opts.credentialsFile);
  const { apnsKey, fcmKey, accountSid, authToken } = credentials;
  let smtp: DevSmtpServer | null = null;
  let pushServer: DevPushServer | null = null;
  let smsServer: DevSmsServer | null = null;
  const fallbacks: PortFallback[] = [];
  try {
    smtp = await listenOrFallback(
      'development SMTP server',
      opts.smtpPort,
      (port) =>
        startDevSmtpServer({
          port,
          ...(opts.host ? { host: opts.host } : {}),
          onMessage: email.add,
        }),
      (x) => x.port,
      fallbacks,
    );
    pushServer = await startDevPushServer({
      apnsKey,
      fcmKey,
      onMessage: keep(push),
      ...(credentials.apnsPort ? { apnsPort: credentials.apnsPort } : {}),
      ...(credentials.fcmPort ? { fcmPort: credentials.fcmPort } : {}),
    });
    if (opts.credentialsFile !== undefined) {
      const ports = {
        apnsPort: Number(new URL(pushServer.apnsUrl).port),
        fcmPort: Number(new URL(pushServer.fcmUrl).port),
      };
      if (ports.apnsPort !== credentials.apnsPort || ports.fcmPort !== credentials.fcmPort)
        writeFileSync(opts.credentialsFile, `${JSON.stringify({ ...credentials, ...ports })}\n`, {
          mode: 0o600,
        });
    }
    smsServer = await startDevSmsServer({ port: 0, accountSid, authToken, onMessage: keep(sms) });
  } catch (e) {
    await Promise.all([smtp?.close(), pushServer?.close(), smsServer?.close()]);
    throw e;
  }
  const s = smtp,
    p = pushServer,
    m = smsServer;
  return {
    email,
    push,
    sms,
    smtp: { host: s.host, port: s.port },
    pushSettings: {
      apns: {
        keyId: 'DEVKEY0001',
        teamId: 'DEVTEAM001',
        bundleId: 'com.luma.dxdemoapp',
        p8Key: apnsKey,
        host: p.apnsUrl,
      },
      fcm: {
        projectId: 'luma-dxdemoapp',
        baseUrl: p.fcmUrl,
        serviceAccount: {
          client_email: 'waymark-dev@luma-dxdemoapp.iam.example',
          private_key: fcmKey,
          token_uri: p.tokenUri,
        },
      },
    },
    smsSettings: { accountSid, authToken, from: '+15005550006', baseUrl: m.baseUrl },
    allowHosts: [
      `${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`,
      ...[p.apnsUrl, p.fcmUrl, p.tokenUri, m.baseUrl].map((u) => new URL(u).host),
    ],
    fallbacks,
    async close() {
      await Promise.all([s.close(), p.close(), m.close()]);
    },
  };
}
