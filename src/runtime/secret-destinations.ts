// Where each secret goes. A "[redacted]" placeholder sent back keeps the stored secret only while
// these fields are unchanged: pointing an object elsewhere (another URL, SMTP host, provider
// endpoint or account) with the placeholder would hand the stored secret to the new destination.
import { readPath } from './paths.ts';

type Body = Record<string, unknown>;

/** The destination fields of each secret path, by object kind (channel configurations by channel). */
const destinations: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  action: {
    'auth.password': ['url', 'auth.kind'],
    'auth.token': ['url', 'auth.kind'],
    'auth.value': ['url', 'auth.kind'],
    'auth.body': ['url', 'auth.kind', 'auth.endpoint'],
    'auth.headers': ['url', 'auth.kind', 'auth.endpoint'],
  },
  // Signs deliveries; never sent anywhere.
  webhook: { secret: [] },
  email: {
    'smtp.auth.pass': ['smtp.host', 'smtp.port', 'smtp.secure'],
    // Signs mail; never sent anywhere.
    'dkim.privateKey': [],
    'sendgrid.apiKey': ['sendgrid.baseUrl'],
    'mailgun.apiKey': ['mailgun.baseUrl', 'mailgun.domain'],
    // Verifies incoming webhooks; never sent anywhere.
    'mailgun.webhookSigningKey': [],
  },
  push: {
    'apns.p8Key': ['apns.host', 'apns.teamId', 'apns.keyId'],
    'fcm.serviceAccount.private_key': [
      'fcm.baseUrl',
      'fcm.projectId',
      'fcm.serviceAccount.token_uri',
    ],
  },
  sms: {
    'twilio.authToken': ['twilio.baseUrl', 'twilio.accountSid'],
    'vonage.apiSecret': ['vonage.baseUrl', 'vonage.apiKey'],
    // Verifies delivery receipts; never sent anywhere.
    'vonage.signatureSecret': [],
  },
};

function tableOf(kind: string, body: Body): Readonly<Record<string, readonly string[]>> {
  if (kind === 'channelConfiguration') return destinations[String(body.channel)] ?? {};
  return destinations[kind] ?? {};
}

/** URLs compare by scheme, host, port and path (a changed query string goes to the same place). */
function normalized(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (/^https?:\/\//i.test(value)) {
    try {
      const u = new URL(value);
      return `${u.origin}${u.pathname}`;
    } catch {
      return value;
    }
  }
  return value.toLowerCase();
}

/** The destination fields of `secretPath` that differ between the stored body and the new one. */
export function changedDestinations(
  kind: string,
  secretPath: string,
  stored: Body,
  next: Body,
): string[] {
  if (kind === 'channelConfiguration' && stored.channel !== next.channel) return ['channel'];
  const fields = tableOf(kind, next)[secretPath] ?? [];
  return fields.filter(
    (f) =>
      JSON.stringify(normalized(readPath(stored, f))) !==
      JSON.stringify(normalized(readPath(next, f))),
  );
}
