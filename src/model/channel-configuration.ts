import { z } from 'zod';
import { labelsSchema } from './labels.ts';
import { emailThemeSchema } from './message-content.ts';

// Channel configurations (the lab's "EmailMarketing", "DXDemoApp"): where and how a channel sends.
// Secret fields (listed in `channelSecretPaths`) are stored encrypted (src/channels/secrets.ts) and
// never returned or logged: API answers go through `redact()`.

const configurationName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_ -]{0,99}$/, 'letters, digits, _, - and spaces (at most 100)');
const emailAddress = z.string().email();
const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:.]+\]$/, 'a host name or IP address');

/** How long the outbox retries a temporarily failed message (defaults in src/runtime/retry-policy.ts: email 24 h, push 1 h, SMS 4 h). */
export const retrySettingsSchema = z
  .object({
    windowMs: z
      .number()
      .int()
      .min(60_000)
      .max(7 * 24 * 3_600_000)
      .meta({
        title: 'Retry for (ms)',
        description:
          'How long a temporarily failed message is retried: 1 minute to 7 days (default: email 24 h, push 1 h, SMS 4 h).',
      }),
  })
  .meta({ title: 'Retries' });

export const ChannelKind = {
  Email: 'email',
  Push: 'push',
  Sms: 'sms',
  InApp: 'inApp',
  Code: 'code',
} as const;
export type ChannelKind = (typeof ChannelKind)[keyof typeof ChannelKind];

/**
 * Bounds on personalization for messages sent through this configuration (src/content/limits.ts):
 * characters of output of one render, all fields together. Default 1 MiB; at most 16 MiB.
 */
export const renderLimitsSchema = z
  .object({
    maxRenderChars: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .optional()
      .meta({
        title: 'Largest personalized output (characters)',
        description: 'All fields of one message together; 1 MiB when empty, at most 16 MiB.',
      }),
  })
  .strict()
  .meta({ title: 'Render limits' });
export type RenderLimitsSettings = z.infer<typeof renderLimitsSchema>;

export const smtpSettingsSchema = z
  .object({
    host: hostName.describe('The SMTP relay: a host name or IP address.'),
    port: z.number().int().min(1).max(65_535).default(587),
    /** `tls`: implicit TLS (465); `starttls`: upgrade required; `none`: plain (development only). */
    secure: z.enum(['none', 'starttls', 'tls']).default('starttls').meta({
      title: 'Encryption',
      description:
        'STARTTLS: upgrade required (587). TLS: encrypted from the start (465). None: plain, for development only.',
    }),
    auth: z
      .object({
        user: z.string().min(1).meta({ title: 'User name' }),
        pass: z.string().meta({ title: 'Password' }),
      })
      .optional()
      .meta({ title: 'SMTP sign-in' }),
    pool: z
      .object({
        maxConnections: z.number().int().min(1).max(100).default(5),
        maxMessages: z
          .number()
          .int()
          .min(1)
          .max(100_000)
          .default(100)
          .meta({ title: 'Messages per connection' }),
      })
      .default({ maxConnections: 5, maxMessages: 100 })
      .meta({ title: 'Connection pool' }),
    /** Reject self-signed server certificates (turn off only for a development relay). */
    rejectUnauthorized: z.boolean().default(true).meta({
      title: 'Reject untrusted certificates',
      description: 'Turn off only for a development relay.',
    }),
    connectionTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(120_000)
      .default(10_000)
      .meta({ title: 'Connection timeout (ms)' }),
  })
  .meta({ title: 'SMTP server' });
export type SmtpSettings = z.infer<typeof smtpSettingsSchema>;

export const dkimSettingsSchema = z
  .object({
    domainName: z.string().min(1).max(253).meta({ title: 'Signing domain' }),
    keySelector: z
      .string()
      .min(1)
      .max(63)
      .meta({ title: 'Selector', description: 'The DNS selector of the public key.' }),
    /** PEM private key. Secret. */
    privateKey: z.string().min(1).meta({ title: 'Private key (PEM)' }),
  })
  .meta({ title: 'DKIM signing' });

/** SendGrid's v3 Mail Send API; its Event Webhook is signed with ECDSA (the key SendGrid shows). */
export const sendgridSettingsSchema = z
  .object({
    /** Secret. */
    apiKey: z.string().min(1).meta({ title: 'API key' }),
    baseUrl: z
      .string()
      .url()
      .default('https://api.sendgrid.com')
      .meta({ title: 'SendGrid server' }),
    /** The Event Webhook's verification key (base64 of the ECDSA public key, as SendGrid shows it). */
    webhookPublicKey: z
      .string()
      .regex(
        /^[A-Za-z0-9+/=\s]{40,400}$/,
        'the base64 public key SendGrid shows for the signed Event Webhook',
      )
      .optional()
      .meta({
        title: 'Event Webhook verification key',
        description:
          'Settings › Mail Settings › Event Webhook › Signature Verification: the public key. Without it, bounce and complaint events are refused.',
      }),
  })
  .meta({ title: 'SendGrid' });
export type SendgridSettings = z.infer<typeof sendgridSettingsSchema>;

/** Mailgun's Messages API; its webhooks are signed with HMAC-SHA256 (the webhook signing key). */
export const mailgunSettingsSchema = z
  .object({
    /** Secret. */
    apiKey: z.string().min(1).meta({ title: 'API key' }),
    domain: hostName.meta({ title: 'Sending domain', description: 'e.g. mg.example.com' }),
    baseUrl: z.string().url().default('https://api.mailgun.net').meta({
      title: 'Mailgun server',
      description: 'https://api.mailgun.net (US) or https://api.eu.mailgun.net (EU).',
    }),
    /** Secret. */
    webhookSigningKey: z.string().min(1).optional().meta({
      title: 'Webhook signing key',
      description:
        'Sending › Webhooks › HTTP webhook signing key. Without it, bounce and complaint events are refused.',
    }),
  })
  .meta({ title: 'Mailgun' });
export type MailgunSettings = z.infer<typeof mailgunSettingsSchema>;

export const EmailProvider = { Smtp: 'smtp', Sendgrid: 'sendgrid', Mailgun: 'mailgun' } as const;
export type EmailProvider = (typeof EmailProvider)[keyof typeof EmailProvider];

export const emailConfigurationSchema = z
  .object({
    channel: z.literal('email'),
    name: configurationName.describe('Email activities choose their configuration by this name.'),
    description: z.string().max(1000).optional(),
    fromName: z.string().max(200).optional().meta({ title: 'Sender name' }),
    fromAddress: emailAddress.meta({ title: 'Sender address' }),
    replyTo: z
      .object({ name: z.string().max(200).optional(), address: emailAddress })
      .optional()
      .meta({ title: 'Reply-to' }),
    /** Extra headers put on every message. */
    headers: z
      .record(z.string().regex(/^[A-Za-z0-9-]{1,76}$/, 'a header name'), z.string().max(2000))
      .default({})
      .meta({ title: 'Extra headers', description: 'Put on every message.' }),
    /** One-click List-Unsubscribe (RFC 8058), with an optional mailto alternative. */
    listUnsubscribe: z
      .object({
        enabled: z.boolean().default(true),
        mailto: emailAddress.optional().meta({
          title: 'Unsubscribe address',
          description: 'A mailbox that also unsubscribes (mailto).',
        }),
      })
      .default({ enabled: true })
      .meta({
        title: 'List-Unsubscribe',
        description: 'One-click unsubscribe (RFC 8058), with an optional mailto alternative.',
      }),
    tracking: z
      .object({
        opens: z.boolean().default(true).meta({ title: 'Track opens' }),
        clicks: z.boolean().default(true).meta({ title: 'Track link clicks' }),
      })
      .default({ opens: true, clicks: true })
      .meta({ title: 'Tracking' }),
    /** Which service sends: an SMTP relay (default) or a provider's HTTP API. */
    provider: z.enum(['smtp', 'sendgrid', 'mailgun']).default('smtp').meta({
      title: 'Provider',
      description: 'An SMTP relay, or SendGrid or Mailgun through their HTTP APIs.',
    }),
    smtp: smtpSettingsSchema.optional(),
    sendgrid: sendgridSettingsSchema.optional(),
    mailgun: mailgunSettingsSchema.optional(),
    dkim: dkimSettingsSchema.optional(),
    retry: retrySettingsSchema.optional(),
    renderLimits: renderLimitsSchema.optional(),
    labels: labelsSchema,
    /** The brand's fonts and colours: an email designed from scratch with this configuration starts from it. */
    theme: emailThemeSchema.optional().meta({
      title: 'Email theme',
      description:
        'Fonts and colours that emails designed from scratch with this configuration start from.',
    }),
  })
  .superRefine((c, ctx) => {
    // The chosen provider's settings are required (the others may stay, unused).
    if (c[c.provider] === undefined)
      // A missing field (invalid_type), so that forms say "Fill in …" like for any required group.
      ctx.addIssue({
        code: 'invalid_type',
        expected: 'object',
        input: undefined,
        path: [c.provider],
        message: `provider is "${c.provider}": give its settings in "${c.provider}"`,
      });
  })
  .meta({ title: 'Email' });
export type EmailConfiguration = z.infer<typeof emailConfigurationSchema>;

export const apnsSettingsSchema = z
  .object({
    keyId: z
      .string()
      .regex(/^[A-Z0-9]{10}$/, '10 upper-case letters or digits')
      .meta({ title: 'Key ID' }),
    teamId: z
      .string()
      .regex(/^[A-Z0-9]{10}$/, '10 upper-case letters or digits')
      .meta({ title: 'Team ID' }),
    bundleId: z.string().min(1).max(255).meta({ title: 'Bundle ID' }),
    /** The .p8 key (PKCS#8 PEM, P-256). Secret. */
    p8Key: z.string().min(1).meta({ title: 'Signing key (.p8)' }),
    /** https://api.push.apple.com (production) or https://api.sandbox.push.apple.com. */
    host: z.string().url().default('https://api.push.apple.com').meta({
      title: 'APNs server',
      description: 'https://api.push.apple.com (production) or https://api.sandbox.push.apple.com.',
    }),
  })
  .meta({ title: 'Apple (APNs)' });
export type ApnsSettings = z.infer<typeof apnsSettingsSchema>;

export const serviceAccountSchema = z
  .object({
    type: z.literal('service_account').optional(),
    project_id: z.string().optional(),
    client_email: z.string().min(1),
    /** PEM private key. Secret. */
    private_key: z.string().min(1).meta({ title: 'Private key (PEM)' }),
    private_key_id: z.string().optional(),
    token_uri: z
      .string()
      .url()
      .default('https://oauth2.googleapis.com/token')
      .meta({ title: 'Token URL' }),
  })
  .passthrough()
  .meta({
    title: 'Service account',
    description: "The service account's key file, field by field.",
  });
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;

export const fcmSettingsSchema = z
  .object({
    projectId: z.string().min(1).max(100).meta({ title: 'Project ID' }),
    serviceAccount: serviceAccountSchema,
    baseUrl: z.string().url().default('https://fcm.googleapis.com').meta({ title: 'FCM server' }),
  })
  .meta({ title: 'Firebase (FCM)' });
export type FcmSettings = z.infer<typeof fcmSettingsSchema>;

const base64url = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, `${what} in base64url (as web-push generate-vapid-keys prints it)`);

/** Web Push (RFC 8030) to browsers, signed with the application server's VAPID key pair (RFC 8292). */
export const webPushSettingsSchema = z
  .object({
    /** Who runs the application server: the push services write here when something goes wrong. */
    subject: z
      .string()
      .regex(/^(mailto:|https:\/\/)\S+$/, 'a mailto: address or an https: URL')
      .meta({
        title: 'Contact (subject)',
        description:
          "A mailto: address or https: URL the browsers' push services can reach you at.",
      }),
    publicKey: base64url('the public key').meta({
      title: 'VAPID public key',
      description: 'Also given to the browser when it subscribes (applicationServerKey).',
    }),
    /** Secret. */
    privateKey: base64url('the private key').meta({ title: 'VAPID private key' }),
  })
  .meta({ title: 'Web Push (browsers)' });
export type WebPushSettings = z.infer<typeof webPushSettingsSchema>;

export const pushConfigurationSchema = z
  .object({
    channel: z.literal('push'),
    name: configurationName,
    description: z.string().max(1000).optional(),
    /** The app these tokens belong to (device tokens live on the profile per app). */
    appId: z
      .string()
      .min(1)
      .max(255)
      .meta({ title: 'App ID', description: 'The app the device tokens belong to.' }),
    apns: apnsSettingsSchema.optional(),
    fcm: fcmSettingsSchema.optional(),
    webPush: webPushSettingsSchema.optional(),
    retry: retrySettingsSchema.optional(),
    renderLimits: renderLimitsSchema.optional(),
    labels: labelsSchema,
  })
  .refine((c) => c.apns !== undefined || c.fcm !== undefined || c.webPush !== undefined, {
    message: 'configure APNs, FCM, Web Push or several of them',
    path: ['apns'],
  })
  .meta({ title: 'Push' });
export type PushConfiguration = z.infer<typeof pushConfigurationSchema>;

export const twilioSettingsSchema = z
  .object({
    accountSid: z
      .string()
      .regex(/^AC[0-9A-Za-z]{32}$/, 'AC followed by 32 characters')
      .meta({ title: 'Account SID' }),
    /** Secret. */
    authToken: z.string().min(1).meta({ title: 'Auth token' }),
    /** E.164 sender number or a messaging service SID (MG...). */
    from: z
      .string()
      .regex(
        /^\+[1-9]\d{1,14}$|^MG[0-9A-Za-z]{32}$|^[A-Za-z0-9 ]{1,11}$/,
        'an E.164 number, an MG service SID or an alphanumeric sender',
      )
      .meta({
        title: 'Sender',
        description:
          'A number such as +15551234567, a messaging service SID (MG…) or an alphanumeric sender.',
      }),
    baseUrl: z.string().url().default('https://api.twilio.com').meta({ title: 'Twilio server' }),
  })
  .meta({ title: 'Twilio' });
export type TwilioSettings = z.infer<typeof twilioSettingsSchema>;

/** Vonage's SMS API (POST /sms/json); delivery receipts are signed when a signature secret is set. */
export const vonageSettingsSchema = z
  .object({
    apiKey: z
      .string()
      .regex(
        /^[A-Za-z0-9]{6,32}$/,
        'the API key shown in the Vonage dashboard (letters and digits)',
      )
      .meta({ title: 'API key' }),
    /** Secret. */
    apiSecret: z.string().min(1).meta({ title: 'API secret' }),
    /** E.164 number without or with +, or an alphanumeric sender. */
    from: z
      .string()
      .regex(
        /^\+?[1-9]\d{1,14}$|^[A-Za-z0-9 ]{1,11}$/,
        'a number such as 14155550100 or an alphanumeric sender',
      )
      .meta({ title: 'Sender' }),
    /** Secret: the account's signature secret (SHA-256 HMAC); delivery receipts without a valid signature are refused. */
    signatureSecret: z.string().min(1).optional().meta({
      title: 'Signature secret',
      description:
        'Settings › signature secret (HMAC SHA-256). Without it, delivery receipts are refused.',
    }),
    baseUrl: z.string().url().default('https://rest.nexmo.com').meta({ title: 'Vonage server' }),
  })
  .meta({ title: 'Vonage' });
export type VonageSettings = z.infer<typeof vonageSettingsSchema>;

export const smsConfigurationSchema = z
  .object({
    channel: z.literal('sms'),
    name: configurationName,
    description: z.string().max(1000).optional(),
    provider: z.enum(['twilio', 'vonage']).default('twilio').meta({ title: 'Provider' }),
    twilio: twilioSettingsSchema.optional(),
    vonage: vonageSettingsSchema.optional(),
    /** AJO's URL shortening: each link of the text becomes a short tracked link (GET /s/:code). */
    tracking: z
      .object({
        clicks: z.boolean().default(false).meta({
          title: 'Track link clicks',
          description:
            'Each web link in the text becomes a short link that records the click, then opens the page. Needed by a reaction waiting for SMS link clicks.',
        }),
        linkValidityDays: z.number().int().min(1).max(365).default(30).meta({
          title: 'Short links valid for (days)',
          description: 'After this many days (1–365) a short link stops working and is deleted.',
        }),
        domain: z
          .url({ protocol: /^https?$/ })
          .max(200)
          .optional()
          .meta({
            title: 'Short link domain',
            description:
              "A short domain of yours that points at this server (https://go.luma.example), used in the links instead of the public URL, as AJO's SMS subdomains are.",
          }),
      })
      .default({ clicks: false, linkValidityDays: 30 })
      .meta({ title: 'Tracking' }),
    retry: retrySettingsSchema.optional(),
    renderLimits: renderLimitsSchema.optional(),
    labels: labelsSchema,
  })
  .superRefine((c, ctx) => {
    if (c[c.provider] === undefined)
      // A missing field (invalid_type), so that forms say "Fill in …" like for any required group.
      ctx.addIssue({
        code: 'invalid_type',
        expected: 'object',
        input: undefined,
        path: [c.provider],
        message: `provider is "${c.provider}": give its settings in "${c.provider}"`,
      });
  })
  .meta({ title: 'SMS' });
export type SmsConfiguration = z.infer<typeof smsConfigurationSchema>;

/**
 * In-app messages (AJO's in-app channel): shown by the site's or app's SDK, which asks the server for
 * a profile's messages (POST /v1/inapp/messages/query). No provider and no secret.
 */
export const inAppConfigurationSchema = z
  .object({
    channel: z.literal('inApp'),
    name: configurationName,
    description: z.string().max(1000).optional(),
    /** Where the messages are shown, for people reading the configuration (a site or app). */
    surface: z.string().max(500).optional().meta({
      title: 'Site or app',
      description: 'Where the SDK shows these messages, e.g. https://luma.example.',
    }),
    renderLimits: renderLimitsSchema.optional(),
    labels: labelsSchema,
  })
  .strict()
  .meta({ title: 'In-app' });
export type InAppConfiguration = z.infer<typeof inAppConfigurationSchema>;

/**
 * Code-based experiences (AJO's code-based channel): HTML or JSON the site's code fetches for a
 * surface (POST /v1/experiences/query). No provider and no secret.
 */
export const codeConfigurationSchema = z
  .object({
    channel: z.literal('code'),
    name: configurationName,
    description: z.string().max(1000).optional(),
    /** The surface prefix this configuration serves (e.g. web://luma.example/), for reading only. */
    surface: z.string().max(500).optional().meta({
      title: 'Surface prefix',
      description: 'The pages this configuration serves, e.g. web://luma.example/.',
    }),
    renderLimits: renderLimitsSchema.optional(),
    labels: labelsSchema,
  })
  .strict()
  .meta({ title: 'Code-based experience' });
export type CodeConfiguration = z.infer<typeof codeConfigurationSchema>;

export const channelConfigurationSchema = z.discriminatedUnion('channel', [
  emailConfigurationSchema,
  pushConfigurationSchema,
  smsConfigurationSchema,
  inAppConfigurationSchema,
  codeConfigurationSchema,
]);
export type ChannelConfiguration = z.infer<typeof channelConfigurationSchema>;
export type ChannelConfigurationInput = z.input<typeof channelConfigurationSchema>;

/** Dot paths of the secret fields of each kind of configuration. */
export const channelSecretPaths: Readonly<Record<ChannelKind, readonly string[]>> = {
  email: [
    'smtp.auth.pass',
    'dkim.privateKey',
    'sendgrid.apiKey',
    'mailgun.apiKey',
    'mailgun.webhookSigningKey',
  ],
  push: ['apns.p8Key', 'fcm.serviceAccount.private_key', 'webPush.privateKey'],
  sms: ['twilio.authToken', 'vonage.apiSecret', 'vonage.signatureSecret'],
  inApp: [],
  code: [],
};
