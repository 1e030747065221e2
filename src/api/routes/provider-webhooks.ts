// Email and SMS providers' event webhooks (public, each authenticated by the provider's signature):
// SendGrid's Event Webhook (ECDSA), Mailgun's webhooks (HMAC-SHA256) and Vonage's delivery receipts
// (HMAC-SHA256 signature secret). Bounces and complaints go to the suppression service, which
// commits the message, the profile and the suppression entry in one unit of work.
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  parseMailgunEvent,
  parseSendgridEvents,
  verifyMailgunSignature,
  verifySendgridSignature,
} from '../../channels/email/index.ts';
import { parseVonageReceipt, verifyVonageSignature } from '../../channels/sms/index.ts';
import type {
  ChannelConfiguration,
  EmailConfiguration,
  SmsConfiguration,
} from '../../model/channel-configuration.ts';
import { sandboxNameSchema } from '../../model/common.ts';
import type { Waymark } from '../../runtime/app.ts';

type Params = { Params: { sandbox: string; configuration: string } };

const refuse = (reply: FastifyReply) => reply.status(403).type('text/plain').send('bad signature');

export function providerWebhookRoutes(app: Waymark) {
  // As for Twilio (sms-webhooks.ts): the configuration is read from the store, nothing about the
  // sandbox is loaded until the signature is proven, and an unknown sandbox or configuration
  // answers like a bad signature.
  const configuration = async <C extends ChannelConfiguration['channel']>(
    p: Params['Params'],
    channel: C,
  ): Promise<Extract<ChannelConfiguration, { channel: C }> | null> => {
    if (!sandboxNameSchema.safeParse(p.sandbox).success) return null;
    const stored = await app.reads.getObject<ChannelConfiguration>(
      p.sandbox,
      'channelConfiguration',
      p.configuration,
    );
    if (!stored || stored.body.channel !== channel) return null;
    try {
      return app.objects.secrets.open('channelConfiguration', stored.body) as Extract<
        ChannelConfiguration,
        { channel: C }
      >;
    } catch {
      return null;
    }
  };
  const header = (v: string | string[] | undefined): string => (typeof v === 'string' ? v : '');

  return async (f: FastifyInstance): Promise<void> => {
    // The raw bytes: SendGrid signs the body exactly as sent (this plugin's scope only).
    f.removeContentTypeParser('application/json');
    f.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: 1024 * 1024 },
      (_req, body, done) => done(null, body),
    );
    f.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    f.post<Params>(
      '/webhooks/sendgrid/:sandbox/:configuration/events',
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const config: EmailConfiguration | null = await configuration(req.params, 'email');
        const key = config?.sendgrid?.webhookPublicKey;
        if (
          key === undefined ||
          !verifySendgridSignature(
            key,
            raw,
            header(req.headers['x-twilio-email-event-webhook-signature']),
            header(req.headers['x-twilio-email-event-webhook-timestamp']),
            app.clock.now(),
          )
        )
          return refuse(reply);
        let events: ReturnType<typeof parseSendgridEvents> = null;
        try {
          events = parseSendgridEvents(JSON.parse(raw.toString('utf8')) as unknown);
        } catch {
          events = null;
        }
        if (events === null)
          return reply.status(400).type('text/plain').send('not a SendGrid event batch');
        for (const e of events)
          await app.suppressions.providerFeedback(req.params.sandbox, 'email', 'sendgrid', e);
        return reply.status(204).send();
      },
    );

    f.post<Params>(
      '/webhooks/mailgun/:sandbox/:configuration/events',
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        let body: { signature?: Record<string, unknown> } | null = null;
        try {
          body = JSON.parse(raw.toString('utf8')) as { signature?: Record<string, unknown> };
        } catch {
          body = null;
        }
        const config: EmailConfiguration | null = await configuration(req.params, 'email');
        const key = config?.mailgun?.webhookSigningKey;
        if (
          key === undefined ||
          body === null ||
          typeof body.signature !== 'object' ||
          body.signature === null ||
          !verifyMailgunSignature(key, body.signature, app.clock.now())
        )
          return refuse(reply);
        const event = parseMailgunEvent(body);
        if (event === null) return reply.status(400).type('text/plain').send('not a Mailgun event');
        if (event !== 'ignored')
          await app.suppressions.providerFeedback(req.params.sandbox, 'email', 'mailgun', event);
        return reply.status(200).type('text/plain').send('ok');
      },
    );

    // Vonage sends receipts as GET query strings or POST bodies (JSON or form), as configured.
    const vonage = async (
      params: Params['Params'],
      fields: Readonly<Record<string, string>>,
      reply: FastifyReply,
    ) => {
      const config: SmsConfiguration | null = await configuration(params, 'sms');
      const secret = config?.vonage?.signatureSecret;
      if (secret === undefined || !verifyVonageSignature(secret, fields, app.clock.now()))
        return refuse(reply);
      const receipt = parseVonageReceipt(fields);
      if (!receipt)
        return reply.status(400).type('text/plain').send('not a Vonage delivery receipt');
      const status: 'delivered' | 'failed' | null =
        receipt.status === 'delivered'
          ? 'delivered'
          : receipt.status === 'failed' ||
              receipt.status === 'rejected' ||
              receipt.status === 'expired'
            ? 'failed'
            : null;
      const message =
        status && receipt.clientRef !== null
          ? await app.reads.messageById(params.sandbox, receipt.clientRef)
          : null;
      if (message && status && message.channel === 'sms')
        await app.feedback.deliveryReceipt(
          message,
          status,
          status === 'failed' ? `vonage ${receipt.errorCode ?? receipt.status}` : null,
        );
      return reply.status(204).send();
    };
    f.get<Params & { Querystring: Record<string, string> }>(
      '/webhooks/vonage/:sandbox/:configuration/receipts',
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) => vonage(req.params, stringsOf(req.query), reply),
    );
    f.post<Params>(
      '/webhooks/vonage/:sandbox/:configuration/receipts',
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) => {
        let fields: unknown = req.body;
        if (Buffer.isBuffer(fields)) {
          try {
            fields = JSON.parse(fields.toString('utf8')) as unknown;
          } catch {
            fields = {};
          }
        }
        return vonage(req.params, stringsOf(fields), reply);
      },
    );
  };
}

/** The string fields of a query or body (numbers as their text, as signed). */
function stringsOf(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v))
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')
      out[k] = String(x);
  return out;
}
